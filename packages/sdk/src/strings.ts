/**
 * Rule "one string checker" (docs/security.md, classes 1 and 9): every string that reaches generated
 * output, from pipeline.ts or sluice.config.ts, passes `stringProblems`. Strings are found
 * structurally (`userStrings` walks the whole pipeline IR; the compiler walks the whole resolved
 * config the same way), so a new field is covered the day it exists. A string must not contain:
 * - `${{` (GitHub Actions evaluates it) or `{{` (Argo evaluates it): a user string never becomes code;
 * - a character of the Unicode categories Cc (controls; tab allowed, newline only in scripts and
 *   descriptions), Cf (format: bidi overrides, zero-width, U+FEFF, tags), Co (private use), Cn
 *   (unassigned), Cs (lone surrogates), Zl or Zp (line and paragraph separators): they hide what a
 *   file really says, or end a line where a reader sees none.
 */
import { DIAGNOSTIC_CODES, type Diagnostic } from './diagnostics.js';
import type { PipelineIR, SourceLocation } from './ir.js';

const UNSAFE_CHARACTER = /[\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]|(?![\t\n])\p{Cc}/u;

export interface UserString {
  value: string;
  what: string;
  path: string[];
  location?: SourceLocation;
  /** Scripts may span lines; other values must be one line. */
  multiline?: boolean;
}

/**
 * Identifiers and enum values: validate.ts holds them to grammars stricter than this checker (ASCII
 * letters, digits, `_`, `-`) and the IR schema to its enums, so the checker would only repeat
 * those errors. Everything else is text and is checked here.
 */
function isIdentifier(keys: readonly (string | number)[]): boolean {
  const last = keys[keys.length - 1];
  const parent = keys[keys.length - 2];
  if (last === 'kind' || last === 'op' || last === 'status' || last === 'type' || last === 'validate' || last === 'id' || last === 'step') return true;
  if (parent === 'needs') return true;
  return last === 'name' && parent !== 'command';
}

function isMultiline(keys: readonly (string | number)[]): boolean {
  const last = keys[keys.length - 1];
  return last === 'script' || (last === 'description' && keys.length === 1);
}

function isLocation(value: unknown): value is SourceLocation {
  return typeof value === 'object' && value !== null && typeof (value as SourceLocation).line === 'number' && typeof (value as SourceLocation).file === 'string';
}

/** Every text string of this pipeline (all fields, found by walking it), with where it came from. */
export function userStrings(pipeline: PipelineIR): UserString[] {
  const strings: UserString[] = [];
  const pipelinePath = `pipeline ${pipeline.name}`;
  // An explicit stack, not recursion: a hostile IR may be deeper than the call stack.
  const stack: { value: unknown; keys: (string | number)[]; path: string[]; location: SourceLocation | undefined; named?: string }[] = [
    { value: pipeline, keys: [], path: [pipelinePath], location: pipeline.source },
  ];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { value, keys, path, location, named } = stack.pop() as (typeof stack)[number];
    if (typeof value === 'string') {
      if (isIdentifier(keys)) continue;
      const what = describeField(keys.slice(keys.lastIndexOf('steps') >= 0 ? keys.lastIndexOf('steps') + 2 : 0), named);
      strings.push({ value, what, path, multiline: isMultiline(keys), ...(location ? { location } : {}) });
      continue;
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    const record = value as Record<string, unknown>;
    const here = isLocation(record.source) ? record.source : location;
    const stepPath = keys[keys.length - 2] === 'steps' && typeof record.id === 'string' ? [pipelinePath, `step ${record.id}`] : path;
    const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(record).filter(([key, item]) => !(key === 'source' && isLocation(item)));
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, item] = entries[index] as readonly [string | number, unknown];
      // Inputs and env variables are named in messages by their own name.
      const owner = (keys[keys.length - 2] === 'inputs' || keys[keys.length - 2] === 'env') && typeof record.name === 'string' ? record.name : named;
      stack.push({ value: item, keys: [...keys, key], path: stepPath, location: here, ...(owner !== undefined ? { named: owner } : {}) });
    }
  }
  return strings;
}

