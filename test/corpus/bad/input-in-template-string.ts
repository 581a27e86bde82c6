// expect: SLUICE_E_INPUT_IN_STRING
// A template string makes `[object Object]+` of an input; selector.children(inputs.model) is the way.
import { dbt, input, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  inputs: { model: input.string({ required: true }) },
  steps: ({ inputs }) => ({
    run: dbt.build({ select: `${inputs.model}+` }), // error-here
  }),
});
