/**
 * Step references (needs, artifacts read, conditions on a step's status) become ids. A reference to
 * a step `steps` did not return is a translation failure, kept in lowering: the IR names steps by
 * id, and that step has none.
 */
import { DIAGNOSTIC_CODES, isStep, type SourceLocation, type Step } from '@sluice/sdk/ir';
import { at, describe, type PipelineScope } from './lower-scope.js';

export type StepReference = (other: unknown, what: string, location: SourceLocation | undefined) => string | undefined;

export function stepReference(scope: PipelineScope, ids: ReadonlyMap<Step, string>, id: string, stepPath: string[], stepLocation: SourceLocation | undefined): StepReference {
  return (other, what, location) => {
    const otherId = isStep(other) ? ids.get(other) : undefined;
    if (otherId !== undefined) return otherId;
    scope.report({
      code: DIAGNOSTIC_CODES.UNKNOWN_STEP,
      message: isStep(other)
        ? `Step '${id}' ${what} a ${other.label} step that is not returned from steps(). Steps in '${scope.pipeline.name}': ${[...ids.values()].join(', ')}.`
        : `Step '${id}' ${what} something that is not a step (${describe(other)}).`,
      hint: isStep(other) ? 'Add that step to the object `steps` returns, or remove the reference.' : 'Pass step values, e.g. `needs: run`.',
      path: stepPath,
      ...at(location ?? stepLocation),
    });
    return undefined;
  };
}

/** The ids a step waits for: its declared needs, then the producers of the artifacts it reads; each once. */
export function lowerNeeds(step: Step, reference: StepReference, stepLocation: SourceLocation | undefined): string[] {
  const needs: string[] = [];
  const add = (need: string | undefined): void => {
    if (need !== undefined && !needs.includes(need)) needs.push(need);
  };
  const declared = step.options.needs;
  for (const need of declared === undefined ? [] : isStep(declared) ? [declared] : [...(declared as readonly Step[])]) add(reference(need, 'needs', stepLocation));
  for (const artifact of step.consumes) add(reference(artifact.step, `reads ${artifact.name} of`, stepLocation));
  return needs;
}
