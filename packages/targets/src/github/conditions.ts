/**
 * Step conditions as GitHub expressions, restoring semantics.md inside one job:
 * - every `if:` names a status function, so GitHub's implicit `success() &&` never applies;
 * - `failure()` becomes "some transitive upstream step's outcome is failure", because GitHub's own
 *   step-level failure() means any earlier step in the job;
 * - a condition without `always()` is guarded by `!cancelled()`; inside one with `always()`, each
 *   status check carries its own guard, so checks stay false after a cancellation.
 * Only step ids (validated identifiers) ever appear in the expression: no user value.
 */
import { containsAlways, transitiveUpstream, type Condition, type PipelineIR, type StepIR } from '@sluice/sdk/ir';

/** The id of the last environment set-up step: root steps run only when it succeeded. */
export const SETUP_STEP_ID = 'sluice-setup';

const OUTCOME = { succeeded: 'success', failed: 'failure', skipped: 'skipped' } as const;

export function stepIf(pipeline: PipelineIR, step: StepIR, index: Map<string, StepIR>): string {
  const guarded = containsAlways(step.condition);
  const body = render(step.condition, { pipeline, step, index, guarded });
  return guarded ? `\${{ ${body} }}` : `\${{ !cancelled() && ${body} }}`;
}

interface RenderContext {
  pipeline: PipelineIR;
  step: StepIR;
  index: Map<string, StepIR>;
  /** Whether each status check must carry its own `!cancelled()`. */
  guarded: boolean;
}

function outcomeIs(id: string, outcome: string): string {
  return `steps.${id}.outcome == '${outcome}'`;
}

function render(condition: Condition, context: RenderContext): string {
  const guard = (check: string): string => (context.guarded ? `(!cancelled() && ${check})` : check);
  switch (condition.op) {
    case 'always':
      return 'always()';
    case 'success': {
      const needs = context.step.needs.length > 0 ? context.step.needs : [SETUP_STEP_ID];
      return guard(group(needs.map((id) => outcomeIs(id, 'success')), ' && '));
    }
    case 'failure': {
      const upstream = transitiveUpstream(context.pipeline, context.step.id, context.index);
      const ordered = context.pipeline.steps.filter((candidate) => upstream.has(candidate.id)).map((s) => s.id);
      return ordered.length === 0 ? 'false' : guard(group(ordered.map((id) => outcomeIs(id, 'failure')), ' || '));
    }
    case 'status':
      return guard(outcomeIs(condition.step, OUTCOME[condition.status]));
    case 'and':
      return group(condition.args.map((arg) => render(arg, context)), ' && ');
    case 'or':
      return group(condition.args.map((arg) => render(arg, context)), ' || ');
    case 'not':
      return `!(${render(condition.arg, context)})`;
  }
}

function group(parts: string[], operator: string): string {
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(operator)})`;
}
