/**
 * A model of how GitHub Actions runs the steps of one job, used to check emitted workflows against
 * the reference interpreter. It reads only the emitted YAML: each step's `if:` is evaluated with
 * GitHub's own expression engine (@actions/expressions) under GitHub's documented rules:
 * - an `if` without a status function is implicitly `success() && (...)`;
 * - success() is true while no earlier step failed (continue-on-error aside) and the run is not
 *   cancelled; failure() when an earlier step failed; cancelled() after cancellation; always();
 * - a step whose `if` is false is `skipped`; `continue-on-error` keeps the job green;
 * - after cancellation the running step ends `cancelled`.
 * Setup steps (without a Sluice step id) succeed. A pipeline step's fault is its final outcome.
 */
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';
import type { RunResult, StepStatus } from '@sluice/sdk';
import { parse } from 'yaml';

export interface GithubFaults {
  /** Steps whose final outcome is failure. */
  fail: ReadonlySet<string>;
  cancelAt?: string;
}

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

export function evaluateIf(condition: string, state: JobState): boolean {
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
