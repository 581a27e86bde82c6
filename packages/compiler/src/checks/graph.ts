/**
 * Rules about the step graph: ids engines tell apart, needs without cycles, conditions on steps
 * that finish first. The condition rules run only on a graph without cycles (a cycle is reported
 * once, not again as every condition along it).
 */
import { DIAGNOSTIC_CODES, stepIndex, transitiveUpstream, type Condition, type PipelineIR, type StepIR } from '@sluice/sdk/ir';
import type { Rule } from './rule.js';

/**
 * Two step ids engines fold into one (job and task names ignore case). The code is the one for the
 * same step returned twice (lowering, lower-steps.ts): both are one step id given twice.
 */
export const idsDifferOnlyInCase: Rule = {
  code: DIAGNOSTIC_CODES.DUPLICATE_STEP,
  tier: 'typed',
  *check(pipeline) {
    const seen = new Map<string, string>();
    for (const step of pipeline.steps) {
      const clash = seen.get(step.id.toLowerCase());
      if (clash !== undefined) yield { step, message: `Step ids '${clash}' and '${step.id}' differ only in case; engines treat them as one.`, hint: 'Rename one of them.' };
      seen.set(step.id.toLowerCase(), step.id);
    }
  },
};

export const selfReference: Rule = {
  code: DIAGNOSTIC_CODES.SELF_REFERENCE,
  tier: 'typed',
  *check(pipeline) {
    for (const step of pipeline.steps) if (step.needs.includes(step.id)) yield { step, message: `Step '${step.id}' needs itself.`, hint: 'Remove it from its own needs.' };
    if (findCycle(pipeline)) return;
    for (const step of pipeline.steps) {
      if (statusReferences(step.condition).includes(step.id)) yield { step, message: `Step '${step.id}' has a condition on its own status.`, hint: 'A condition can only look at steps that finish before it.' };
    }
  },
};

export const cycle: Rule = {
  code: DIAGNOSTIC_CODES.CYCLE,
  tier: 'typed',
  *check(pipeline) {
    const found = findCycle(pipeline);
    const first = found && pipeline.steps.find((step) => step.id === found[0]);
    if (found && first) yield { step: first, message: `Steps form a cycle: ${found.join(' -> ')}.`, hint: 'Remove one of these needs or conditions so the steps can run in order.' };
  },
};

export const conditionNotUpstream: Rule = {
  code: DIAGNOSTIC_CODES.CONDITION_NOT_UPSTREAM,
  tier: 'typed',
  *check(pipeline) {
    if (findCycle(pipeline)) return;
    const index = stepIndex(pipeline);
    for (const step of pipeline.steps) {
      const referenced = statusReferences(step.condition).filter((other) => other !== step.id && index.has(other));
      if (referenced.length === 0) continue;
      const upstream = transitiveUpstream(pipeline, step.id, index);
      for (const other of referenced) {
        if (!upstream.has(other)) yield { step, message: `Step '${step.id}' has a condition on '${other}', which is not upstream of it.`, hint: `Add '${other}' to the needs of '${step.id}' (directly or through another step).` };
      }
    }
  },
};

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
function findCycle(pipeline: PipelineIR): string[] | undefined {
  const index: Map<string, StepIR> = stepIndex(pipeline);
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
