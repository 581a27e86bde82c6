/** Lowering of a pipeline's triggers, each with its pipeline.ts location. */
import type { TriggerIR } from '@sluice/sdk/ir';
import { sourceAt, type PipelineScope } from './lower-scope.js';

export function lowerTriggers({ pipeline, context }: PipelineScope): TriggerIR[] {
  return (pipeline.spec.triggers ?? []).map((trigger) => {
    const source = sourceAt(context.mapLocation(trigger.location));
    switch (trigger.kind) {
      case 'schedule':
        return { kind: 'schedule', cron: trigger.cron, ...(trigger.timezone ? { timezone: trigger.timezone } : {}), ...source };
      case 'manual':
        return { kind: 'manual', ...source };
      default:
        return { kind: trigger.kind, branches: [...trigger.branches], paths: [...trigger.paths], ...source };
    }
  });
}
