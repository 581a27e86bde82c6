/**
 * Shell quoting: the only way a value gets into generated bash. A word made only of characters that
 * bash never treats specially is printed bare (for readable output); anything else is quoted so that
 * bash interprets nothing in it.
 */
const BARE_WORD = /^[A-Za-z0-9_./:@%+-]+$/;

export function shellQuote(word: string): string {
  if (BARE_WORD.test(word)) return word;
  // Single quotes would do, but shellcheck reads a `$` in them as a forgotten expansion (SC2016) and
  // a trailing `\` as a mistaken escape (SC1003): such words get double quotes, with the four
  // characters special there escaped.
  if (/[$`\\]/.test(word)) return `"${word.replace(/[\\$`"]/g, '\\$&')}"`;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
