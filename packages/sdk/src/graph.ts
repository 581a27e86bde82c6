/**
 * Graph helpers over the IR, shared by the compiler and every target so that "upstream" and
 * "order" mean one thing everywhere. All are linear in the size of the pipeline.
 */
import type { Arg, Condition, PipelineIR, StepIR } from './ir.js';

/**
 * The deterministic execution order for sequential engines: each step after everything it needs,
 * otherwise in declaration order (depth-first over `needs`). Assumes the graph is acyclic
 * (validation rejects cycles before any target runs).
 */
export function executionOrder(pipeline: PipelineIR): StepIR[] {
  const byId = new Map(pipeline.steps.map((step) => [step.id, step]));
  const placed = new Set<string>();
  const order: StepIR[] = [];
  const place = (step: StepIR): void => {
    if (placed.has(step.id)) return;
    placed.add(step.id);
    for (const need of step.needs) {
      const upstream = byId.get(need);
      if (upstream) place(upstream);
    }
    order.push(step);
  };
  for (const step of pipeline.steps) place(step);
  return order;
}

/** Every step `stepId` depends on, directly or through other steps. */
export function transitiveUpstream(pipeline: PipelineIR, stepId: string, index = stepIndex(pipeline)): Set<string> {
  const seen = new Set<string>();
  const stack = [...(index.get(stepId)?.needs ?? [])];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(index.get(id)?.needs ?? []));
  }
  return seen;
}

export function stepIndex(pipeline: PipelineIR): Map<string, StepIR> {
  return new Map(pipeline.steps.map((step) => [step.id, step]));
}

/** Whether `always()` appears anywhere in the condition: only such steps may run after a cancellation. */
export function containsAlways(condition: Condition): boolean {
  switch (condition.op) {
    case 'always':
      return true;
    case 'and':
    case 'or':
      return condition.args.some(containsAlways);
    case 'not':
      return containsAlways(condition.arg);
    default:
      return false;
  }
}

/** The input names a step reads, through its argv or its environment, in first-use order. */
export function inputsUsedBy(pipeline: PipelineIR, step: StepIR): string[] {
  const names = new Set<string>();
  for (const variable of [...pipeline.env, ...step.env]) if (variable.value.kind === 'input') names.add(variable.value.name);
  if (step.command.kind === 'argv') for (const arg of flattenArgs(step.command.argv)) if (arg.kind === 'input' || arg.kind === 'switch') names.add(arg.name);
  return [...names];
}

/** Every argument, including those inside run-time choices (`whenFile`), in order. */
export function flattenArgs(argv: readonly Arg[]): Arg[] {
  return argv.flatMap((arg) => (arg.kind === 'whenFile' ? [arg, ...flattenArgs(arg.then), ...flattenArgs(arg.otherwise)] : [arg]));
}
