/**
 * Lowering of a step's condition (when.*): step objects become ids. Both problems here are
 * translation failures, kept in lowering: a value not built by `when.*` (a plain object, a
 * missing argument, an empty `when.and()`) has no IR form, and a condition nested
 * too deep, too large or containing itself would overflow this recursive translation itself (and
 * every recursive reader after it), so it is refused before it is read.
 */
import { DIAGNOSTIC_CODES, isCondition, type Condition, type DslCondition, type SourceLocation } from '@sluice/sdk/ir';
import { conditionShapeProblem } from './checks/condition-shape.js';
import type { StepReference } from './lower-references.js';
import { at, describe, type PipelineScope } from './lower-scope.js';

export function lowerStepCondition(scope: PipelineScope, condition: DslCondition | undefined, reference: StepReference, id: string, stepPath: string[], stepLocation: SourceLocation | undefined): Condition {
  if (condition === undefined) return { op: 'success' };
  const where = { path: stepPath, ...at(stepLocation) };
  const shape = conditionShapeProblem(condition);
  if (shape !== undefined) {
    scope.report({ code: DIAGNOSTIC_CODES.CONDITION_TOO_LARGE, message: `The condition of step '${id}' cannot be used: ${shape}.`, hint: 'Build a small condition with when.*; combine a few steps, not a loop.', ...where });
    return { op: 'success' };
  }
  const lower = (node: DslCondition): Condition => {
    // Brand first: a look-alike `{ op: 'failure' }` is not ours to trust, and `when.not()` leaves undefined.
    if (!isCondition(node)) {
      scope.report({ code: DIAGNOSTIC_CODES.UNKNOWN_CONDITION, message: `The condition of step '${id}' holds ${node === undefined ? 'nothing' : describe(node)} where a condition built with when.* belongs.`, hint: 'Build conditions with when.* (e.g. when.not(when.succeeded(run))), and give when.not one condition.', ...where });
      return { op: 'success' };
    }
    switch (node.op) {
      case 'success':
      case 'failure':
      case 'always':
        return { op: node.op };
      case 'status':
        return { op: 'status', step: reference(node.step, 'has a condition on', scope.context.mapLocation(node.location)) ?? '?', status: node.status };
      case 'and':
      case 'or':
        if (!Array.isArray(node.args) || node.args.length === 0) {
          scope.report({ code: DIAGNOSTIC_CODES.UNKNOWN_CONDITION, message: `The condition of step '${id}' has when.${node.op}() with no condition inside.`, hint: `Give when.${node.op} at least one condition, or drop it.`, ...where });
          return { op: 'success' };
        }
        return { op: node.op, args: node.args.map(lower) };
      case 'not':
        return { op: 'not', arg: lower(node.arg) };
      default:
        scope.report({ code: DIAGNOSTIC_CODES.UNKNOWN_CONDITION, message: `Unknown condition ${describe(node)}.`, hint: 'Build conditions with when.*.', ...where });
        return { op: 'success' };
    }
  };
  return lower(condition);
}
