/**
 * Step conditions as GitHub expressions: prints the normal form (`@sluice/sdk/ir` condition-form),
 * atom by atom, restoring semantics.md inside one job:
 * - every `if:` names a status function, so GitHub's implicit `success() &&` never applies: a
 *   condition that may not run after a cancellation starts with `!cancelled() &&`, one that may is
 *   `always()` or carries `!cancelled()` on each status check (the form's `live` atoms);
 * - `failure()` arrives already expanded to upstream outcomes, because GitHub's own step-level
 *   failure() means any earlier step in the job.
 * Only step ids (validated identifiers) ever appear in the expression: no user value.
 */
import { foldCondition, normalCondition, type CheckedStatus, type ConditionAtom, type PipelineIR, type StepIR } from '@sluice/sdk/ir';

/** The id of the last environment set-up step: root steps run only when it succeeded. */
export const SETUP_STEP_ID = 'sluice-setup';

const OUTCOME: Record<CheckedStatus, string> = { succeeded: 'success', failed: 'failure', skipped: 'skipped' };

export function stepIf(pipeline: PipelineIR, step: StepIR, index: Map<string, StepIR>): string {
  const condition = normalCondition(pipeline, step, index);
  const body = foldCondition<string>(condition.form, {
    // `true` only comes from always(), which is also the status function GitHub needs to see.
    constant: (value) => (value ? 'always()' : 'false'),
    atom,
    and: (parts) => group(parts, ' && '),
    or: (parts) => group(parts, ' || '),
    not: (part) => `!(${part})`,
  });
  return condition.afterCancel ? `\${{ ${body} }}` : `\${{ !cancelled() && ${body} }}`;
}

function atom(atom: ConditionAtom): string {
  switch (atom.atom) {
    case 'ended':
      return outcomeIs(atom.step, OUTCOME[atom.status]);
    case 'prepared':
      return outcomeIs(SETUP_STEP_ID, 'success');
    case 'live':
      return '!cancelled()';
  }
}

function outcomeIs(id: string, outcome: string): string {
  return `steps.${id}.outcome == '${outcome}'`;
}

function group(parts: string[], operator: string): string {
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(operator)})`;
}