/** A field path as people read it: `env DBT_SCHEMA`, `default of input select`, `command argument`. */
function describeField(keys: readonly (string | number)[], named: string | undefined): string {
  const words = keys.filter((key): key is string => typeof key === 'string');
  const last = words[words.length - 1] ?? 'value';
  if (words[0] === 'env') return `env ${named ?? ''}`.trim();
  if (words[0] === 'inputs') return `${last === 'options' ? 'option' : last} of input ${named ?? ''}`.trim();
  if (words[0] === 'command' && words.includes('argv')) return last === 'flag' ? 'command flag' : last === 'value' ? 'command argument' : `command ${last}`;
  if (words[0] === 'label') return 'step label';
  return words.join(' ');
}

/** What is wrong with one user string, if anything: the one checker every output string passes. */
export function stringProblems(string: Pick<UserString, 'value' | 'what' | 'multiline'>): { code: Diagnostic['code']; message: string; hint: string }[] {
  const problems: { code: Diagnostic['code']; message: string; hint: string }[] = [];
  const badCharacter = UNSAFE_CHARACTER.exec(string.value) ?? (!string.multiline && string.value.includes('\n') ? ['\n'] : null);
  if (badCharacter) {
    const codePoint = (badCharacter[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    problems.push({
      code: DIAGNOSTIC_CODES.UNSAFE_STRING,
      message: `The ${string.what} contains the invisible, control or line-breaking character U+${codePoint}.`,
      hint: 'Remove it: such characters make generated files read differently from what they do.',
    });
  }
  const expression = string.value.includes('${{') ? '${{' : string.value.includes('{{') ? '{{' : undefined;
  if (expression) {
    problems.push({
      code: DIAGNOSTIC_CODES.EXPRESSION_IN_STRING,
      message: `The ${string.what} contains '${expression}', which ${expression === '${{' ? 'GitHub Actions' : 'Argo Workflows'} would evaluate as an expression.`,
      hint: 'Values are data, never expressions: pass run-time values as inputs or secrets instead.',
    });
  }
  return problems;
}

/** Values that are credentials by their shape: a literal like this in pipeline.ts is a leaked secret. */
const SECRET_SHAPES: [RegExp, string][] = [
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bxox[abprs]-[0-9A-Za-z-]{10,}/, 'a Slack token'],
  [/hooks\.slack\.com\/services\/T[0-9A-Z]+\/B[0-9A-Z]+\/[0-9A-Za-z]+/, 'a Slack webhook URL'],
  [/\bgh[pousr]_[0-9A-Za-z]{36,}\b/, 'a GitHub token'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
];
/** Environment variables whose name says they hold a credential. */
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY)$/i;

export function checkLiteralSecrets(pipeline: PipelineIR, strings: readonly UserString[] = userStrings(pipeline)): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const string of strings) {
    const shape = SECRET_SHAPES.find(([pattern]) => pattern.test(string.value));
    if (shape) {
      problems.push({
        code: DIAGNOSTIC_CODES.LITERAL_SECRET,
        message: `The ${string.what} looks like ${shape[1]}; it would be written into generated files in clear.`,
        hint: "Revoke it, then store it as a secret and use secret('NAME').",
        path: string.path,
        ...(string.location ? { location: string.location } : {}),
      });
    }
  }
  const variables = [...pipeline.env.map((variable) => ({ variable, step: undefined })), ...pipeline.steps.flatMap((step) => step.env.map((variable) => ({ variable, step })))];
  for (const { variable, step } of variables) {
    if (variable.value.kind === 'literal' && variable.value.value !== '' && SECRET_NAME.test(variable.name)) {
      const location = step?.source ?? pipeline.source;
      problems.push({
        code: DIAGNOSTIC_CODES.LITERAL_SECRET,
        message: `${variable.name} is set to a literal; a credential in pipeline.ts ends up in clear in generated files.`,
        hint: `Use secret('${variable.name}') and store the value in the engine's secrets.`,
        path: [`pipeline ${pipeline.name}`, ...(step ? [`step ${step.id}`] : []), `env ${variable.name}`],
        ...(location ? { location } : {}),
      });
    }
  }
  return problems;
}
