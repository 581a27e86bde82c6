/**
 * Each target's behaviour for one pipeline and one fault scenario, through its oracle, in the
 * reference interpreter's terms (step statuses and the run result).
 */
import { executionOrder, normalConditions, type PipelineIR } from '@sluice/sdk/ir';
import { dnsLabel, emitArgo, emitGithub } from '@sluice/targets';
import type { Faults } from '@sluice/compiler';
import { runArgo, statusesFromPhases } from './argo.js';
import { runGithubJob } from './github.js';

/** Faults as final outcomes, for engines whose retries happen inside the step. */
function finalFailures(pipelineIR: PipelineIR, faults: Faults): Set<string> {
  const failing = new Set<string>();
  for (const step of pipelineIR.steps) {
    const attempts = faults.fail?.[step.id] ?? 0;
    if (attempts === 'always' || attempts > step.retries) failing.add(step.id);
  }
  return failing;
}

export function onGithub(pipelineIR: PipelineIR, faults: Faults) {
  const ir = { irVersion: 1 as const, source: 'pipeline.ts', dbtProjectDir: '.', pipelines: [pipelineIR] };
  const workflow = emitGithub(ir).files.find((file) => file.path.endsWith(`${pipelineIR.name}.yml`));
  if (!workflow) throw new Error('no workflow emitted');
  const ids = new Set(pipelineIR.steps.map((step) => step.id));
  return runGithubJob(
    workflow.content,
    { fail: finalFailures(pipelineIR, faults), ...(faults.cancelAt ? { cancelAt: faults.cancelAt } : {}), ...(faults.setupFails ? { setupFails: true } : {}) },
    ids,
  );
}

export function argoRefusals(pipelineIR: PipelineIR): string[] {
  const ir = { irVersion: 1 as const, source: 'pipeline.ts', dbtProjectDir: '.', pipelines: [pipelineIR] };
  return emitArgo(ir, { image: 'dbt:test' }).diagnostics.map((d) => `${d.code} ${d.path.join(' > ')}`);
}

/** Argo's order: the main DAG's steps, then the always() steps of the exit handler. */
export function argoOrder(pipelineIR: PipelineIR): string[] {
  const order = executionOrder(pipelineIR);
  const conditionOf = normalConditions(pipelineIR);
  const afterCancel = (id: string): boolean => conditionOf(id).afterCancel;
  return [...order.filter((step) => !afterCancel(step.id)), ...order.filter((step) => afterCancel(step.id))].map((step) => step.id);
}

export function onArgo(pipelineIR: PipelineIR, faults: Faults) {
  const ir = { irVersion: 1 as const, source: 'pipeline.ts', dbtProjectDir: '.', pipelines: [pipelineIR] };
  const emitted = emitArgo(ir, { image: 'dbt:test' });
  const manifest = emitted.files[0];
  if (!manifest) throw new Error(`Argo refused: ${emitted.diagnostics.map((d) => d.message).join('; ')}`);
  const stepTasks = new Map(pipelineIR.steps.map((step) => [step.id, dnsLabel(step.id)]));
  const fail = new Map(Object.entries(faults.fail ?? {}).map(([id, attempts]) => [dnsLabel(id), attempts]));
  // A failed set-up is the prepare task failing on every attempt.
  if (faults.setupFails) fail.set('sluice-prepare', 'always');
  const stopAt = faults.cancelAt ? dnsLabel(faults.cancelAt) : undefined;
  const order = ['sluice-prepare', ...argoOrder(pipelineIR).map((id) => dnsLabel(id)), 'sluice-verdict'];
  const run = runArgo(manifest.content, { fail, ...(stopAt ? { stopAt } : {}) }, order);
  return statusesFromPhases(run, stepTasks, stopAt);
}

