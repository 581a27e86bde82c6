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
  const out = new YamlText();
  writeValue(data, 0, out, true);
  return out.toString();
}

/** Several documents in one file, separated by `---`. */
export function toYamlDocuments(documents: readonly unknown[]): string {
  const out = new YamlText();
  documents.forEach((document, index) => {
    if (index > 0) out.add('---\n');
    writeValue(document, 0, out, true);
  });
  return out.toString();
}

/**
 * The text being written, kept as UTF-8 bytes in one growing buffer: each small piece becomes garbage
 * at once instead of living (and being promoted by the GC) until a final join, which is what bounds
 * peak memory on large pipelines. The result is decoded once. A piece UTF-8 cannot hold exactly (a
 * lone surrogate) switches to plain string appending, so the returned text is always the input's.
 */
class YamlText {
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  private rope: string | undefined;

  add(piece: string): void {
    if (this.rope !== undefined) {
      this.rope += piece;
      return;
    }
    const room = this.used + piece.length * 3; // UTF-8 needs at most 3 bytes per UTF-16 unit
    if (room > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, room));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    const written = this.bytes.write(piece, this.used, 'utf8');
    if (written !== piece.length && LONE_SURROGATE.test(piece)) {
      this.rope = this.bytes.toString('utf8', 0, this.used) + piece;
      return;
    }
    this.used += written;
  }

  toString(): string {
    return this.rope ?? this.bytes.toString('utf8', 0, this.used);
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Plain = string | number | boolean | null | Commented | Plain[] | { [key: string]: Plain };

const INDENT = '  ';
const indents: string[] = [];
/** The indentation of a depth, built once per depth. */
function indent(depth: number): string {
  return (indents[depth] ??= INDENT.repeat(depth));
}

/** A map's entries without undefined values (absent settings), in insertion order. */
function definedEntries(value: Record<string, unknown>): [string, unknown][] {
  const entries: [string, unknown][] = [];
  for (const key of Object.keys(value)) if (value[key] !== undefined) entries.push([key, value[key]]);
  return entries;
}

/** Writes `value` as the body of a document or after `key:` / `- `; `atLineStart` says where we are. */
function writeValue(value: unknown, depth: number, out: YamlText, atLineStart: boolean): void {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.add(atLineStart ? '[]\n' : ' []\n');
      return;
    }
    if (!atLineStart) out.add('\n');
    const dash = `${indent(depth)}- `;
    for (const item of value as Plain[]) {
      out.add(dash);
      writeItem(item, depth + 1, out);
    }
    return;
  }
  if (isMap(value)) {
    const entries = definedEntries(value);
    if (entries.length === 0) {
      out.add(atLineStart ? '{}\n' : ' {}\n');
      return;
    }
    if (!atLineStart) out.add('\n');
    writeEntries(entries, depth, out, indent(depth));
    return;
  }
  out.add((atLineStart ? '' : ' ') + scalar(value, depth) + '\n');
}

/** A list item: maps continue on the dash's line, everything else as after a key. */
function writeItem(item: Plain, depth: number, out: YamlText): void {
  if (isMap(item)) {
    const entries = definedEntries(item);
    if (entries.length === 0) {
      out.add('{}\n');
      return;
    }
    writeEntries(entries, depth, out, '');
    return;
  }
  if (Array.isArray(item)) {
    if (item.length === 0) {
      out.add('[]\n');
      return;
    }
    out.add('\n');
    writeValue(item, depth, out, true);
    return;
  }
  out.add(scalar(item, depth) + '\n');
}

/** Map entries; the first one's indentation is `firstPrefix` (empty right after a list dash). */
function writeEntries(entries: [string, unknown][], depth: number, out: YamlText, firstPrefix: string): void {
  const prefix = indent(depth);
  for (let index = 0; index < entries.length; index += 1) {
    const [key, value] = entries[index] as [string, unknown];
    out.add((index === 0 ? firstPrefix : prefix) + keyScalar(key) + ':');
    writeValue(value, depth + 1, out, false);
  }
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
