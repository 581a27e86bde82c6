// expect: SLUICE_E_EXPRESSION_IN_STRING
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  inputs: { select: input.string({ description: '${{ github.actor }}', default: 'x' }) },
  steps: ({ inputs }) => ({ run: dbt.build({ select: inputs.select }) }),
});
