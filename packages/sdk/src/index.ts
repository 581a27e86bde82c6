/**
 * The public surface of `@sluice/sdk`: the DSL users write pipeline.ts and sluice.config.ts with,
 * and nothing else. The IR and the compiler's helpers live behind `@sluice/sdk/ir` (internal.ts).
 * The values are re-exported from internal.ts, so a pipeline and the compiler share one copy at run
 * time; the types come from their own modules (erased at run time) and are the one list of public
 * types, which internal.ts re-exports whole.
 */
export {
  pipeline,
  dbt,
  shell,
  upload,
  state,
  cloud,
  notify,
  when,
  trigger,
  runtime,
  secret,
  input,
  selector,
  nodeSelector,
  todo,
  defineConfig,
} from './internal.js';
export type { Pipeline, PipelineSpec, Concurrency } from './dsl/pipeline.js';
export type {
  Step,
  DbtStep,
  DocsStep,
  StateLoad,
  NoStateFallback,
  DbtFeature,
  Artifact,
  StepOptions,
  Selection,
  DbtCommonOptions,
  DbtSelectOptions,
  DbtBuildOptions,
  DbtDocsOptions,
  DbtRetryOptions,
  UploadOptions,
} from './dsl/steps.js';
export type { StateStore, StateLoadStep } from './dsl/state.js';
export type { Cloud } from './dsl/cloud.js';
export type { Todo } from './dsl/todo.js';
export type { SlackOptions, TeamsOptions, WebhookOptions, EmailOptions, SmtpSecurity } from './dsl/notify.js';
export type { Condition } from './dsl/conditions.js';
export type { Trigger, BranchFilter } from './dsl/triggers.js';
export type { Runtime, RegistryCredentials } from './dsl/runtime.js';
export type { Secret, InputDef, InputDefs, InputRef, InputRefs, EnvValue, InputType } from './dsl/values.js';
export type { SluiceConfig } from './dsl/config.js';
export type { NodeSelector } from './dsl/selectors.js';
// Every target's settings type (`GithubTargetConfig`, ...), `TargetOptionsByName` and `TargetName`,
// generated from the target registry: a new target's settings are public without a change here.
export type * from './dsl/target-config.generated.js';
