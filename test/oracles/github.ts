/**
 * A model of how GitHub Actions runs the steps of one job, used to check emitted workflows against
 * the reference interpreter. It reads only the emitted YAML: each step's `if:` is evaluated with
 * GitHub's own expression engine (@actions/expressions) under GitHub's documented rules:
 * - an `if` without a status function is implicitly `success() && (...)`;
 * - success() is true while no earlier step failed (continue-on-error aside) and the run is not
 *   cancelled; failure() when an earlier step failed; cancelled() after cancellation; always();
 * - a step whose `if` is false is `skipped`; `continue-on-error` keeps the job green;
 * - after cancellation the running step ends `cancelled`.
 * Setup steps (without a Sluice step id) succeed, except the last one (`sluice-setup`) under the
 * `setupFails` fault. A pipeline step's fault is its final outcome.
 */
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';
import type { RunResult, StepStatus } from '@sluice/sdk/ir';
import { parse } from 'yaml';

export interface GithubFaults {
  /** Steps whose final outcome is failure. */
  fail: ReadonlySet<string>;
  cancelAt?: string;
  /** The environment set-up fails (its last step, the one with id `sluice-setup`, ends `failure`). */
  setupFails?: boolean;
}

/** The id the emitter gives its last set-up step (targets' github/conditions.ts), written out here. */
const SETUP_STEP_ID = 'sluice-setup';

export interface GithubRun {
  statuses: Record<string, StepStatus>;
  result: RunResult;
}

interface WorkflowStep {
  id?: string;
  if?: string;
  'continue-on-error'?: boolean;
}

const STATUS_FUNCTIONS = ['always', 'success', 'failure', 'cancelled'];
const OUTCOME_TO_STATUS: Record<string, StepStatus> = { success: 'succeeded', failure: 'failed', skipped: 'skipped', cancelled: 'cancelled' };

export function runGithubJob(workflowYaml: string, faults: GithubFaults, sluiceStepIds: ReadonlySet<string>): GithubRun {
  const workflow = parse(workflowYaml) as { jobs: Record<string, { steps: WorkflowStep[] }> };
  const jobs = Object.values(workflow.jobs);
  if (jobs.length !== 1) throw new Error(`expected one job, got ${jobs.length}`);
  const outcomes = new Map<string, string>();
  let cancelled = false;
  let jobFailed = false;

  for (const step of (jobs[0] as { steps: WorkflowStep[] }).steps) {
    const condition = step.if ?? 'success()';
    const runs = evaluateIf(condition, { outcomes, cancelled, jobFailed });
    const id = step.id;
    const isPipelineStep = id !== undefined && sluiceStepIds.has(id);
    let outcome: string;
    if (isPipelineStep && faults.cancelAt === id && !cancelled) {
      cancelled = true;
      outcome = runs ? 'cancelled' : 'skipped';
    } else if (!runs) {
      outcome = 'skipped';
    } else if (id === SETUP_STEP_ID && faults.setupFails) {
      outcome = 'failure';
    } else {
      outcome = isPipelineStep && faults.fail.has(id as string) ? 'failure' : 'success';
    }
    if (outcome === 'failure' && !step['continue-on-error']) jobFailed = true;
    if (id !== undefined) outcomes.set(id, outcome);
  }

  const statuses: Record<string, StepStatus> = {};
  for (const id of sluiceStepIds) statuses[id] = OUTCOME_TO_STATUS[outcomes.get(id) ?? 'skipped'] as StepStatus;
  return { statuses, result: cancelled ? 'cancelled' : jobFailed ? 'failed' : 'succeeded' };
}

interface JobState {
  outcomes: Map<string, string>;
  cancelled: boolean;
  jobFailed: boolean;
}

