// expect: SLUICE_E_REQUIRED_INPUT_UNREACHABLE
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.schedule('0 6 * * *'), trigger.manual()],
  inputs: { select: input.string({ required: true }) },
  steps: ({ inputs }) => ({ run: dbt.build({ select: inputs.select }) }),
});
