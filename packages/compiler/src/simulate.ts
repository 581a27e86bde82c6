/**
 * The reference interpreter: what semantics.md says a pipeline does under a given set of faults.
 * Every target's output is checked against it. It runs steps in the deterministic execution order
 * (the order sequential targets use); since conditions only look upstream, the order does not
 * change any status, only which steps had finished when a cancellation arrives.
 */
import {
  conditionHolds,
  executionOrder,
  normalCondition,
  normalConditions,
  stepIndex,
  type Condition,
  type PipelineIR,
  type RunResult,
  type SluiceIR,
  type StepIR,
  type StepStatus,
} from '@sluice/sdk/ir';

export interface Faults {
  /** How many attempts of a step fail (`'always'`: every attempt). A step fails when this exceeds its retries. */
  fail?: Record<string, number | 'always'>;
  /**
   * The run is cancelled while this step runs (it ends `cancelled`). If the step would not have run,
   * the cancellation arrives just before it (it is `skipped`, like everything after it except
   * `always()` steps).
   */
  cancelAt?: string;
  /**
   * The run's set-up (checkout, Python, `pip install`, `dbt deps`, credentials) fails before the
   * first step: the steps that wait for it skip, `failure()` and `always()` steps still run, and the
   * run is `failed` (unless cancelled).
   */
  setupFails?: boolean;
}

export interface Simulation {
  statuses: Record<string, StepStatus>;
  result: RunResult;
  /** Steps that started, in order. */
  executed: string[];
}

export function simulate(ir: SluiceIR, pipelineName: string, faults: Faults = {}): Simulation {
  const pipeline = ir.pipelines.find((candidate) => candidate.name === pipelineName);
  if (!pipeline) throw new Error(`No pipeline named '${pipelineName}'.`);
  return simulatePipeline(pipeline, faults);
}

export interface SimulationOptions {
  /**
   * The order steps run in, when an engine uses another topological order than the default one
   * (Argo runs always() steps last, as its exit handler). Statuses never depend on it; only which
   * steps had finished when a cancellation arrives does.
   */
  order?: readonly string[];
}

export function simulatePipeline(pipeline: PipelineIR, faults: Faults = {}, options: SimulationOptions = {}): Simulation {
  const index = stepIndex(pipeline);
  const order = options.order ? options.order.map((id) => index.get(id) as StepIR) : executionOrder(pipeline);
  if (options.order) assertTopological(order, pipeline);
  const conditionOf = normalConditions(pipeline);
  const statuses: Record<string, StepStatus> = {};
  const executed: string[] = [];
  let cancelled = false;
  const prepared = faults.setupFails !== true;

  for (const step of order) {
    const runs = conditionHolds(conditionOf(step.id), { statuses, cancelled, prepared });
    if (faults.cancelAt === step.id && !cancelled) {
      cancelled = true;
      if (runs) executed.push(step.id);
      statuses[step.id] = runs ? 'cancelled' : 'skipped';
      continue;
    }
    if (!runs) {
      statuses[step.id] = 'skipped';
      continue;
    }
    executed.push(step.id);
    const failingAttempts = faults.fail?.[step.id] ?? 0;
    statuses[step.id] = failingAttempts === 'always' || failingAttempts > step.retries ? 'failed' : 'succeeded';
  }

  return { statuses, result: runResult(pipeline, statuses, cancelled, prepared), executed };
}

function assertTopological(order: readonly StepIR[], pipeline: PipelineIR): void {
  const seen = new Set<string>();
  for (const step of order) {
    if (!step || step.needs.some((need) => !seen.has(need))) throw new Error('simulate: the given order is not a topological order of the steps');
    seen.add(step.id);
  }
  if (seen.size !== pipeline.steps.length) throw new Error('simulate: the given order does not list every step once');
}

export function runResult(pipeline: PipelineIR, statuses: Record<string, StepStatus>, cancelled: boolean, prepared = true): RunResult {
  if (cancelled) return 'cancelled';
  if (!prepared) return 'failed';
  return pipeline.steps.some((step) => statuses[step.id] === 'failed' && !step.allowFailure) ? 'failed' : 'succeeded';
}

interface EvaluationContext {
  pipeline: PipelineIR;
  index: Map<string, StepIR>;
  statuses: Record<string, StepStatus>;
  cancelled: boolean;
  prepared?: boolean;
}

/** Whether a step runs, once everything it needs has a final status (semantics.md, Conditions). */
export function shouldRun(step: StepIR, context: EvaluationContext): boolean {
  return conditionHolds(normalCondition(context.pipeline, step, context.index), context);
}

/** A condition as people write it: `and(always(), failed(run))`. */
export function describeCondition(condition: Condition): string {
  switch (condition.op) {
    case 'success':
    case 'failure':
    case 'always':
      return `${condition.op}()`;
    case 'status':
      return `${condition.status}(${condition.step})`;
    case 'and':
    case 'or':
      return `${condition.op}(${condition.args.map(describeCondition).join(', ')})`;
    case 'not':
      return `not(${describeCondition(condition.arg)})`;
  }
}
