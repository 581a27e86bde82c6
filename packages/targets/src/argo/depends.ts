/**
 * Step conditions as Argo `depends` expressions (Argo >= 3.6 task results). Our statuses map to
 * task results: succeeded = Succeeded; failed = Failed or Errored; skipped = Skipped or Omitted
 * (our tasks never use `when`, so a false condition leaves them Omitted). A task waits for every
 * task its expression names, so each need is named, with a clause that holds for any result when
 * the condition itself does not look at it.
 */
import { transitiveUpstream, type Condition, type PipelineIR, type StepIR } from '@sluice/sdk/ir';

export interface DependsContext {
  pipeline: PipelineIR;
  index: Map<string, StepIR>;
  /** Step id -> task name. */
  taskName: (id: string) => string;
  /** Tasks every root task waits for (the workspace preparation), by task name. */
  rootNeeds: readonly string[];
}

const succeeded = (task: string): string => `${task}.Succeeded`;
const failed = (task: string): string => `(${task}.Failed || ${task}.Errored)`;
const skipped = (task: string): string => `(${task}.Skipped || ${task}.Omitted)`;
/** True for any final result: names the task so Argo waits for it. */
export const finished = (task: string): string => `(${task}.Succeeded || ${task}.Failed || ${task}.Errored || ${task}.Skipped || ${task}.Omitted)`;

/** What a task's scheduling looks like: the tasks it waits for and, if any, a condition on them. */
export interface Scheduling {
  /** The `depends` expression, or undefined for a task that waits for nothing. */
  depends?: string;
  /** Set when the condition is statically false: the task is skipped once its needs are done. */
  never?: true;
}

export function schedulingFor(step: StepIR, context: DependsContext): Scheduling {
  const needs = step.needs.length > 0 ? step.needs.map(context.taskName) : [...context.rootNeeds];
  const expression = render(step.condition, step, context, needs);
  const mentioned = typeof expression === 'string' ? new Set([...expression.matchAll(/([a-z0-9-]+)\.(?:Succeeded|Failed|Errored|Skipped|Omitted)/g)].map((m) => m[1] as string)) : new Set<string>();
  const waits = needs.filter((task) => !mentioned.has(task)).map(finished);
  const parts = [...waits, ...(typeof expression === 'string' ? [expression] : [])];
  return {
    ...(parts.length > 0 ? { depends: parts.join(' && ') } : {}),
    ...(expression === false ? { never: true as const } : {}),
  };
}

type Rendered = string | boolean;

function render(condition: Condition, step: StepIR, context: DependsContext, needs: readonly string[]): Rendered {
  switch (condition.op) {
    case 'always':
      return true;
    case 'success':
      return needs.length === 0 ? true : combine(needs.map(succeeded), '&&');
    case 'failure': {
      const upstream = transitiveUpstream(context.pipeline, step.id, context.index);
      const tasks = context.pipeline.steps.filter((candidate) => upstream.has(candidate.id)).map((s) => context.taskName(s.id));
      return tasks.length === 0 ? false : combine(tasks.map(failed), '||');
    }
    case 'status': {
      const task = context.taskName(condition.step);
      return condition.status === 'succeeded' ? succeeded(task) : condition.status === 'failed' ? failed(task) : skipped(task);
    }
    case 'and':
      return combine(condition.args.map((arg) => render(arg, step, context, needs)), '&&');
    case 'or':
      return combine(condition.args.map((arg) => render(arg, step, context, needs)), '||');
    case 'not': {
      const inner = render(condition.arg, step, context, needs);
      return typeof inner === 'boolean' ? !inner : `!${inner.startsWith('(') ? inner : `(${inner})`}`;
    }
  }
}

/** Joins with && or ||, folding constants so no bare `true`/`false` reaches Argo. */
function combine(parts: Rendered[], operator: '&&' | '||'): Rendered {
  const absorbing = operator === '||';
  if (parts.some((part) => part === absorbing)) return absorbing;
  const kept = parts.filter((part): part is string => typeof part === 'string');
  if (kept.length === 0) return !absorbing;
  return kept.length === 1 ? (kept[0] as string) : `(${kept.join(` ${operator} `)})`;
}
