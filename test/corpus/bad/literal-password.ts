// expect: SLUICE_E_LITERAL_SECRET
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  env: { SNOWFLAKE_PASSWORD: 'hunter2' },
  steps: () => ({ run: dbt.run() }),
});
