/**
 * What GitHub Actions does with a workflow's jobs and steps under a given failure or cancellation,
 * so import can compare the original with the pipeline it wrote (and tests can compare the original
 * with the compiled result). Conditions are evaluated with GitHub's engine (@actions/expressions)
 * under GitHub's documented status rules:
 * - an `if` without a status function is `success() && (...)`; a missing `if` is `success()`;
 * - step level: success() = the job was not cancelled while it ran and no earlier step of the job
 *   failed (a failure under `continue-on-error` does not count); failure() = not cancelled and one
 *   did; cancelled(); always(). A job that starts after the run was cancelled (its `if` has
 *   `always()`) runs its steps normally: that is how a notifier job reports a cancelled run;
 * - job level: success() = not cancelled and every ancestor job (transitively) succeeded; failure()
 *   = not cancelled and some ancestor job failed; `needs.<job>.result` for direct needs;
 * - a step whose `if` is false is skipped; a job whose `if` is false is skipped with all its steps;
 * - the step running when the run is cancelled ends `cancelled`, and so does its job; a cancellation
 *   aimed at a step that does not run (or whose job is skipped) arrives just before it, as in the
 *   reference interpreter.
 * Jobs run one after the other in the given (topological) order, steps in file order, which is the
 * order Sluice's single GitHub job uses; faults name steps by key.
 */
import { data, Evaluator, type Expr } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';
import type { RunResult, StepStatus } from '@sluice/sdk/ir';
import { CONTEXTS, hasStatusFunction, parseExpression, stripDelimiters } from './expressions.js';

interface ModelStep {
  key: string;
  /** The step's `id:` in the workflow, for `steps.<id>`. */
  ghId?: string;
  if?: string;
  continueOnError: boolean;
}
export interface ModelJob {
  name: string;
  needs: string[];
  if?: string;
  steps: ModelStep[];
}
export interface ModelContext {
  eventName: string;
  inputs: Record<string, string | number | boolean>;
}
export interface ModelFaults {
  fail: ReadonlySet<string>;
  cancelAt?: string;
}
export interface ModelRun {
  statuses: Record<string, StepStatus>;
  jobs: Record<string, 'success' | 'failure' | 'cancelled' | 'skipped'>;
  result: RunResult;
}

const OUTCOME_STATUS: Record<string, StepStatus> = { success: 'succeeded', failure: 'failed', skipped: 'skipped', cancelled: 'cancelled' };

/** `jobs` must be in an order where every job comes after the jobs it needs. */
export function runWorkflowModel(jobs: readonly ModelJob[], faults: ModelFaults, context: ModelContext): ModelRun {
  const byName = new Map(jobs.map((job) => [job.name, job]));
  const ancestors = (job: ModelJob, seen = new Set<string>()): Set<string> => {
    for (const need of job.needs) {
      if (seen.has(need)) continue;
      seen.add(need);
      const needed = byName.get(need);
      if (needed) ancestors(needed, seen);
    }
    return seen;
  };
  const results: ModelRun['jobs'] = {};
  const statuses: Record<string, StepStatus> = {};
  let cancelled = false;

  for (const job of jobs) {
    const needsContext = (): data.Dictionary => dict(Object.fromEntries(job.needs.map((need) => [need, dict({ result: results[need] ?? 'skipped' })])));
    const above = [...ancestors(job)].map((name) => results[name] ?? 'skipped');
    const jobRuns = evaluate(job.if, {
      success: () => !cancelled && above.every((result) => result === 'success'),
      failure: () => !cancelled && above.some((result) => result === 'failure'),
      cancelled: () => cancelled,
      contexts: { needs: needsContext() },
      context,
    });
    if (!jobRuns) {
      results[job.name] = 'skipped';
      for (const step of job.steps) statuses[step.key] = 'skipped';
      // A cancellation meant for one of these steps arrives just before it (as in the interpreter).
      if (job.steps.some((step) => step.key === faults.cancelAt)) cancelled = true;
      continue;
    }
    let jobFailed = false;
    let jobCancelled = false; // the cancellation arrived while this job ran
    const stepsContext: Record<string, data.ExpressionData> = {};
    for (const step of job.steps) {
      const runs = evaluate(step.if, {
        success: () => !jobCancelled && !jobFailed,
        failure: () => !jobCancelled && jobFailed,
        cancelled: () => cancelled,
        contexts: { steps: dict(stepsContext), needs: needsContext() },
        context,
      });
      let outcome: 'success' | 'failure' | 'skipped' | 'cancelled';
      if (faults.cancelAt === step.key && !cancelled) {
        cancelled = true;
        outcome = runs ? 'cancelled' : 'skipped';
        if (runs) jobCancelled = true;
      } else outcome = !runs ? 'skipped' : faults.fail.has(step.key) ? 'failure' : 'success';
      if (outcome === 'failure' && !step.continueOnError) jobFailed = true;
      statuses[step.key] = OUTCOME_STATUS[outcome] as StepStatus;
      const conclusion = outcome === 'failure' && step.continueOnError ? 'success' : outcome;
      if (step.ghId !== undefined) stepsContext[step.ghId] = dict({ outcome, conclusion });
    }
    results[job.name] = jobCancelled ? 'cancelled' : jobFailed ? 'failure' : 'success';
  }
  const result: RunResult = cancelled ? 'cancelled' : Object.values(results).includes('failure') ? 'failed' : 'succeeded';
  return { statuses, jobs: results, result };
}

interface Scope {
  success: () => boolean;
  failure: () => boolean;
  cancelled: () => boolean;
  contexts: Record<string, data.ExpressionData>;
  context: ModelContext;
}

function evaluate(condition: string | undefined, scope: Scope): boolean {
  let expression: Expr = parseExpression(stripDelimiters(condition ?? 'success()'));
  if (!hasStatusFunction(expression)) expression = parseExpression(`success() && (${stripDelimiters(condition as string)})`);
  const functions = [
    { name: 'always', description: '', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(true) },
    { name: 'success', description: '', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(scope.success()) },
    { name: 'failure', description: '', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(scope.failure()) },
    { name: 'cancelled', description: '', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(scope.cancelled()) },
  ];
  const context = new data.Dictionary(
    ...Object.entries({
      ...Object.fromEntries(CONTEXTS.map((name) => [name, dict({})])),
      github: dict({ event_name: scope.context.eventName }),
      inputs: dict(scope.context.inputs),
      ...scope.contexts,
    }).map(([key, value]) => ({ key, value })),
  );
  return truthy(new Evaluator(expression, context, new Map(functions.map((f) => [f.name, f]))).evaluate());
}

function dict(values: Record<string, data.ExpressionData | string | number | boolean>): data.Dictionary {
  return new data.Dictionary(
    ...Object.entries(values).map(([key, value]) => ({
      key,
      value: typeof value === 'string' ? new data.StringData(value) : typeof value === 'number' ? new data.NumberData(value) : typeof value === 'boolean' ? new data.BooleanData(value) : value,
    })),
  );
}
