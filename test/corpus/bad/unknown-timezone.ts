// expect: SLUICE_E_INVALID_TIMEZONE
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.schedule('0 6 * * *', { timezone: 'Europe/Atlantis' })], // error-here
  steps: () => ({ run: dbt.run() }),
});
