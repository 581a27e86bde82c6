/**
 * The subset of the GitHub Actions workflow syntax Sluice emits, as types. The emitter fills these
 * field by field (no user object is ever spread into them); key order here is the order in the file.
 */
import type { Commented } from '../shared/yaml.js';

export interface Workflow {
  name: string;
  on: WorkflowTriggers;
  permissions: Record<string, never>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
}

export interface WorkflowTriggers {
  schedule?: { cron: string; timezone?: string }[];
  workflow_dispatch?: { inputs?: Record<string, DispatchInput> };
  pull_request?: BranchFilter | null;
  push?: BranchFilter | null;
}

interface BranchFilter {
  branches?: string[];
  paths?: string[];
}

export interface DispatchInput {
  description: string;
  required: boolean;
  type: 'string' | 'boolean' | 'number' | 'choice';
  default?: string | boolean | number;
  options?: string[];
}

export interface Job {
  name: string;
  'runs-on': string;
  'timeout-minutes': number;
  permissions: Partial<Record<'actions' | 'contents' | 'id-token' | 'packages', 'read' | 'write'>>;
  container?: { image: string; credentials?: { username: string; password: string } };
  defaults: { run: { shell: 'bash'; 'working-directory'?: string } };
  steps: JobStep[];
}

export interface JobStep {
  name: string;
  id?: string;
  if?: string;
  uses?: Commented;
  with?: Record<string, string | boolean | number>;
  env?: Record<string, string>;
  'working-directory'?: string;
  'continue-on-error'?: boolean;
  'timeout-minutes'?: number;
  run?: string;
}
