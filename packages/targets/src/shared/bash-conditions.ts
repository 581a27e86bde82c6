/**
 * Step conditions as bash, over the statuses the script records (semantics.md). Same structure as
 * the reference interpreter: without `always()` the whole condition is guarded by "not cancelled";
 * with it, each status check carries its own guard. Only step ids (validated identifiers, quoted
 * anyway) appear in the code.
 */
import { containsAlways, transitiveUpstream, type Condition, type PipelineIR, type StepIR } from '@sluice/sdk/ir';
import { shellQuote } from './shell.js';

export function bashCondition(pipeline: PipelineIR, step: StepIR, index: Map<string, StepIR>): string {
  const guarded = containsAlways(step.condition);
  const body = render(step.condition, { pipeline, step, index, guarded });
  return guarded ? body : `sluice_live && ${body}`;
}

interface RenderContext {
  pipeline: PipelineIR;
  step: StepIR;
  index: Map<string, StepIR>;
  guarded: boolean;
}

const is = (id: string, status: string): string => `sluice_is ${shellQuote(id)} ${status}`;

function render(condition: Condition, context: RenderContext): string {
  const guard = (check: string): string => (context.guarded ? `{ sluice_live && ${check}; }` : check);
  switch (condition.op) {
    case 'always':
      return 'true';
    case 'success':
      return context.step.needs.length === 0 ? (context.guarded ? 'sluice_live' : 'true') : guard(group(context.step.needs.map((id) => is(id, 'succeeded')), ' && '));
    case 'failure': {
      const upstream = transitiveUpstream(context.pipeline, context.step.id, context.index);
      const ids = context.pipeline.steps.filter((candidate) => upstream.has(candidate.id)).map((s) => s.id);
      return ids.length === 0 ? 'false' : guard(group(ids.map((id) => is(id, 'failed')), ' || '));
    }
    case 'status':
      return guard(is(condition.step, condition.status));
    case 'and':
      return group(condition.args.map((arg) => render(arg, context)), ' && ');
    case 'or':
      return group(condition.args.map((arg) => render(arg, context)), ' || ');
    case 'not':
      return `! { ${render(condition.arg, context)}; }`;
  }
}

function group(parts: string[], operator: string): string {
  return parts.length === 1 ? (parts[0] as string) : `{ ${parts.join(operator)}; }`;
}
