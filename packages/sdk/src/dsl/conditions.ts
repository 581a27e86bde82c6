import type { SourceLocation } from '../ir.js';
import { callSite } from '../location.js';
import { BRAND, hasBrand } from './brand.js';
import type { Step } from './steps.js';

/**
 * A typed condition (see semantics.md). Status checks name upstream steps by value, so a typo is a
 * type error and a non-upstream step is a compile error.
 */
export type Condition =
  | Leaf<'success'>
  | Leaf<'failure'>
  | Leaf<'always'>
  | (Leaf<'status'> & { readonly step: Step; readonly status: 'succeeded' | 'failed' | 'skipped' })
  | (Leaf<'and' | 'or'> & { readonly args: readonly Condition[] })
  | (Leaf<'not'> & { readonly arg: Condition });

interface Leaf<Op extends string> {
  readonly [BRAND]: 'condition';
  readonly op: Op;
  readonly location?: SourceLocation;
}

/** Whether a value was built by `when.*` (by any copy of the SDK). */
export const isCondition = (value: unknown): value is Condition => hasBrand(value, 'condition');

export const when = {
  /** Every step in `needs` succeeded and the run is not cancelled. The default. */
  success: (): Condition => ({ [BRAND]: 'condition', op: 'success', location: callSite(when.success) }),
  /** Some transitive upstream step failed and the run is not cancelled. */
  failure: (): Condition => ({ [BRAND]: 'condition', op: 'failure', location: callSite(when.failure) }),
  /** Always, even after a failure or a cancellation (notifiers). */
  always: (): Condition => ({ [BRAND]: 'condition', op: 'always', location: callSite(when.always) }),
  /** Upstream `step` succeeded (and the run is not cancelled). */
  succeeded: (step: Step): Condition => ({ [BRAND]: 'condition', op: 'status', step, status: 'succeeded', location: callSite(when.succeeded) }),
  /** Upstream `step` failed (and the run is not cancelled). */
  failed: (step: Step): Condition => ({ [BRAND]: 'condition', op: 'status', step, status: 'failed', location: callSite(when.failed) }),
  /** Upstream `step` was skipped (and the run is not cancelled). */
  skipped: (step: Step): Condition => ({ [BRAND]: 'condition', op: 'status', step, status: 'skipped', location: callSite(when.skipped) }),
  and: (...args: [Condition, ...Condition[]]): Condition => ({ [BRAND]: 'condition', op: 'and', args, location: callSite(when.and) }),
  or: (...args: [Condition, ...Condition[]]): Condition => ({ [BRAND]: 'condition', op: 'or', args, location: callSite(when.or) }),
  not: (arg: Condition): Condition => ({ [BRAND]: 'condition', op: 'not', arg, location: callSite(when.not) }),
};
