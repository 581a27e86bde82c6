// expect: SLUICE_E_INVALID_NAME
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('daily\non: push', { // error-here
  triggers: [trigger.manual()],
  steps: () => ({ run: dbt.run() }),
});
