// expect: SLUICE_E_INVALID_RETRIES
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => ({
    run: dbt.run({ retries: -1 }), // error-here
  }),
});
