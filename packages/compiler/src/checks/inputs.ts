/** Rules about a pipeline's inputs: reachable, and defaults that are values of the input. */
import { DIAGNOSTIC_CODES } from '@sluice/sdk/ir';
import type { Rule } from './rule.js';

export const requiredInputUnreachable: Rule = {
  code: DIAGNOSTIC_CODES.REQUIRED_INPUT_WITHOUT_DEFAULT,
  tier: 'typed',
  *check(pipeline) {
    const automatic = pipeline.triggers.some((trigger) => trigger.kind !== 'manual');
    if (!automatic) return;
    for (const input of pipeline.inputs) {
      if (input.required && input.default === undefined) {
        yield { message: `Input '${input.name}' is required, but this pipeline also starts on a schedule or an event, where no one can give it.`, hint: 'Give the input a default, or make the pipeline manual only.' };
      }
    }
  },
};

export const invalidInputDefault: Rule = {
  code: DIAGNOSTIC_CODES.INVALID_INPUT_DEFAULT,
  tier: 'typed',
  *check(pipeline) {
    for (const input of pipeline.inputs) {
      if (input.default === undefined) continue;
      const expected = input.type === 'choice' ? 'string' : input.type;
      if (typeof input.default !== expected) yield { message: `The default of input '${input.name}' is not a ${input.type}.`, hint: `Give a ${expected} default.` };
      else if (input.type === 'choice' && (input.options?.length ?? 0) > 0 && !input.options?.includes(String(input.default))) {
        yield { message: `The default of choice input '${input.name}' is not one of its options.`, hint: `Use one of: ${input.options?.join(', ')}.` };
      }
    }
  },
};

export const choiceWithoutOptions: Rule = {
  code: DIAGNOSTIC_CODES.CHOICE_WITHOUT_OPTIONS,
  tier: 'typed',
  *check(pipeline) {
    for (const input of pipeline.inputs) {
      if (input.type === 'choice' && (input.options?.length ?? 0) === 0) yield { message: `Choice input '${input.name}' has no options.`, hint: 'List the options.' };
    }
  },
};
