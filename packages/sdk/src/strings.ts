/**
 * Checks on every string a user wrote that ends up in a generated file: no control or bidi
 * characters (they hide what a file really says), and no `${{` (GitHub would evaluate it as an
 * expression: a user string must never become code).
 */
import { DIAGNOSTIC_CODES, type Diagnostic } from './diagnostics.js';
import type { PipelineIR, SourceLocation } from './ir.js';

// C0 controls except tab and newline, DEL, C1 controls, and the Unicode bidi overrides/isolates.
const UNSAFE_CHARACTER = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

export interface UserString {
  value: string;
  what: string;
  path: string[];
  location?: SourceLocation;
  /** Scripts may span lines; other values must be one line. */
  multiline?: boolean;
}

export function* userStrings(pipeline: PipelineIR): Generator<UserString> {
  const path = [`pipeline ${pipeline.name}`];
  const location = pipeline.source;
  const base = { path, ...(location ? { location } : {}) };
  if (pipeline.description !== undefined) yield { ...base, value: pipeline.description, what: 'description', multiline: true };
  if (pipeline.concurrency.group !== undefined) yield { ...base, value: pipeline.concurrency.group, what: 'concurrency group' };
  for (const trigger of pipeline.triggers) {
    const at = { path, ...(trigger.source ? { location: trigger.source } : {}) };
    if (trigger.kind === 'schedule') {
      yield { ...at, value: trigger.cron, what: 'cron' };
      if (trigger.timezone) yield { ...at, value: trigger.timezone, what: 'timezone' };
    }
    if (trigger.kind === 'pullRequest' || trigger.kind === 'push') {
      for (const value of [...trigger.branches, ...trigger.paths]) yield { ...at, value, what: 'branch or path filter' };
    }
  }
  for (const input of pipeline.inputs) {
    if (input.description !== undefined) yield { ...base, value: input.description, what: `description of input ${input.name}` };
    if (typeof input.default === 'string') yield { ...base, value: input.default, what: `default of input ${input.name}` };
    for (const option of input.options ?? []) yield { ...base, value: option, what: `option of input ${input.name}` };
  }
  for (const variable of pipeline.env) {
    if (variable.value.kind === 'literal') yield { ...base, value: variable.value.value, what: `env ${variable.name}` };
  }
  if (pipeline.runtime.kind === 'image') yield { ...base, value: pipeline.runtime.image, what: 'runtime image' };
  else {
    yield { ...base, value: pipeline.runtime.version, what: 'Python version' };
    if (pipeline.runtime.requirements) yield { ...base, value: pipeline.runtime.requirements, what: 'requirements file' };
  }
  for (const step of pipeline.steps) {
    const at = { path: [...path, `step ${step.id}`], ...(step.source ? { location: step.source } : {}) };
    if (step.command.kind === 'argv') {
      for (const arg of step.command.argv) {
        if (arg.kind === 'literal') yield { ...at, value: arg.value, what: 'command argument' };
        else if (arg.flag !== undefined) yield { ...at, value: arg.flag, what: 'command flag' };
      }
    }
    if (step.command.kind === 'script') yield { ...at, value: step.command.script, what: 'script', multiline: true };
    for (const variable of step.env) {
      if (variable.value.kind === 'literal') yield { ...at, value: variable.value.value, what: `env ${variable.name}` };
    }
  }
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

export function checkLiteralSecrets(pipeline: PipelineIR): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const string of userStrings(pipeline)) {
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

export function checkStrings(pipeline: PipelineIR): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const string of userStrings(pipeline)) {
    const where = { path: string.path, ...(string.location ? { location: string.location } : {}) };
    const badCharacter = UNSAFE_CHARACTER.exec(string.value) ?? (!string.multiline && string.value.includes('\n') ? ['\n'] : null);
    if (badCharacter) {
      const codePoint = (badCharacter[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      problems.push({
        code: DIAGNOSTIC_CODES.UNSAFE_STRING,
        message: `The ${string.what} contains the invisible or control character U+${codePoint}.`,
        hint: 'Remove it: such characters make generated files read differently from what they do.',
        ...where,
      });
    }
    if (string.value.includes('${{')) {
      problems.push({
        code: DIAGNOSTIC_CODES.EXPRESSION_IN_STRING,
        message: `The ${string.what} contains '\${{', which GitHub Actions would evaluate as an expression.`,
        hint: 'Values are data, never expressions: pass run-time values as inputs or secrets instead.',
        ...where,
      });
    }
  }
  return problems;
}
