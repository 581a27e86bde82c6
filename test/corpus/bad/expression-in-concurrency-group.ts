// expect: SLUICE_E_EXPRESSION_IN_STRING
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  concurrency: { group: 'prod-${{ github.head_ref }}', cancelInProgress: false },
  steps: () => ({ run: dbt.run() }),
});
