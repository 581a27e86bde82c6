// expect: SLUICE_E_INVALID_SECRET_NAME
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  env: { PASSWORD: secret('snowflake password; echo') },
  steps: () => ({ run: dbt.run() }),
});
