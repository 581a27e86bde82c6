/**
 * Lowering of one declared step: its command (lower-command.ts), env, needs, condition and options
 * become a StepIR; what the IR flattens away (the typed selection, the dbt features, the state
 * shape) is kept beside it as StepFacts for validation.
 */
import { isArtifact, isBuiltinStep, isInputRef, type Step, type StepIR } from '@sluice/sdk/ir';
import { describeValue, type StepFacts } from './checks/rule.js';
import { lowerCommand } from './lower-command.js';
import { lowerStepCondition } from './lower-condition.js';
import { artifactPath, asDbtStep, checkVersion, deferWithoutState, statefulSelectorsWithoutState } from './lower-dbt.js';
import { lowerEnv } from './lower-env.js';
import { lowerNeeds, stepReference } from './lower-references.js';
import { checkOwnInput, sourceAt, type PipelineScope } from './lower-scope.js';

interface LoweredStep {
  ir: StepIR;
  facts: StepFacts;
  /** Made by Sluice (upload, notify, state), not written by the user: gets only the pipeline's literals. */
  builtin: boolean;
}

export function lowerStep(scope: PipelineScope, step: Step, id: string, ids: ReadonlyMap<Step, string>): LoweredStep {
  const { context } = scope;
  const stepPath = [...scope.path, `step ${id}`];
  const stepLocation = context.mapLocation(step.location);
  const reference = stepReference(scope, ids, id, stepPath, stepLocation);
  const needs = lowerNeeds(step, reference, stepLocation);
  const options = step.options;

  const dbtStep = asDbtStep(step);
  const verdict = dbtStep ? checkVersion(dbtStep, context.dbtVersion) : { useOlder: false, missing: [] };
  const command = lowerCommand({ step, id, ids, report: scope.report, checkInput: (ref) => checkOwnInput(scope, ref, stepPath, stepLocation), stepPath, stepLocation, dbtStep, verdict });

  const ir: StepIR = {
    id,
    label: verdict.useOlder && dbtStep?.olderEquivalent ? dbtStep.olderEquivalent.label : step.label,
    ...sourceAt(stepLocation),
    command,
    env: lowerEnv(scope, options.env, stepPath, stepLocation),
    needs,
    condition: lowerStepCondition(scope, options.if, reference, id, stepPath, stepLocation),
    // As written: validation checks the range (checks/steps.ts), before the IR's type check.
    retries: (options.retries ?? 0) as number,
    ...(options.timeoutMinutes !== undefined ? { timeoutMinutes: options.timeoutMinutes } : {}),
    allowFailure: options.allowFailure ?? false,
    produces: step.produces.map((artifact) => ({ name: artifact.name, path: artifactPath(artifact, id) })),
    consumes: step.consumes.filter(isArtifact).flatMap((artifact) => {
      const producer = ids.get(artifact.step);
      return producer === undefined ? [] : [{ step: producer, name: artifact.name }];
    }),
  };
  const facts: StepFacts = {
    selectors: literalSelectors(options),
    selectorsOfWrongType: selectionItems(options).filter((item) => typeof item !== 'string' && (typeof item !== 'object' || item === null)).map(describeValue),
    statefulSelectorsWithoutState: statefulSelectorsWithoutState(options),
    defersWithoutState: deferWithoutState(options),
    missingDbtFeatures: verdict.missing,
    ...(dbtStep?.dbtVersion !== undefined ? { dbtVersion: dbtStep.dbtVersion } : context.dbtVersion !== undefined ? { dbtVersion: context.dbtVersion, ...(context.dbtVersionSource ? { dbtVersionSource: context.dbtVersionSource } : {}) } : {}),
  };
  return { ir, facts, builtin: isBuiltinStep(step) };
}

/** The selection as written; typed selectors (NodeSelector, possibly from another copy of the SDK) as their text. */
function literalSelectors(options: object): string[] {
  return selectionItems(options).flatMap((item) => (typeof item === 'string' ? [item] : typeof item === 'object' && item !== null && !isInputRef(item) ? [String(item)] : []));
}

/** Every item of select, exclude and selector, as given (one value or a list). */
function selectionItems(options: object): unknown[] {
  const selection = options as { select?: unknown; exclude?: unknown; selector?: unknown };
  return [selection.select, selection.exclude, selection.selector].flatMap((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));
}
