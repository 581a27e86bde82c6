/**
 * The one place YAML is written. Every target builds plain objects and serialises them here, once
 * per file. The writer handles exactly the data targets build (maps, lists, strings, numbers,
 * booleans, null, and strings with a trailing comment) and nothing else, which makes it several
 * times faster than a general YAML library's document model on large pipelines. Its contract,
 * checked by property tests against the `yaml` package's parser in both YAML 1.1 and 1.2 modes:
 * - what it writes reads back as exactly the input, under YAML 1.1 and 1.2 alike: any string a
 *   YAML 1.1 reader could take for something else (`on`, `yes`, `012`, `12:30`, `2024-01-01`, `~`)
 *   is quoted, and quoting is conservative (when in doubt, quote);
 * - no line wrapping, no anchors or aliases, block literals for multi-line strings;
 * - key order is the order the target built the object in.
 */

/** A string value printed with a trailing `# comment` (used for `uses: owner/repo@sha # vX.Y.Z`). */
export class Commented {
  constructor(
    readonly value: string,
    readonly comment: string,
  ) {}
}

export function withComment(value: string, comment: string): Commented {
  return new Commented(value, comment);
}

export function toYaml(data: unknown): string {
  const out: string[] = [];
  writeValue(data, 0, out, true);
  return out.join('');
}

/** Several documents in one file, separated by `---`. */
export function toYamlDocuments(documents: readonly unknown[]): string {
  return documents.map(toYaml).join('---\n');
}

type Plain = string | number | boolean | null | Commented | Plain[] | { [key: string]: Plain };

const INDENT = '  ';

/** Writes `value` as the body of a document or after `key:` / `- `; `atLineStart` says where we are. */
function writeValue(value: unknown, depth: number, out: string[], atLineStart: boolean): void {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(atLineStart ? '[]\n' : ' []\n');
      return;
    }
    if (!atLineStart) out.push('\n');
    const prefix = INDENT.repeat(depth);
    for (const item of value as Plain[]) {
      out.push(`${prefix}- `);
      writeItem(item, depth + 1, out);
    }
    return;
  }
  if (isMap(value)) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) {
      out.push(atLineStart ? '{}\n' : ' {}\n');
      return;
    }
    if (!atLineStart) out.push('\n');
    writeEntries(entries, depth, out, INDENT.repeat(depth));
    return;
  }
  out.push(atLineStart ? '' : ' ', scalar(value, depth), '\n');
}

/** A list item: maps continue on the dash's line, everything else as after a key. */
function writeItem(item: Plain, depth: number, out: string[]): void {
  if (isMap(item)) {
    const entries = Object.entries(item).filter(([, value]) => value !== undefined);
    if (entries.length === 0) {
      out.push('{}\n');
      return;
    }
    writeEntries(entries, depth, out, '');
    return;
  }
  if (Array.isArray(item)) {
    if (item.length === 0) {
      out.push('[]\n');
      return;
    }
    out.push('\n');
    writeValue(item, depth, out, true);
    return;
  }
  out.push(scalar(item, depth), '\n');
}

/** Map entries; the first one's indentation is `firstPrefix` (empty right after a list dash). */
function writeEntries(entries: [string, unknown][], depth: number, out: string[], firstPrefix: string): void {
  const prefix = INDENT.repeat(depth);
  entries.forEach(([key, value], index) => {
    out.push(index === 0 ? firstPrefix : prefix, keyScalar(key), ':');
    writeValue(value, depth + 1, out, false);
  });
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Commented);
}

/** Keys are never block literals. */
function keyScalar(key: string): string {
  return isPlainSafe(key) ? key : doubleQuoted(key);
}

function scalar(value: unknown, depth: number): string {
  if (value instanceof Commented) return `${scalar(value.value, depth)} # ${value.comment}`;
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as YAML`);
    return String(value);
  }
  if (typeof value !== 'string') throw new Error(`cannot write a ${typeof value} as YAML`);
  if (value.includes('\n') && value.trim() !== '' && BLOCK_SAFE.test(value)) return blockLiteral(value, depth);
  return isPlainSafe(value) ? value : doubleQuoted(value);
}

// Characters a block literal can hold as they are (printable text, tab, newline).
const BLOCK_SAFE = /^[^\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029\uFEFF]*$/;
// Plain scalars: no indicator first, no `: ` or ` #`, no control or special line-break characters.
const PLAIN_START = /^[^-?:,[\]{}#&*!|>'"%@`\s]/;
const PLAIN_FORBIDDEN = /: |:$| #|[\u0000-\u001F\u007F-\u009F\u2028\u2029\uFEFF]|\s$/;
// Anything a YAML 1.1 or 1.2 reader may resolve to a non-string: quote it (deliberately broad).
const SPECIAL_WORD = /^(?:~|null|true|false|yes|no|y|n|on|off|=|<<|\.)$/i;
const NUMBER_LIKE = /^[-+.]?[0-9]|^[-+]?\.(?:inf|nan)$/i;

function isPlainSafe(value: string): boolean {
  return value !== '' && PLAIN_START.test(value) && !PLAIN_FORBIDDEN.test(value) && !SPECIAL_WORD.test(value) && !NUMBER_LIKE.test(value);
}

function doubleQuoted(value: string): string {
  return JSON.stringify(value).replace(/[\u007F-\u009F\u2028\u2029\uFEFF]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function blockLiteral(value: string, depth: number): string {
  const trailing = /\n*$/.exec(value)?.[0].length ?? 0;
  const chomping = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = trailing === 0 ? value : value.slice(0, value.length - trailing);
  const lines = [...body.split('\n'), ...Array.from({ length: Math.max(0, trailing - 1) }, () => '')];
  // An explicit indentation indicator when the first line starts with a space.
  const indicator = /^\n*[ \t]/.test(body) ? String(INDENT.length) : '';
  // Content is indented past its parent (a document-level literal still needs one level).
  const indent = INDENT.repeat(Math.max(depth, 1));
  return `|${indicator}${chomping}\n${lines.map((line) => (line === '' ? '' : indent + line)).join('\n')}`;
}
