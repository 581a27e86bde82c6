/**
 * Lowering of env values (literals, secrets, inputs), and the split of the pipeline's env between
 * the steps the user wrote and the built-in ones.
 */
import { DIAGNOSTIC_CODES, isInputRef, isSecret, type EnvValue, type EnvVar, type SourceLocation, type StepIR, type Value } from '@sluice/sdk/ir';
import { at, checkOwnInput, describe, type PipelineScope } from './lower-scope.js';

export function lowerEnv(scope: PipelineScope, env: Record<string, EnvValue> | undefined, where: string[], location: SourceLocation | undefined): EnvVar[] {
  return Object.entries(env ?? {}).map(([name, value]) => ({ name, value: lowerValue(scope, value, [...where, `env ${name}`], location) }));
}

function lowerValue(scope: PipelineScope, value: EnvValue, where: string[], location: SourceLocation | undefined): Value {
  if (typeof value === 'string') return { kind: 'literal', value };
  if (isSecret(value)) return { kind: 'secret', name: value.name };
  if (isInputRef(value)) {
    checkOwnInput(scope, value, where, location);
    return { kind: 'input', name: value.name };
  }
  // A translation failure: an IR value is a literal, a secret or an input; this is none of them.
  scope.report({ code: DIAGNOSTIC_CODES.INVALID_ENV_VALUE, message: `Unsupported value ${describe(value)}.`, hint: 'Use a string, secret(...) or an input.', path: where, ...at(location) });
  return { kind: 'literal', value: String(value) };
}

/**
 * Built-in steps (upload, notify, state) get the pipeline's literals only: its secrets and inputs
 * (warehouse credentials) move into the steps the user wrote, ahead of each step's own variables
 * (which win). Returns the env left at the pipeline level; updates the user steps' env.
 */
export function splitPipelineEnv(pipelineEnv: EnvVar[], steps: StepIR[], builtinSteps: ReadonlySet<string>): EnvVar[] {
  const userOnlyEnv = pipelineEnv.filter((variable) => variable.value.kind !== 'literal');
  if (userOnlyEnv.length === 0 || builtinSteps.size === 0) return pipelineEnv;
  for (const step of steps) {
    if (builtinSteps.has(step.id)) continue;
    const own = new Set(step.env.map((variable) => variable.name));
    step.env = [...userOnlyEnv.filter((variable) => !own.has(variable.name)), ...step.env];
  }
  return pipelineEnv.filter((variable) => variable.value.kind === 'literal');
}
