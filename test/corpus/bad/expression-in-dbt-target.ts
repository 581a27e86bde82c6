// expect: SLUICE_E_EXPRESSION_IN_STRING
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => ({
    run: dbt.build({ target: '${{ github.event.inputs.target }}' }), // error-here
  }),
});
