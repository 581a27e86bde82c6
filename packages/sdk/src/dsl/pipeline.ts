import type { SourceLocation } from '../ir.js';
import { callSite } from '../location.js';
import { BRAND, hasBrand } from './brand.js';
import type { Cloud } from './cloud.js';
import type { TargetName } from './target-config.generated.js';
import type { Runtime } from './runtime.js';
import type { Step } from './steps.js';
import type { Todo } from './todo.js';
import type { Trigger } from './triggers.js';
import { inputRefs, type EnvValue, type InputDefs, type InputRefs } from './values.js';

export interface Concurrency {
  /** Runs sharing a group never overlap. @default one group per pipeline and branch */
  group?: string;
  /** Cancel the running run when a new one starts (fine for pull requests, not for production). @default false */
  cancelInProgress?: boolean;
}

export interface PipelineSpec<I extends InputDefs> {
  description?: string;
  /** When the pipeline runs: `trigger.schedule`, `trigger.manual`, `trigger.pullRequest`, `trigger.push`. */
  triggers: readonly Trigger[];
  /** Typed inputs, given in the manual-run form; steps read them from `steps({ inputs })`. */
  inputs?: I;
  /** Environment for every step: literals, `secret(...)` or inputs. */
  env?: Record<string, EnvValue>;
  /** @default runtime.python({ version: '3.12' }) */
  runtime?: Runtime;
  /** Cloud credentials for the run (`cloud.aws({ roleToAssume, region })`), for state stores and uploads. */
  cloud?: Cloud;
  concurrency?: Concurrency;
  /** Limit for the whole run. @default 120 */
  timeoutMinutes?: number;
  /** What `sluice import` could not carry over; the pipeline does not compile while any is listed. */
  todos?: readonly Todo[];
  /**
   * The targets this pipeline is for (a pipeline using GitHub-only steps: `['github']`); other
   * targets of the config skip it and say so. @default every target of the config
   */
  targets?: readonly TargetName[];
  /**
   * Declares the steps and returns them keyed by id; the keys become the step ids.
   * @example steps: () => { const run = dbt.build(); const docs = dbt.docs({ needs: run }); return { run, docs }; }
   */
  steps: (context: { inputs: InputRefs<I> }) => Record<string, Step>;
}

export interface Pipeline {
  readonly [BRAND]: 'pipeline';
  readonly name: string;
  readonly spec: PipelineSpec<InputDefs>;
  readonly inputRefs: InputRefs<InputDefs>;
  readonly location?: SourceLocation;
}

/**
 * Declares a pipeline. Export it from pipeline.ts: every exported pipeline is compiled.
 * @param name lower-case letters, digits and `-`; it names the generated files.
 */
export function pipeline<const I extends InputDefs = Record<never, never>>(name: string, spec: PipelineSpec<I>): Pipeline {
  return {
    [BRAND]: 'pipeline',
    name,
    spec: spec as unknown as PipelineSpec<InputDefs>,
    inputRefs: inputRefs(spec.inputs ?? {}) as InputRefs<InputDefs>,
    location: callSite(pipeline),
  };
}

export const isPipeline = (value: unknown): value is Pipeline => hasBrand(value, 'pipeline');
