// expect: SLUICE_E_CASE_COLLISION
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  inputs: { select: input.string(), Select: input.string() },
  steps: ({ inputs }) => ({ run: dbt.run({ select: inputs.select }) }),
});
