// expect: SLUICE_E_INVALID_CRON
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.schedule('61 25 * * *')], // error-here
  steps: () => ({ run: dbt.run() }),
});
