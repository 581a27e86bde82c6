/**
 * The normal form of step conditions (`@sluice/sdk/ir` condition-form) against semantics.md's
 * condition table, written plainly once here: for random pipelines (random conditions over each
 * step's upstream), random final statuses of the other steps and random cancellation, evaluating
 * the normal form gives what the table says. Every target prints this form and the interpreter and
 * the oracles evaluate it, so this is where the table's traps are pinned.
 *
 * SLUICE_PROPERTY_SEED / SLUICE_PROPERTY_RUNS explore further.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  conditionHolds,
  normalCondition,
  normalConditions,
  transitiveUpstream,
  type Condition,
  type ConditionForm,
  type PipelineIR,
  type StepIR,
  type StepStatus,
} from '@sluice/sdk/ir';
import { pipelineArbitrary } from './helpers/arbitraries.js';

const SEED = Number(process.env.SLUICE_PROPERTY_SEED ?? 20261130);
const RUNS = Number(process.env.SLUICE_PROPERTY_RUNS ?? 2000);

/** What a condition looks at (condition-form's RunState). */
type RunState = Parameters<typeof conditionHolds>[1];

interface Outcomes {
  statuses: Record<string, StepStatus>;
  cancelled: boolean;
  /** Whether the run's set-up succeeded. */
  prepared: boolean;
}

/**
 * semantics.md, "Conditions", word for word: the rules the normal form must agree with; plus the
 * set-up as an implicit upstream of every step (a need of the steps without needs).
 */
function tableSays(pipeline: PipelineIR, step: StepIR, outcomes: Outcomes): boolean {
  const mentionsAlways = (condition: Condition): boolean =>
    condition.op === 'always' || (condition.op === 'not' ? mentionsAlways(condition.arg) : 'args' in condition && condition.args.some(mentionsAlways));
  // "After cancellation only steps whose condition contains always() run."
  if (outcomes.cancelled && !mentionsAlways(step.condition)) return false;
  const notCancelled = !outcomes.cancelled;
  const holds = (condition: Condition): boolean => {
    switch (condition.op) {
      // "every step in needs is succeeded (vacuously true with no needs) and the run is not cancelled"
      case 'success':
        return step.needs.every((need) => outcomes.statuses[need] === 'succeeded') && (step.needs.length > 0 || outcomes.prepared) && notCancelled;
      // "some transitive upstream step is failed ... and the run is not cancelled"
      case 'failure':
        return (!outcomes.prepared || [...transitiveUpstream(pipeline, step.id)].some((id) => outcomes.statuses[id] === 'failed')) && notCancelled;
      // "always, including after cancellation"
      case 'always':
        return true;
      // "step s has that status, and the run is not cancelled"
      case 'status':
        return outcomes.statuses[condition.step] === condition.status && notCancelled;
      case 'and':
        return condition.args.every(holds);
      case 'or':
        return condition.args.some(holds);
      case 'not':
        return !holds(condition.arg);
    }
  };
  return holds(step.condition);
}

/** Final statuses for every step but the last (whose condition is judged); a cancelled step means a cancelled run. */
function scenario(maxSteps: number): fc.Arbitrary<{ pipeline: PipelineIR; outcomes: Outcomes }> {
  return pipelineArbitrary(maxSteps).chain((pipeline) =>
    fc
      .record({
        statuses: fc.tuple(...pipeline.steps.map(() => fc.constantFrom<StepStatus>('succeeded', 'succeeded', 'failed', 'skipped', 'cancelled'))),
        cancelledBefore: fc.boolean(),
        prepared: fc.boolean(),
      })
      .map(({ statuses, cancelledBefore, prepared }) => {
        const judged = pipeline.steps.length - 1;
        const byId = Object.fromEntries(pipeline.steps.flatMap((step, index) => (index === judged ? [] : [[step.id, statuses[index] as StepStatus]])));
        return { pipeline, outcomes: { statuses: byId, cancelled: cancelledBefore || Object.values(byId).includes('cancelled'), prepared } };
      }),
  );
}

function atoms(form: ConditionForm): string[] {
  if (typeof form === 'boolean') return [];
  if ('atom' in form) return [form.atom];
  return form.op === 'not' ? atoms(form.arg) : form.args.flatMap(atoms);
}

/** Whether every status atom sits in an `and` next to `live` (so it is false after a cancellation). */
function everyCheckGuarded(form: ConditionForm, guarded = false): boolean {
  if (typeof form === 'boolean') return true;
  if ('atom' in form) return form.atom === 'live' || guarded;
  if (form.op === 'not') return everyCheckGuarded(form.arg, guarded);
  const here = guarded || (form.op === 'and' && form.args.some((arg) => typeof arg === 'object' && 'atom' in arg && arg.atom === 'live'));
  return form.args.every((arg) => everyCheckGuarded(arg, here));
}

