/**
 * The steps a pipeline declares: run `steps`, and give each returned step its id. Every problem here
 * is a translation failure, kept in lowering: when `steps` throws or returns no object there is
 * nothing to translate; a value that is not a step, or one step under two ids, has no IR at all.
 */
import { DIAGNOSTIC_CODES, isStep, type Step } from '@sluice/sdk/ir';
import { errorMessage } from './loader.js';
import { at, type PipelineScope } from './lower-scope.js';

/** The returned steps with their ids (in the order returned), or undefined when `steps` could not be read. */
export function declaredSteps(scope: PipelineScope): Map<Step, string> | undefined {
  const declared = callSteps(scope);
  if (declared === undefined) return undefined;
  const ids = new Map<Step, string>();
  for (const [id, value] of Object.entries(declared)) {
    const path = [...scope.path, `step ${id}`];
    if (!isStep(value)) {
      scope.report({ code: DIAGNOSTIC_CODES.NOT_A_STEP, message: `'${id}' is not a step.`, hint: 'Return only values made by dbt.*, shell, upload.*, notify.*.', path });
      continue;
    }
    const existing = ids.get(value);
    if (existing !== undefined) {
      scope.report({
        code: DIAGNOSTIC_CODES.DUPLICATE_STEP,
        message: `The same step is returned as both '${existing}' and '${id}'.`,
        hint: 'Return each step once; make a second step with a second call.',
        path,
        ...at(scope.context.mapLocation(value.location)),
      });
      continue;
    }
    ids.set(value, id);
  }
  return ids;
}

function callSteps({ pipeline, context, location, report }: PipelineScope): Record<string, unknown> | undefined {
  try {
    const result: unknown = pipeline.spec.steps({ inputs: pipeline.inputRefs });
    if (typeof result === 'object' && result !== null && !Array.isArray(result)) return result as Record<string, unknown>;
    report({ code: DIAGNOSTIC_CODES.STEPS_NOT_AN_OBJECT, message: '`steps` must return an object of steps keyed by id.', hint: 'End `steps` with `return { run, docs, ... };`.' });
  } catch (error) {
    report({
      code: DIAGNOSTIC_CODES.STEPS_THREW,
      message: `The steps of pipeline '${pipeline.name}' threw: ${errorMessage(error)}`,
      hint: 'Fix the code at this location; `steps` must run without errors.',
      ...at(context.locateError(error) ?? location),
    });
  }
  return undefined;
}
