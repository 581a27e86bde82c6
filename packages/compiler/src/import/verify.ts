/**
 * Import checks its own work: the original workflow (GitHub's rules, github-model.ts) and the
 * imported pipeline (Sluice's rules, the reference interpreter) are run side by side with no fault,
 * each single step failing, and a cancellation at each step, for every event that triggers the
 * workflow. Every step whose status differs, and every run result that differs, is returned by
 * name, for a TODO: import never changes what a workflow does without saying so.
 */
import type { Condition, PipelineIR, StepIR } from '@sluice/sdk/ir';
import { simulatePipeline } from '../simulate.js';
import { runWorkflowModel, type ModelContext, type ModelJob } from './github-model.js';

export interface ImportedStepShape {
  key: string;
  label: string;
  needs: string[];
  condition: Condition;
  allowFailure: boolean;
}

export interface Difference {
  /** The step whose status differs, or undefined for the run result. */
  step?: string;
  scenarios: string[];
}

export function verifyImport(jobs: readonly ModelJob[], steps: readonly ImportedStepShape[], contexts: readonly ModelContext[]): Difference[] {
  const pipeline = {
    name: 'imported',
    steps: steps.map((step): StepIR => ({ id: step.key, label: step.label, command: { kind: 'argv', argv: [] }, env: [], needs: step.needs, condition: step.condition, retries: 0, allowFailure: step.allowFailure, produces: [], consumes: [] }) as unknown as StepIR),
  } as unknown as PipelineIR;
  const keys = steps.map((step) => step.key);
  const scenarios: { name: string; fail: string[]; cancelAt?: string }[] = [
    { name: 'nothing fails', fail: [] },
    ...keys.map((key) => ({ name: `'${key}' fails`, fail: [key] })),
    ...keys.map((key) => ({ name: `the run is cancelled at '${key}'`, fail: [], cancelAt: key })),
  ];
  const byStep = new Map<string | undefined, string[]>();
  for (const context of contexts) {
    for (const scenario of scenarios) {
      const faults = { fail: new Set(scenario.fail), ...(scenario.cancelAt ? { cancelAt: scenario.cancelAt } : {}) };
      const original = runWorkflowModel(jobs, faults, context);
      const imported = simulatePipeline(pipeline, { fail: Object.fromEntries(scenario.fail.map((key) => [key, 'always' as const])), ...(scenario.cancelAt ? { cancelAt: scenario.cancelAt } : {}) });
      const where = contexts.length > 1 ? ` (on ${context.eventName})` : '';
      for (const key of keys) {
        if (original.statuses[key] !== imported.statuses[key]) {
          const list = byStep.get(key) ?? [];
          list.push(`when ${scenario.name}${where}: the workflow gives ${original.statuses[key]}, the pipeline ${imported.statuses[key]}`);
          byStep.set(key, list);
        }
      }
      if (original.result !== imported.result) {
        const list = byStep.get(undefined) ?? [];
        list.push(`when ${scenario.name}${where}: the workflow ends ${original.result}, the pipeline ${imported.result}`);
        byStep.set(undefined, list);
      }
    }
  }
  return [...byStep].map(([step, list]) => ({ ...(step !== undefined ? { step } : {}), scenarios: list }));
}
