/**
 * `@sluice/sdk/ir`: everything the compiler and the targets read (the IR types, graph helpers,
 * diagnostics, the string checker, the DSL's brand tests) besides the DSL itself. Users write
 * pipeline.ts against `@sluice/sdk` (index.ts), which re-exports the DSL values of this module, so both
 * entry points share one module instance at run time.
 */
// The DSL's public types, listed once in index.ts (type-only: at run time this module never loads
// index.js). A name declared here as well (`Condition`: the IR's) wins over index.ts's.
export type * from './index.js';
export { pipeline, isPipeline } from './dsl/pipeline.js';
export { dbt, shell, upload, Step, isStep, isArtifact, isBuiltinStep, DBT_FEATURES, STATEFUL_SELECTOR } from './dsl/steps.js';
export type { DslArg, DslCommand } from './dsl/steps.js';
export { state, StateStore } from './dsl/state.js';
export { cloud } from './dsl/cloud.js';
export { todo, isTodo } from './dsl/todo.js';
export { notify } from './dsl/notify.js';
export { isNotifyCommand, notifySecretNames, type NotifyCommand } from './notify.js';
export { when, isCondition, type Condition as DslCondition } from './dsl/conditions.js';
export { trigger } from './dsl/triggers.js';
export { runtime } from './dsl/runtime.js';
export { secret, input, isSecret, isInputRef, inputsInString } from './dsl/values.js';
export { defineConfig } from './dsl/config.js';
export { parseFrame } from './location.js';
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
  StateStoreIR,
  Condition,
  Command,
  Arg,
  Value,
  EnvVar,
  StepStatus,
  RunResult,
  SourceLocation,
} from './ir.js';
export { executionOrder, transitiveUpstream, stepIndex, inputsUsedBy, flattenArgs } from './graph.js';
export {
  normalCondition,
  normalConditions,
  foldCondition,
  conditionHolds,
  type NormalCondition,
  type ConditionForm,
  type ConditionAtom,
  type CheckedStatus,
} from './condition-form.js';
export { userStrings, stringProblems, checkLiteralSecrets, type UserString } from './strings.js';
export { nodeSelector, selector } from './dsl/selectors.js';
