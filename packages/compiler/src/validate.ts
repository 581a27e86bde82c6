/**
 * Semantic checks on the IR, before any target sees it. Every problem is collected, none stops the
 * others; the result is sorted by location so the report reads top to bottom.
 */
import {
  isNotifyCommand,
  notifySecretNames,
  userStrings,
  checkLiteralSecrets,
  checkStrings,
  DIAGNOSTIC_CODES,
  transitiveUpstream,
  stepIndex,
  type Condition,
  type Diagnostic,
  type PipelineIR,
  type SluiceIR,
  type StepIR,
} from '@sluice/sdk/ir';
import { cronProblem, isValidTimezone } from './checks/cron.js';

const PIPELINE_NAME = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const STEP_ID = /^[A-Za-z](?:[A-Za-z0-9_-]{0,48}[A-Za-z0-9])?$/;
const INPUT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_ENV_PREFIXES = ['GITHUB_', 'RUNNER_', 'SLUICE_', 'ACTIONS_'];

export interface ValidateOptions {
  /** Pipelines whose steps could not be read; their (missing) steps are not reported again. */
  incomplete?: ReadonlySet<string>;
}

export function validate(ir: SluiceIR, options: ValidateOptions = {}): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const seenNames = new Map<string, PipelineIR>();
  for (const pipeline of ir.pipelines) {
    const earlier = seenNames.get(pipeline.name);
    if (earlier) {
      problems.push(problem(pipeline, DIAGNOSTIC_CODES.DUPLICATE_PIPELINE, `Two pipelines are named '${pipeline.name}'.`, 'Give each pipeline its own name: it names the generated files.'));
    }
    seenNames.set(pipeline.name, pipeline);
    problems.push(...validatePipeline(pipeline, options.incomplete?.has(pipeline.name) ?? false));
  }
  return sortDiagnostics(problems);
}

function validatePipeline(pipeline: PipelineIR, incomplete: boolean): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const add = (code: Diagnostic['code'], message: string, hint: string, step?: StepIR): void => {
    problems.push(problem(pipeline, code, message, hint, step));
  };

  if (!PIPELINE_NAME.test(pipeline.name)) {
    add(DIAGNOSTIC_CODES.INVALID_NAME, `Pipeline name '${printable(pipeline.name)}' is not allowed.`, 'Use 1 to 63 lower-case letters, digits and inner hyphens, starting with a letter (it names files and engine objects).');
  }
  if (pipeline.steps.length === 0 && !incomplete) add(DIAGNOSTIC_CODES.EMPTY_PIPELINE, `Pipeline '${pipeline.name}' has no steps.`, 'Return at least one step from `steps`.');
  if (pipeline.triggers.length === 0) add(DIAGNOSTIC_CODES.NO_TRIGGERS, `Pipeline '${pipeline.name}' has no triggers.`, 'Add `triggers: [trigger.manual()]` or a schedule.');

  for (const trigger of pipeline.triggers) {
    if (trigger.kind !== 'schedule') continue;
    const where = trigger.source;
    const cron = cronProblem(trigger.cron);
    if (cron) problems.push({ ...problem(pipeline, DIAGNOSTIC_CODES.INVALID_CRON, `Invalid cron '${printable(trigger.cron)}': ${cron}.`, "Write five fields, e.g. '0 6 * * *' for 06:00 every day."), ...(where ? { location: where } : {}) });
    if (trigger.timezone !== undefined && !isValidTimezone(trigger.timezone)) {
      problems.push({ ...problem(pipeline, DIAGNOSTIC_CODES.INVALID_TIMEZONE, `Unknown time zone '${printable(trigger.timezone)}'.`, "Use an IANA name such as 'Europe/Paris' or 'UTC'."), ...(where ? { location: where } : {}) });
    }
  }

  const automatic = pipeline.triggers.some((trigger) => trigger.kind !== 'manual');
  for (const input of pipeline.inputs) {
    if (!INPUT_NAME.test(input.name)) add(DIAGNOSTIC_CODES.INVALID_NAME, `Input name '${printable(input.name)}' is not allowed.`, 'Use letters, digits and underscores, starting with a letter.');
    if (input.required && input.default === undefined && automatic) {
      add(DIAGNOSTIC_CODES.REQUIRED_INPUT_WITHOUT_DEFAULT, `Input '${input.name}' is required, but this pipeline also starts on a schedule or an event, where no one can give it.`, 'Give the input a default, or make the pipeline manual only.');
    }
    const expected = input.type === 'choice' ? 'string' : input.type;
    if (input.default !== undefined && typeof input.default !== expected) {
      add(DIAGNOSTIC_CODES.INVALID_VALUE, `The default of input '${input.name}' is not a ${input.type}.`, `Give a ${expected} default.`);
    }
    if (input.type === 'choice' && (input.options?.length ?? 0) === 0) add(DIAGNOSTIC_CODES.INVALID_VALUE, `Choice input '${input.name}' has no options.`, 'List the options.');
    if (input.type === 'choice' && input.default !== undefined && !input.options?.includes(String(input.default))) {
      add(DIAGNOSTIC_CODES.INVALID_VALUE, `The default of choice input '${input.name}' is not one of its options.`, `Use one of: ${input.options?.join(', ')}.`);
    }
  }

  const variables = [...pipeline.env.map((variable) => ({ variable, step: undefined })), ...pipeline.steps.flatMap((step) => step.env.map((variable) => ({ variable, step })))];
  for (const { variable, step } of variables) {
    const reserved = RESERVED_ENV_PREFIXES.some((prefix) => variable.name.toUpperCase().startsWith(prefix));
    if (!ENV_NAME.test(variable.name) || reserved) {
      add(DIAGNOSTIC_CODES.INVALID_ENV_NAME, `Environment variable name '${printable(variable.name)}' is not allowed.`, `Use letters, digits and underscores, not starting with a digit or with ${RESERVED_ENV_PREFIXES.join(', ')}.`, step);
    }
    if (variable.value.kind === 'secret') checkSecretName(variable.value.name, add, step);
  }
  for (const step of pipeline.steps) if (isNotifyCommand(step.command)) for (const name of notifySecretNames(step.command)) checkSecretName(name, add, step);
  const credentials = pipeline.runtime.kind === 'image' ? pipeline.runtime.credentials : undefined;
  if (credentials?.kind === 'account') for (const value of [credentials.username, credentials.password]) if (value.kind === 'secret') checkSecretName(value.name, add);

  problems.push(...caseCollisions(pipeline));
  problems.push(...validateSteps(pipeline));
  const strings = userStrings(pipeline);
  problems.push(...checkStrings(pipeline, strings), ...checkLiteralSecrets(pipeline, strings));
  return problems;
}

