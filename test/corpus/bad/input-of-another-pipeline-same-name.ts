// expect: SLUICE_E_UNKNOWN_INPUT
import { dbt, input, pipeline, trigger } from '@sluice/sdk';
let borrowed: any;
export const a = pipeline('a', {
  triggers: [trigger.manual()],
  inputs: { model: input.string({ default: 'orders' }) },
  steps: ({ inputs }) => { borrowed = inputs.model; return { run: dbt.build({ select: inputs.model }) }; },
});
// 'b' declares its own 'model' (a boolean): the borrowed string reference must not read it.
export const b = pipeline('b', {
  triggers: [trigger.manual()],
  inputs: { model: input.boolean({ default: false }) },
  steps: () => ({ run: dbt.build({ select: borrowed }) }), // error-here
});
