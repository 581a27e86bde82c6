/**
 * `@sluice/sdk/ir`: everything the compiler and the targets read (the IR types, graph helpers,
 * diagnostics, the string checker, the DSL's brand tests) besides the DSL itself. Users write
 * pipeline.ts against `@sluice/sdk` (index.ts), which re-exports the DSL part of this module, so both
 * entry points share one module instance at run time.
 */
export { pipeline, isPipeline, type Pipeline, type PipelineSpec, type Concurrency } from './dsl/pipeline.js';
export { dbt, shell, upload, Step, DbtStep, DocsStep, isStep, isArtifact, isStateLoad, isBuiltinStep, DBT_FEATURES, STATEFUL_SELECTOR, type StateLoad, type DbtFeature, type NoStateFallback } from './dsl/steps.js';
export { state, StateStore, StateLoadStep, SDK_ENV_NAMES } from './dsl/state.js';
export { cloud, type Cloud } from './dsl/cloud.js';
export type {
  Artifact,
  DslArg,
  DslCommand,
  StepOptions,
  Selection,
  DbtCommonOptions,
  DbtSelectOptions,
  DbtBuildOptions,
  DbtDocsOptions,
  DbtRetryOptions,
  UploadOptions,
} from './dsl/steps.js';
export { todo, isTodo, type Todo } from './dsl/todo.js';
export { notify, type SlackOptions, type TeamsOptions, type WebhookOptions, type EmailOptions, type SmtpSecurity } from './dsl/notify.js';
export { isNotifyCommand, notifySecretNames, type NotifyCommand } from './notify.js';
export { when, type Condition as DslCondition } from './dsl/conditions.js';
export { trigger, type Trigger, type BranchFilter } from './dsl/triggers.js';
export { runtime, type Runtime, type RegistryCredentials } from './dsl/runtime.js';
export { secret, input, isSecret, isInputRef, inputsInString, INPUT_IN_STRING_MARKER } from './dsl/values.js';
export type { Secret, InputDef, InputDefs, InputRef, InputRefs, EnvValue, InputType } from './dsl/values.js';
export { defineConfig, isConfig, type SluiceConfig, type LoadedConfig, type TargetName, type GithubTargetConfig, type EntrypointTargetConfig, type ArgoTargetConfig, type GitlabTargetConfig, type TargetOptionsByName } from './dsl/config.js';
export { callSite, parseFrame } from './location.js';
export { DIAGNOSTIC_CODES, isUsageError, type Diagnostic, type DiagnosticCode } from './diagnostics.js';
export { IR_VERSION } from './version.js';
// Types only: the zod schema lives behind '@sluice/sdk/schema' so importing the DSL never loads zod.
export type {
  SluiceIR,
  PipelineIR,
  StepIR,
  InputIR,
  TriggerIR,
  RuntimeIR,
  RegistryCredentialsIR,
  CloudIR,
  Condition,
  Command,
  Arg,
  Value,
  EnvVar,
  Artifact as ArtifactIR,
  ArtifactRef,
  StepStatus,
  RunResult,
  SourceLocation,
} from './ir.js';
export { executionOrder, transitiveUpstream, stepIndex, containsAlways, inputsUsedBy, flattenArgs } from './graph.js';
export {
  normalCondition,
  normalConditions,
  foldCondition,
  conditionHolds,
  type NormalCondition,
  type ConditionForm,
  type ConditionAtom,
  type ConditionAlgebra,
  type CheckedStatus,
  type RunState,
} from './condition-form.js';
export { userStrings, checkStrings, stringProblems, checkLiteralSecrets, type UserString } from './strings.js';
export { NodeSelector, nodeSelector, selector } from './dsl/selectors.js';