function checkSecretName(name: string, add: (code: Diagnostic['code'], message: string, hint: string, step?: StepIR) => void, step?: StepIR): void {
  if (!ENV_NAME.test(name) || name.toUpperCase().startsWith('GITHUB_')) {
    add(DIAGNOSTIC_CODES.INVALID_SECRET_NAME, `Secret name '${printable(name)}' is not allowed.`, 'Use letters, digits and underscores, not starting with a digit or GITHUB_.', step);
  }
}

function validateSteps(pipeline: PipelineIR): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const add = (step: StepIR, code: Diagnostic['code'], message: string, hint: string): void => {
    problems.push(problem(pipeline, code, message, hint, step));
  };
  const index = stepIndex(pipeline);
  const seenIds = new Map<string, string>();
  for (const step of pipeline.steps) {
    if (!STEP_ID.test(step.id)) add(step, DIAGNOSTIC_CODES.INVALID_NAME, `Step id '${printable(step.id)}' is not allowed.`, 'Use 1 to 50 letters, digits, `_` and `-`, starting with a letter.');
    else if (isReservedStepId(step.id)) add(step, DIAGNOSTIC_CODES.RESERVED_NAME, `Step id '${step.id}' is reserved: Sluice names its own steps and tasks sluice-* (sluice-setup, sluice-prepare, sluice-verdict, ...).`, `Rename the step, e.g. '${step.id.slice(6).replace(/^[-_]/, '') || 'main'}'.`);
    const folded = step.id.toLowerCase();
    const clash = seenIds.get(folded);
    if (clash !== undefined) add(step, DIAGNOSTIC_CODES.DUPLICATE_STEP, `Step ids '${clash}' and '${step.id}' differ only in case; engines treat them as one.`, 'Rename one of them.');
    seenIds.set(folded, step.id);
    if (step.needs.includes(step.id)) add(step, DIAGNOSTIC_CODES.SELF_REFERENCE, `Step '${step.id}' needs itself.`, 'Remove it from its own needs.');
    for (const [message, hint] of stateSourceProblems(step)) add(step, DIAGNOSTIC_CODES.STATE_SOURCE, message, hint);
  }

  const cycle = findCycle(pipeline, index);
  if (cycle) {
    const first = index.get(cycle[0] as string) as StepIR;
    add(first, DIAGNOSTIC_CODES.CYCLE, `Steps form a cycle: ${cycle.join(' -> ')}.`, 'Remove one of these needs or conditions so the steps can run in order.');
    return problems;
  }

  for (const step of pipeline.steps) {
    const referenced = statusReferences(step.condition);
    if (referenced.length === 0) continue;
    const upstream = transitiveUpstream(pipeline, step.id, index);
    for (const other of referenced) {
      if (other === step.id) add(step, DIAGNOSTIC_CODES.SELF_REFERENCE, `Step '${step.id}' has a condition on its own status.`, 'A condition can only look at steps that finish before it.');
      else if (index.has(other) && !upstream.has(other)) {
        add(step, DIAGNOSTIC_CODES.CONDITION_NOT_UPSTREAM, `Step '${step.id}' has a condition on '${other}', which is not upstream of it.`, `Add '${other}' to the needs of '${step.id}' (directly or through another step).`);
      }
    }
  }
  return problems;
}

/**
 * Rule "state source": a save names the dbt step whose artifacts it keeps, and a load asks a store
 * for a set it keeps (GitHub artifacts keep the last successful build only, not the last run).
 */
