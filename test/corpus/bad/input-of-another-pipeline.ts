// expect: SLUICE_E_UNKNOWN_INPUT
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
let borrowed: any;
export const a = pipeline('a', {
  triggers: [trigger.manual()],
  inputs: { select: input.string({ default: 'x' }) },
  steps: ({ inputs }) => { borrowed = inputs.select; return { run: dbt.build({ select: inputs.select }) }; },
});
export const b = pipeline('b', {
  triggers: [trigger.manual()],
  steps: () => ({ run: dbt.build({ select: borrowed }) }), // error-here
});
