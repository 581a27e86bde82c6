// expect: SLUICE_E_INVALID_ENV_NAME
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  env: { '1PASSWORD_HOST': 'x' },
  steps: () => ({ run: dbt.run() }),
});