function stateSourceProblems(step: StepIR): [message: string, hint: string][] {
  const command = step.command;
  if (command.kind === 'state-load' && command.store.kind === 'github-artifact' && command.set === 'last-run') {
    return [[`Step '${step.id}' loads the last run's results from a GitHub artifact; GitHub-artifact state keeps only the last successful build.`, "Use state.s3(...) or state.gcs(...) for dbt retry: they keep the last run's results apart from the baseline."]];
  }
  if (command.kind === 'state-save' && command.from === undefined) {
    return [[`Step '${step.id}' saves state but no single dbt step is named to save it from.`, 'Pass the dbt step: `store.save({ from: run })` (or `needs: run` with exactly one dbt step).']];
  }
  return [];
}

/**
 * Rule "reserved names": ids Sluice generates are `sluice-*` on every engine (GitHub step ids,
 * Argo task names after kebab-casing), so `sluice-x`, `sluice_x` and `sluiceX` are all reserved.
 */
export function isReservedStepId(id: string): boolean {
  if (id.slice(0, 6).toLowerCase() !== 'sluice') return false;
  const next = id.charAt(6);
  return next === '' || next === '-' || next === '_' || (next >= 'A' && next <= 'Z');
}

/**
 * Rule "case collisions": GitHub treats input names (and the SLUICE_INPUT_* variables made from
 * them) and env names case-insensitively, so two names that differ only in case, or the same name
 * twice in one list, would make a workflow GitHub rejects or one value silently win.
 */
function caseCollisions(pipeline: PipelineIR): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const report = (names: readonly string[], what: string, step?: StepIR): void => {
    const seen = new Map<string, string>();
    for (const name of names) {
      const earlier = seen.get(name.toUpperCase());
      if (earlier !== undefined) {
        problems.push(problem(pipeline, DIAGNOSTIC_CODES.CASE_COLLISION, earlier === name ? `The ${what} '${name}' is given twice.` : `The ${what}s '${earlier}' and '${name}' differ only in case; engines treat them as one.`, `Give each ${what} a name that differs in more than case.`, step));
      } else seen.set(name.toUpperCase(), name);
    }
  };
  report(pipeline.inputs.map((input) => input.name), 'input');
  report(pipeline.env.map((variable) => variable.name), 'environment variable');
  for (const step of pipeline.steps) {
    report(step.env.map((variable) => variable.name), 'environment variable', step);
    // A step's variable may replace the pipeline's of the same name, not one spelled differently.
    const stepNames = new Set(step.env.map((variable) => variable.name));
    for (const variable of pipeline.env) {
      const differing = step.env.find((own) => own.name !== variable.name && own.name.toUpperCase() === variable.name.toUpperCase());
      if (differing && !stepNames.has(variable.name)) {
        problems.push(problem(pipeline, DIAGNOSTIC_CODES.CASE_COLLISION, `The environment variables '${variable.name}' (pipeline) and '${differing.name}' (step) differ only in case; engines treat them as one.`, 'Spell both the same way, or rename one.', step));
      }
    }
  }
  return problems;
}

function statusReferences(condition: Condition): string[] {
  switch (condition.op) {
    case 'status':
      return [condition.step];
    case 'and':
    case 'or':
      return condition.args.flatMap(statusReferences);
    case 'not':
      return statusReferences(condition.arg);
    default:
      return [];
  }
}

/** A cycle through `needs` as a list of ids (first repeated at the end), or undefined. Linear. */
function findCycle(pipeline: PipelineIR, index: Map<string, StepIR>): string[] | undefined {
  const state = new Map<string, 'active' | 'done'>();
  for (const start of pipeline.steps) {
    if (state.has(start.id)) continue;
    const path: string[] = [];
    const stack: { id: string; next: number }[] = [{ id: start.id, next: 0 }];
    state.set(start.id, 'active');
    path.push(start.id);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as { id: string; next: number };
      const needs = index.get(frame.id)?.needs ?? [];
      if (frame.next >= needs.length) {
        state.set(frame.id, 'done');
        stack.pop();
        path.pop();
        continue;
      }
      const need = needs[frame.next++] as string;
      if (!index.has(need) || need === frame.id) continue;
      const seen = state.get(need);
      if (seen === 'active') return [...path.slice(path.indexOf(need)), need].reverse();
      if (seen === undefined) {
        state.set(need, 'active');
        path.push(need);
        stack.push({ id: need, next: 0 });
      }
    }
  }
  return undefined;
}

function problem(pipeline: PipelineIR, code: Diagnostic['code'], message: string, hint: string, step?: StepIR): Diagnostic {
  const location = step?.source ?? pipeline.source;
  return {
    code,
    message,
    hint,
    path: step ? [`pipeline ${pipeline.name}`, `step ${step.id}`] : [`pipeline ${pipeline.name}`],
    ...(location ? { location } : {}),
  };
}

/** Shows invisible characters in messages instead of printing them. */
function printable(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fileOrder = (a.location?.file ?? '').localeCompare(b.location?.file ?? '');
    if (fileOrder !== 0) return fileOrder;
    return (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0);
  });
}