function evaluateIf(condition: string, state: JobState): boolean {
  const trimmed = condition.trim();
  let expression = trimmed.startsWith('${{') && trimmed.endsWith('}}') ? trimmed.slice(3, -2).trim() : trimmed;
  if (!STATUS_FUNCTIONS.some((name) => new RegExp(`\\b${name}\\s*\\(`).test(expression))) expression = `success() && (${expression})`;

  const lexed = new Lexer(expression).lex();
  const functions = [
    { name: 'always', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(true) },
    { name: 'cancelled', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(state.cancelled) },
    { name: 'success', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(!state.cancelled && !state.jobFailed) },
    { name: 'failure', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(!state.cancelled && state.jobFailed) },
  ];
  const parsed = new Parser(lexed.tokens, ['steps', 'inputs', 'github', 'job', 'secrets', 'env'], functions).parse();
  const steps = new data.Dictionary(
    ...[...state.outcomes].map(([id, outcome]) => ({
      key: id,
      value: new data.Dictionary({ key: 'outcome', value: new data.StringData(outcome) }),
    })),
  );
  const context = new data.Dictionary({ key: 'steps', value: steps });
  const result = new Evaluator(parsed, context, new Map(functions.map((f) => [f.name, f]))).evaluate();
  return truthy(result);
}

/**
 * A whole hand-written workflow (several jobs, `needs`, job-level `if`), as GitHub runs it, for the
 * import round trip. Written apart from the compiler's own model (import/github-model.ts) so the
 * two check each other. Beyond the single-job rules above:
 * - jobs run one after another in `order` (each after the jobs it needs);
 * - a job's `if` (default `success()`): success() = every ancestor job (transitively) succeeded and
 *   the run is not cancelled; failure() = some ancestor job failed and not cancelled; cancelled();
 *   always(); `needs.<job>.result` is `success`, `failure`, `cancelled` or `skipped`;
 * - inside a job, success()/failure() look at the job's own earlier steps and at whether the
 *   cancellation arrived while this job ran (a job started after it, by `always()`, runs normally);
 * - `stepIds` names the workflow's steps (by `jobs.<job>.steps[<n>]`); steps it does not name are
 *   set-up, which always succeeds.
 */
export interface WorkflowRunOptions {
  order: readonly string[];
  stepIds: ReadonlyMap<string, string>;
  eventName: string;
  inputs?: Record<string, string | number | boolean>;
}

export interface GithubWorkflowRun extends GithubRun {
  jobs: Record<string, string>;
}

interface OriginalStep {
  id?: string;
  if?: unknown;
  'continue-on-error'?: unknown;
}

