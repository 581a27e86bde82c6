/** `sluice plan`: what a pipeline would run, in order, with conditions and commands. */
import { executionOrder, type PipelineIR, type TriggerIR } from '@sluice/sdk/ir';
import { describeCommand } from '@sluice/targets';
import { defaultRuns, secretsOf, whatStepsReceive } from './receives.js';
import { describeCondition } from './simulate.js';

/**
 * The plan as data: steps in order, and for each trigger what each step receives (a manual run with the
 * `--input` values given, other triggers with defaults; secrets shown as `<secret NAME>`, never read).
 */
export function planJson(pipeline: PipelineIR, dbtProjectDir: string, manualInputs: Record<string, string> = {}) {
  const secrets = Object.fromEntries(secretsOf(pipeline).map((name) => [name, `<secret ${name}>`]));
  return {
    pipeline: pipeline.name,
    steps: executionOrder(pipeline).map((step) => ({
      id: step.id,
      label: step.label,
      needs: step.needs,
      condition: describeCondition(step.condition),
      retries: step.retries,
      allowFailure: step.allowFailure,
      ...(step.timeoutMinutes !== undefined ? { timeoutMinutes: step.timeoutMinutes } : {}),
    })),
    receives: defaultRuns(pipeline).map((trigger) => {
      const run = trigger.kind === 'manual' ? { kind: 'manual' as const, inputs: manualInputs } : trigger;
      return { trigger: trigger.kind, ...whatStepsReceive(pipeline, run, { secrets, dbtProjectDir }) };
    }),
  };
}

export function renderPlan(pipeline: PipelineIR): string {
  const lines = [`Pipeline ${pipeline.name}${pipeline.source ? ` (${pipeline.source.file}:${pipeline.source.line})` : ''}`];
  if (pipeline.description) lines.push(`  ${pipeline.description}`);
  lines.push(`Triggers: ${pipeline.triggers.map(describeTrigger).join('; ')}`);
  if (pipeline.targets) lines.push(`Targets: ${pipeline.targets.join(', ')} only (other targets skip this pipeline)`);
  if (pipeline.inputs.length > 0) {
    lines.push('Inputs:');
    for (const input of pipeline.inputs) {
      const detail = [input.type, input.required ? 'required' : 'optional', input.default !== undefined ? `default ${JSON.stringify(input.default)}` : undefined];
      lines.push(`  ${input.name} (${detail.filter(Boolean).join(', ')})`);
    }
  }
  lines.push('Steps, in order:');
  const order = executionOrder(pipeline);
  const width = Math.max(...order.map((step) => step.id.length));
  order.forEach((step, position) => {
    const extras = [
      step.needs.length > 0 ? `needs ${step.needs.join(', ')}` : 'no needs',
      `runs if ${describeCondition(step.condition)}`,
      step.retries > 0 ? `retries ${step.retries}` : undefined,
      step.timeoutMinutes !== undefined ? `timeout ${step.timeoutMinutes} min` : undefined,
      step.allowFailure ? 'failure allowed' : undefined,
    ].filter(Boolean);
    const command = stateStepDescription(step) ?? describeCommand(step.command);
    lines.push(`  ${String(position + 1).padStart(2)}. ${step.id.padEnd(width)}  ${command}`);
    lines.push(`      ${' '.repeat(width)}  ${extras.join('; ')}`);
  });
  return `${lines.join('\n')}\n`;
}

function describeTrigger(trigger: TriggerIR): string {
  switch (trigger.kind) {
    case 'schedule':
      return `schedule '${trigger.cron}' (${trigger.timezone ?? 'UTC'})`;
    case 'manual':
      return 'manual';
    default: {
      const filters = [...trigger.branches.map((b) => `branch ${b}`), ...trigger.paths.map((p) => `path ${p}`)];
      return `${trigger.kind === 'push' ? 'push' : 'pull request'}${filters.length > 0 ? ` (${filters.join(', ')})` : ''}`;
    }
  }
}

/** An S3/GCS state step: where it reads or writes, and what each outcome does. */
function stateStepDescription(step: PipelineIR['steps'][number]): string | undefined {
  const command = step.command;
  if (command.kind === 'state-load' && command.store.kind !== 'github-artifact') {
    const url = command.set === 'last-run' ? `${command.store.url}/last-run` : command.store.url;
    return `${step.label}: ${url} -> ${command.dir} (absent: readers fall back; any other answer fails this step)`;
  }
  if (command.kind === 'state-save' && command.store.kind !== 'github-artifact') {
    return `${step.label}: ${command.from ?? '?'} -> ${command.store.url}/last-run/ always, and as the slim-CI baseline only when every node succeeded`;
  }
  return undefined;
}
