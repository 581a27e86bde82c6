/**
 * Step conditions as Argo `depends` expressions (Argo >= 3.6 task results): prints the normal form
 * (`@sluice/sdk/ir` condition-form) atom by atom. Our statuses map to task results: succeeded =
 * Succeeded; failed = Failed or Errored; skipped = Skipped or Omitted (our tasks never use `when`,
 * so a false condition leaves them Omitted). A task waits for every task its expression names, so
 * each need is named, with a clause that holds for any result when the condition itself does not
 * look at it.
 *
 * The expression stays structured (`DependsExpression`) until it is printed, so which tasks a task
 * waits for is read from the structure, never from the printed text.
 */
import { foldCondition, type CheckedStatus, type ConditionAtom, type NormalCondition } from '@sluice/sdk/ir';

type TaskResult = 'Succeeded' | 'Failed' | 'Errored' | 'Skipped' | 'Omitted';

export type DependsExpression =
  /** The task ended with one of these results. */
  | { task: string; results: readonly TaskResult[] }
  | { op: '&&' | '||'; args: DependsExpression[] }
  | { op: '!'; arg: DependsExpression };

const RESULTS: Record<CheckedStatus, readonly TaskResult[]> = { succeeded: ['Succeeded'], failed: ['Failed', 'Errored'], skipped: ['Skipped', 'Omitted'] };
const ANY_RESULT: readonly TaskResult[] = ['Succeeded', 'Failed', 'Errored', 'Skipped', 'Omitted'];

export interface DependsContext {
  /** Step id -> task name. */
  taskName: (id: string) => string;
  /** The task a root step's success() waits for (the workspace preparation). */
  prepareTask: string;
}

/** What a task's scheduling looks like: the tasks it waits for and, if any, a condition on them. */
export interface Scheduling {
  /** The `depends` field as a list of clauses that must all hold; empty for a task that waits for nothing. */
  depends: DependsExpression[];
  /** Set when the condition is statically false: the task is skipped once its needs are done. */
  never?: true;
}

/** Any final result: names the task so Argo waits for it. */
export function finished(task: string): DependsExpression {
  return { task, results: ANY_RESULT };
}

/**
 * The scheduling of a step of the main DAG, whose condition cannot run after a cancellation (Argo
 * runs those steps in the exit handler, and the target refuses conditions mixing both).
 */
export function schedulingFor(condition: NormalCondition, needs: readonly string[], context: DependsContext): Scheduling {
  if (condition.afterCancel) throw new Error('Argo: a condition that may run after a cancellation belongs to the exit handler (refused before emission otherwise).');
  const expression = foldCondition<DependsExpression | boolean>(condition.form, {
    constant: (value) => value,
    atom: (atom) => term(atom, context),
    and: (parts) => combine(parts, '&&'),
    or: (parts) => combine(parts, '||'),
    not: (part) => (typeof part === 'boolean' ? !part : { op: '!', arg: part }),
  });
  const mentioned = typeof expression === 'boolean' ? new Set<string>() : tasksIn(expression);
  const waits = needs.filter((task) => !mentioned.has(task)).map(finished);
  return {
    depends: [...waits, ...(typeof expression === 'boolean' ? [] : [expression])],
    ...(expression === false ? { never: true as const } : {}),
  };
}

/** Every task the expression names: the tasks Argo waits for. */
export function tasksIn(expression: DependsExpression): Set<string> {
  if ('task' in expression) return new Set([expression.task]);
  const args = expression.op === '!' ? [expression.arg] : expression.args;
  return new Set(args.flatMap((arg) => [...tasksIn(arg)]));
}

/** A `depends` field's text, from clauses that must all hold. */
export function printDepends(clauses: readonly DependsExpression[]): string {
  return clauses.map(printPart).join(' && ');
}

function printPart(expression: DependsExpression): string {
  if ('task' in expression) return group(expression.results.map((result) => `${expression.task}.${result}`), '||');
  if (expression.op === '!') {
    const inner = printPart(expression.arg);
    return `!${inner.startsWith('(') ? inner : `(${inner})`}`;
  }
  return group(expression.args.map(printPart), expression.op);
}

function term(atom: ConditionAtom, context: DependsContext): DependsExpression {
  switch (atom.atom) {
    case 'ended':
      return { task: context.taskName(atom.step), results: RESULTS[atom.status] };
    case 'prepared':
      return { task: context.prepareTask, results: ['Succeeded'] };
    case 'live':
      throw new Error('Argo: run-not-cancelled is only part of conditions that run after a cancellation (exit handler).');
  }
}

/** Joins with && or ||, folding constants so no bare `true`/`false` reaches Argo. */
function combine(parts: (DependsExpression | boolean)[], op: '&&' | '||'): DependsExpression | boolean {
  const absorbing = op === '||';
  if (parts.some((part) => part === absorbing)) return absorbing;
  const kept = parts.filter((part): part is DependsExpression => typeof part !== 'boolean');
  if (kept.length === 0) return !absorbing;
  return kept.length === 1 ? (kept[0] as DependsExpression) : { op, args: kept };
}

function group(parts: string[], operator: '&&' | '||'): string {
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(` ${operator} `)})`;
}