export function runGithubWorkflow(workflowYaml: string, faults: GithubFaults, options: WorkflowRunOptions): GithubWorkflowRun {
  const workflow = parse(workflowYaml) as { jobs: Record<string, { needs?: string | string[]; if?: unknown; steps?: OriginalStep[] }> };
  const needsOf = (name: string): string[] => {
    const needs = workflow.jobs[name]?.needs;
    return needs === undefined ? [] : Array.isArray(needs) ? needs : [needs];
  };
  const ancestorsOf = (name: string): Set<string> => {
    const found = new Set<string>();
    const visit = (job: string): void => {
      for (const need of needsOf(job)) if (!found.has(need)) (found.add(need), visit(need));
    };
    visit(name);
    return found;
  };
  const results: Record<string, string> = {};
  const statuses: Record<string, StepStatus> = {};
  let cancelled = false;

  for (const name of options.order) {
    const job = workflow.jobs[name] ?? {};
    const needs = new data.Dictionary(...needsOf(name).map((need) => ({ key: need, value: new data.Dictionary({ key: 'result', value: new data.StringData(results[need] ?? 'skipped') }) })));
    const above = [...ancestorsOf(name)].map((ancestor) => results[ancestor] ?? 'skipped');
    const runs = evaluateWith(job.if, {
      success: !cancelled && above.every((result) => result === 'success'),
      failure: !cancelled && above.includes('failure'),
      cancelled,
      contexts: { needs },
      options,
    });
    const steps = job.steps ?? [];
    if (!runs) {
      results[name] = 'skipped';
      steps.forEach((_, index) => {
        const id = options.stepIds.get(`jobs.${name}.steps[${index}]`);
        if (id !== undefined) statuses[id] = 'skipped';
        // The cancellation aimed at a step of a skipped job arrives just before it.
        if (id !== undefined && id === faults.cancelAt) cancelled = true;
      });
      continue;
    }
    let failed = false;
    let cancelledHere = false;
    const outcomes: { key: string; value: data.Dictionary }[] = [];
    steps.forEach((step, index) => {
      const id = options.stepIds.get(`jobs.${name}.steps[${index}]`);
      const stepRuns = evaluateWith(step.if, {
        success: !cancelledHere && !failed,
        failure: !cancelledHere && failed,
        cancelled,
        contexts: { needs, steps: new data.Dictionary(...outcomes) },
        options,
      });
      let outcome: string;
      if (id !== undefined && faults.cancelAt === id && !cancelled) {
        cancelled = true;
        cancelledHere = stepRuns;
        outcome = stepRuns ? 'cancelled' : 'skipped';
      } else outcome = !stepRuns ? 'skipped' : id !== undefined && faults.fail.has(id) ? 'failure' : 'success';
      const continueOnError = step['continue-on-error'] === true;
      if (outcome === 'failure' && !continueOnError) failed = true;
      if (id !== undefined) statuses[id] = OUTCOME_TO_STATUS[outcome] as StepStatus;
      if (typeof step.id === 'string') {
        const conclusion = outcome === 'failure' && continueOnError ? 'success' : outcome;
        outcomes.push({ key: step.id, value: new data.Dictionary({ key: 'outcome', value: new data.StringData(outcome) }, { key: 'conclusion', value: new data.StringData(conclusion) }) });
      }
    });
    results[name] = cancelledHere ? 'cancelled' : failed ? 'failure' : 'success';
  }
  const result: RunResult = cancelled ? 'cancelled' : Object.values(results).includes('failure') ? 'failed' : 'succeeded';
  return { statuses, result, jobs: results };
}

function evaluateWith(condition: unknown, scope: { success: boolean; failure: boolean; cancelled: boolean; contexts: Record<string, data.Dictionary>; options: WorkflowRunOptions }): boolean {
  const raw = condition === undefined ? 'success()' : String(condition).trim();
  let expression = raw.startsWith('${{') && raw.endsWith('}}') ? raw.slice(3, -2).trim() : raw;
  if (!STATUS_FUNCTIONS.some((name) => new RegExp(`\\b${name}\\s*\\(`).test(expression.replace(/'[^']*'/g, "''")))) expression = `success() && (${expression})`;
  const functions = [
    { name: 'always', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(true) },
    { name: 'cancelled', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(scope.cancelled) },
    { name: 'success', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(scope.success) },
    { name: 'failure', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(scope.failure) },
  ];
  const contexts = ['steps', 'needs', 'inputs', 'github', 'job', 'secrets', 'env', 'vars', 'matrix', 'runner', 'strategy'];
  const parsed = new Parser(new Lexer(expression).lex().tokens, contexts, functions).parse();
  const values: Record<string, data.Dictionary> = {
    ...Object.fromEntries(contexts.map((name) => [name, new data.Dictionary()])),
    github: new data.Dictionary({ key: 'event_name', value: new data.StringData(scope.options.eventName) }),
    inputs: new data.Dictionary(
      ...Object.entries(scope.options.inputs ?? {}).map(([key, value]) => ({
        key,
        value: typeof value === 'boolean' ? new data.BooleanData(value) : typeof value === 'number' ? new data.NumberData(value) : new data.StringData(value),
      })),
    ),
    ...scope.contexts,
  };
  const context = new data.Dictionary(...Object.entries(values).map(([key, value]) => ({ key, value })));
  return truthy(new Evaluator(parsed, context, new Map(functions.map((f) => [f.name, f]))).evaluate());
}
