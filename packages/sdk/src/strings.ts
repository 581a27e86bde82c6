/**
 * Checks on every string a user wrote that ends up in a generated file: no control or bidi
 * characters (they hide what a file really says), and no `${{` (GitHub would evaluate it as an
 * expression: a user string must never become code).
 */
import { DIAGNOSTIC_CODES, type Diagnostic } from './diagnostics.js';
import { flattenArgs } from './graph.js';
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

/** Every string the user wrote for this pipeline, with where it came from. Linear, allocation-light. */
export function userStrings(pipeline: PipelineIR): UserString[] {
  const strings: UserString[] = [];
  const path = [`pipeline ${pipeline.name}`];
  const location = pipeline.source;
  const add = (value: string, what: string, where: string[], at: SourceLocation | undefined, multiline = false): void => {
    strings.push(at ? { value, what, path: where, location: at, multiline } : { value, what, path: where, multiline });
  };
  if (pipeline.description !== undefined) add(pipeline.description, 'description', path, location, true);
  if (pipeline.concurrency.group !== undefined) add(pipeline.concurrency.group, 'concurrency group', path, location);
  for (const trigger of pipeline.triggers) {
    if (trigger.kind === 'schedule') {
      add(trigger.cron, 'cron', path, trigger.source);
      if (trigger.timezone) add(trigger.timezone, 'timezone', path, trigger.source);
    }
    if (trigger.kind === 'pullRequest' || trigger.kind === 'push') {
      for (const value of [...trigger.branches, ...trigger.paths]) add(value, 'branch or path filter', path, trigger.source);
    }
  }
  for (const input of pipeline.inputs) {
    if (input.description !== undefined) add(input.description, `description of input ${input.name}`, path, location);
    if (typeof input.default === 'string') add(input.default, `default of input ${input.name}`, path, location);
    for (const option of input.options ?? []) add(option, `option of input ${input.name}`, path, location);
  }
  for (const variable of pipeline.env) if (variable.value.kind === 'literal') add(variable.value.value, `env ${variable.name}`, path, location);
  if (pipeline.runtime.kind === 'image') add(pipeline.runtime.image, 'runtime image', path, location);
  else {
    add(pipeline.runtime.version, 'Python version', path, location);
    if (pipeline.runtime.requirements) add(pipeline.runtime.requirements, 'requirements file', path, location);
  }
  if (pipeline.cloud?.kind === 'aws') {
    add(pipeline.cloud.roleToAssume, 'AWS role', path, location);
    add(pipeline.cloud.region, 'AWS region', path, location);
  } else if (pipeline.cloud?.kind === 'gcp') {
    add(pipeline.cloud.workloadIdentityProvider, 'workload identity provider', path, location);
    add(pipeline.cloud.serviceAccount, 'service account', path, location);
  }
  for (const step of pipeline.steps) {
    const where = [path[0] as string, `step ${step.id}`];
    if (step.command.kind === 'argv') {
      for (const arg of flattenArgs(step.command.argv)) {
        if (arg.kind === 'literal') add(arg.value, 'command argument', where, step.source);
        else if (arg.kind === 'whenFile') {
          add(arg.path, 'state path', where, step.source);
          add(arg.notice, 'notice', where, step.source);
        } else if (arg.flag !== undefined) add(arg.flag, 'command flag', where, step.source);
      }
    }
    if (step.command.kind === 'script') add(step.command.script, 'script', where, step.source, true);
    if (step.command.kind === 'notify-email') {
      for (const value of [step.command.host, step.command.from, ...step.command.to]) add(value, 'email setting', where, step.source);
    }
    if (step.command.kind === 'github-artifact-load') {
      add(step.command.branch, 'state branch', where, step.source);
      add(step.command.dir, 'state directory', where, step.source);
    }
    for (const variable of step.env) if (variable.value.kind === 'literal') add(variable.value.value, `env ${variable.name}`, where, step.source);
  }
  return strings;
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

export function checkStrings(pipeline: PipelineIR, strings: readonly UserString[] = userStrings(pipeline)): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const string of strings) {
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