describe('condition normal form', () => {
  it('agrees with semantics.md for random conditions, statuses, cancellations and set-up failures', () => {
    let cancelledRuns = 0;
    let ranAfterCancel = 0;
    let ranAfterSetupFailure = 0;
    fc.assert(
      fc.property(scenario(7), ({ pipeline, outcomes }) => {
        const step = pipeline.steps[pipeline.steps.length - 1] as StepIR;
        const expected = tableSays(pipeline, step, outcomes);
        expect(conditionHolds(normalCondition(pipeline, step), outcomes)).toBe(expected);
        if (outcomes.cancelled) cancelledRuns++;
        if (outcomes.cancelled && expected) ranAfterCancel++;
        if (!outcomes.prepared && !outcomes.cancelled && expected) ranAfterSetupFailure++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The property saw the cases that matter: cancelled runs, and steps that still run after one.
    expect(cancelledRuns).toBeGreaterThan(RUNS / 4);
    expect(ranAfterCancel).toBeGreaterThan(RUNS / 50);
    expect(ranAfterSetupFailure).toBeGreaterThan(RUNS / 50);
  });

  it('has a run-not-cancelled atom exactly where a step may run after a cancellation, on every status check', () => {
    fc.assert(
      fc.property(pipelineArbitrary(7), (pipeline) => {
        for (const step of pipeline.steps) {
          const condition = normalConditions(pipeline)(step.id);
          if (!condition.afterCancel) expect(atoms(condition.form)).not.toContain('live');
          else expect(everyCheckGuarded(condition.form)).toBe(true);
        }
      }),
      { seed: SEED + 1, numRuns: RUNS / 4 },
    );
  });

  // The traps, by name, so a failure reads as the rule it breaks.
  const chain: PipelineIR = {
    name: 'chain',
    triggers: [{ kind: 'manual' }],
    inputs: [],
    env: [],
    runtime: { kind: 'image', image: 'dbt:test', dbtDeps: false },
    concurrency: { cancelInProgress: false },
    timeoutMinutes: 60,
    steps: (
      [
        ['a', [], { op: 'success' }],
        ['side', [], { op: 'success' }],
        ['b', ['a'], { op: 'always' }],
        ['c', ['b'], { op: 'failure' }],
        ['d', ['b'], { op: 'or', args: [{ op: 'always' }, { op: 'not', arg: { op: 'status', step: 'a', status: 'failed' } }] }],
        ['e', ['b'], { op: 'and', args: [{ op: 'always' }, { op: 'not', arg: { op: 'status', step: 'a', status: 'failed' } }] }],
      ] as const
    ).map(([id, needs, condition]): StepIR => ({
      id,
      label: 'shell',
      command: { kind: 'argv', argv: [] },
      env: [],
      needs: [...needs],
      condition: condition as Condition,
      retries: 0,
      allowFailure: false,
      produces: [],
      consumes: [],
    })),
  };
  const runs = (id: string, outcomes: RunState): boolean => conditionHolds(normalConditions(chain)(id), outcomes);

  it('failure() looks at the transitive upstream, not at any earlier step', () => {
    expect(runs('c', { statuses: { a: 'failed', b: 'succeeded' }, cancelled: false })).toBe(true);
    expect(runs('c', { statuses: { a: 'succeeded', side: 'failed', b: 'succeeded' }, cancelled: false })).toBe(false);
  });

  it('success() of a step without needs waits only for the set-up', () => {
    expect(normalConditions(chain)('a')).toEqual({ afterCancel: false, form: { atom: 'prepared' } });
    expect(runs('a', { statuses: {}, cancelled: false })).toBe(true);
    expect(runs('a', { statuses: {}, cancelled: true })).toBe(false);
    expect(runs('a', { statuses: {}, cancelled: false, prepared: false })).toBe(false);
  });

  it('failure() holds after a failed set-up, which is upstream of every step', () => {
    // c needs b needs a; a was skipped because the set-up failed.
    expect(runs('c', { statuses: { a: 'skipped', b: 'skipped' }, cancelled: false, prepared: false })).toBe(true);
    expect(runs('c', { statuses: { a: 'skipped', b: 'skipped' }, cancelled: false, prepared: true })).toBe(false);
    expect(runs('c', { statuses: { a: 'skipped', b: 'skipped' }, cancelled: true, prepared: false })).toBe(false);
  });

  it('not(status) stays false after a cancellation unless always() is in the expression', () => {
    const cancelled: RunState = { statuses: { a: 'succeeded', b: 'cancelled' }, cancelled: true };
    expect(runs('d', cancelled)).toBe(true);
    // and(always(), not(failed(a))): the guarded check is false after the cancel, so not(...) is true.
    expect(runs('e', cancelled)).toBe(true);
    expect(runs('c', cancelled)).toBe(false);
    expect(normalConditions(chain)('e')).toEqual({
      afterCancel: true,
      form: { op: 'and', args: [true, { op: 'not', arg: { op: 'and', args: [{ atom: 'live' }, { atom: 'ended', step: 'a', status: 'failed' }] } }] },
    });
  });
});
