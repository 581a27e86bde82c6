// expect: SLUICE_E_UNREADABLE_PIPELINE
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  steps: () => ({ check: shell(42 as unknown as ['true']) }),
});
