/**
 * Step conditions in normal form: the one place where semantics.md's condition table is written.
 *
 * `success()`, `failure()` and the status checks are expanded against the step's needs and its
 * transitive upstream, and `always()`'s "may run after a cancellation" is lifted out as a flag, so
 * what remains is and/or/not over three atoms and the constants. Targets only print atoms (a GitHub
 * expression, an Argo `depends` term, a bash test) through `foldCondition`; the reference interpreter
 * and every oracle evaluate the same form with `conditionHolds`. Nothing here knows an engine.
 *
 * A step runs iff `(afterCancel || the run is not cancelled) && form`. The form keeps the shape the
 * user wrote (no constant folding, no flattening), so printed conditions stay recognisable.
 */
import { containsAlways, stepIndex, transitiveUpstream } from './graph.js';
import type { Condition, PipelineIR, StepIR, StepStatus } from './ir.js';

/** The final statuses a condition may ask about (a cancelled step only exists in a cancelled run). */
export type CheckedStatus = Exclude<StepStatus, 'cancelled'>;

export type ConditionAtom =
  /** Step `step` ended with `status`. */
  | { atom: 'ended'; step: string; status: CheckedStatus }
  /** The run has not been cancelled. Only in conditions that may run after a cancellation. */
  | { atom: 'live' }
  /**
   * The run's set-up (checkout, Python, `pip install`, `dbt deps`, credentials) succeeded. Set-up is
   * an implicit upstream of every step: `success()` on a step without needs waits for it, and
   * `failure()` holds when it failed. Targets print it as their set-up stage's success (GitHub's
   * `sluice-setup` step, Argo's `sluice-prepare` task, the bash runner's `SLUICE_PREPARED`).
   */
  | { atom: 'prepared' };

export type ConditionForm = boolean | ConditionAtom | { op: 'and' | 'or'; args: ConditionForm[] } | { op: 'not'; arg: ConditionForm };

export interface NormalCondition {
  /**
   * Whether the step may start after the run was cancelled (its condition contains `always()`).
   * When false, a cancelled run skips the step whatever `form` says, and `form` has no `live` atom;
   * when true, each status check in `form` carries its own `live` guard, so it is still false after
   * a cancellation (semantics.md: `not` of a status check stays false unless `always()` is there).
   */
  afterCancel: boolean;
  form: ConditionForm;
}

/** The normal form of one step's condition. */
export function normalCondition(pipeline: PipelineIR, step: StepIR, index: Map<string, StepIR> = stepIndex(pipeline)): NormalCondition {
  const afterCancel = containsAlways(step.condition);
  const guard = (check: ConditionForm): ConditionForm => (afterCancel ? { op: 'and', args: [{ atom: 'live' }, check] } : check);
  const expand = (condition: Condition): ConditionForm => {
    switch (condition.op) {
      case 'always':
        return true;
      case 'success':
        return guard(step.needs.length === 0 ? { atom: 'prepared' } : combine('and', step.needs.map((id) => ended(id, 'succeeded'))));
      case 'failure': {
        // The set-up, then the transitive upstream in declaration order (so printed conditions are
        // deterministic): a failed set-up is an upstream failure of every step.
        const upstream = transitiveUpstream(pipeline, step.id, index);
        const ids = pipeline.steps.filter((candidate) => upstream.has(candidate.id)).map((candidate) => candidate.id);
        return guard(combine('or', [{ op: 'not', arg: { atom: 'prepared' } }, ...ids.map((id) => ended(id, 'failed'))]));
      }
      case 'status':
        return guard(ended(condition.step, condition.status));
      case 'and':
      case 'or':
        return combine(condition.op, condition.args.map(expand));
      case 'not':
        return { op: 'not', arg: expand(condition.arg) };
    }
  };
  return { afterCancel, form: expand(step.condition) };
}

/** Every step's normal condition, computed once per pipeline, looked up by step id. */
export function normalConditions(pipeline: PipelineIR): (stepId: string) => NormalCondition {
  const index = stepIndex(pipeline);
  const byId = new Map(pipeline.steps.map((step) => [step.id, normalCondition(pipeline, step, index)]));
  return (stepId) => {
    const condition = byId.get(stepId);
    if (!condition) throw new Error(`No step '${stepId}' in pipeline '${pipeline.name}'.`);
    return condition;
  };
}

/** What a target (or the evaluator) does with each part of a form. */
export interface ConditionAlgebra<T> {
  constant(value: boolean): T;
  atom(atom: ConditionAtom): T;
  and(parts: T[]): T;
  or(parts: T[]): T;
  not(part: T): T;
}

/** The one traversal of a form: printers and the evaluator only say what each part becomes. */
export function foldCondition<T>(form: ConditionForm, algebra: ConditionAlgebra<T>): T {
  if (typeof form === 'boolean') return algebra.constant(form);
  if ('atom' in form) return algebra.atom(form);
  if (form.op === 'not') return algebra.not(foldCondition(form.arg, algebra));
  const parts = form.args.map((arg) => foldCondition(arg, algebra));
  return form.op === 'and' ? algebra.and(parts) : algebra.or(parts);
}

/** The statuses so far, whether the run was cancelled and whether its set-up succeeded: all a condition can look at. */
export interface RunState {
  statuses: Readonly<Record<string, StepStatus | undefined>>;
  cancelled: boolean;
  /** Whether the set-up succeeded (default: it did). */
  prepared?: boolean;
}

/** Whether a step with this condition runs, once every step it needs has a final status. */
export function conditionHolds(condition: NormalCondition, state: RunState): boolean {
  if (state.cancelled && !condition.afterCancel) return false;
  return foldCondition<boolean>(condition.form, {
    constant: (value) => value,
    atom: (atom) => (atom.atom === 'ended' ? state.statuses[atom.step] === atom.status : atom.atom === 'live' ? !state.cancelled : state.prepared !== false),
    and: (parts) => parts.every(Boolean),
    or: (parts) => parts.some(Boolean),
    not: (part) => !part,
  });
}

function ended(step: string, status: CheckedStatus): ConditionAtom {
  return { atom: 'ended', step, status };
}

/** One part stays itself: `and(x)` is `x`. */
function combine(op: 'and' | 'or', args: ConditionForm[]): ConditionForm {
  return args.length === 1 ? (args[0] as ConditionForm) : { op, args };
}
