/**
 * Shell quoting: the only way a value gets into generated bash. A word made only of characters that
 * bash never treats specially is printed bare (for readable output); anything else is single-quoted,
 * where bash interprets nothing.
 */
const BARE_WORD = /^[A-Za-z0-9_./:@%+,-]+$/;

export function shellQuote(word: string): string {
  if (BARE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
