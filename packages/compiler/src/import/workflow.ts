/** The parts of a GitHub Actions workflow file that import reads, and the order its jobs run in. */
import { stringify } from 'yaml';

export interface WorkflowStep {
  name?: unknown;
  id?: unknown;
  uses?: unknown;
  run?: unknown;
  if?: unknown;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  'continue-on-error'?: unknown;
  'timeout-minutes'?: unknown;
  [key: string]: unknown;
}
export interface WorkflowJob {
  needs?: unknown;
  if?: unknown;
  steps?: unknown;
  env?: Record<string, unknown>;
  [key: string]: unknown;
}
export interface Workflow {
  name?: unknown;
  on?: unknown;
  env?: Record<string, unknown>;
  jobs?: Record<string, WorkflowJob>;
  [key: string]: unknown;
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function needsOf(job: WorkflowJob): string[] {
  return typeof job.needs === 'string' ? [job.needs] : Array.isArray(job.needs) ? job.needs.map(String) : [];
}

export function stepsOf(job: WorkflowJob): WorkflowStep[] {
  return Array.isArray(job.steps) ? job.steps.filter(isRecord) : [];
}

/**
 * Jobs in the order they can run: each after the jobs it needs, ties in file order (Kahn's
 * algorithm picking the earliest-declared ready job). Needs of unknown jobs are reported by the
 * caller; a cycle leaves the remaining jobs in file order.
 */
export function jobOrder(jobs: Record<string, WorkflowJob>): string[] {
  const names = Object.keys(jobs);
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < names.length) {
    const next = names.find((name) => !done.has(name) && needsOf(jobs[name] as WorkflowJob).every((need) => done.has(need) || !(need in jobs)));
    const pick = next ?? (names.find((name) => !done.has(name)) as string);
    done.add(pick);
    order.push(pick);
  }
  return order;
}

/** A fragment of the original workflow as YAML, for a TODO to carry. */
export function yamlOf(key: string, value: unknown): string {
  return stringify({ [key]: value }, { lineWidth: 0 }).trimEnd();
}
