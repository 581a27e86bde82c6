/**
 * The only way workflow text reaches pipeline.ts: as a string literal. `literal` is JSON's string
 * syntax (quotes, backslashes, C0 controls and lone surrogates escaped), and then every character of
 * Unicode's categories Cc, Cf, Co, Zl and Zp (DEL, NEL and the C1 controls, U+2028/U+2029, zero-width
 * and bidirectional controls, tag characters, BOM, private use) is written as an escape too. So no
 * character of a workflow can end the literal, start a comment or a statement, or disguise one to a
 * reviewer. Identifiers are made here from ASCII letters and digits only; comments never carry
 * workflow text.
 */
export function literal(value: string): string {
  return JSON.stringify(value).replace(HIDDEN, (character) => {
    const code = character.codePointAt(0) as number;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

const HIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Zl}\p{Zp}]/gu;

/** A property key: bare when it is a plain identifier, else a string literal. */
export function propertyKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : literal(key);
}

/** `inputs.name`, or `inputs["odd name"]`. */
export function inputRef(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `inputs.${name}` : `inputs[${literal(name)}]`;
}

/** Any JSON-like value (a `--vars` object, a list of selectors) as a TypeScript expression. */
export function valueCode(value: unknown): string {
  if (typeof value === 'string') return literal(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : literal(String(value));
  if (typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(valueCode).join(', ')}]`;
  return `{ ${Object.entries(value as Record<string, unknown>).map(([key, item]) => `${propertyKey(key)}: ${valueCode(item)}`).join(', ')} }`;
}

export function objectCode(entries: readonly (readonly [string, string])[]): string {
  return entries.length === 0 ? '{}' : `{ ${entries.map(([key, value]) => `${propertyKey(key)}: ${value}`).join(', ')} }`;
}

const RESERVED = new Set([
  ...'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await async of undefined NaN Infinity arguments eval'.split(' '),
  ...'dbt input notify pipeline runtime secret shell trigger when todo upload inputs state cloud'.split(' '),
]);

/** A camelCase identifier from any text: letters and digits only, never a keyword or a DSL name. */
export function identifier(raw: string, taken: ReadonlySet<string>, fallback = 'step'): string {
  const words = raw.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').filter(Boolean);
  let base = words.map((word, index) => (index === 0 ? word.replace(/^[A-Z]+(?=[A-Z][a-z])|^[A-Z]+$|^[A-Z]/, (head) => head.toLowerCase()) : word.charAt(0).toUpperCase() + word.slice(1))).join('').slice(0, 40);
  if (!/^[A-Za-z]/.test(base)) base = `${fallback}${base.charAt(0).toUpperCase()}${base.slice(1)}`;
  if (RESERVED.has(base)) base = `${base}Step`;
  let id = base;
  for (let n = 2; taken.has(id) || RESERVED.has(id); n += 1) id = `${base}${n}`;
  return id;
}
