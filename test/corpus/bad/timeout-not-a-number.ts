// expect: SLUICE_E_INVALID_TIMEOUT
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  timeoutMinutes: 'an hour' as unknown as number,
  steps: () => ({ run: dbt.run() }),
});
