// expect: SLUICE_E_CASE_COLLISION
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  env: { DBT_SCHEMA: 'analytics', dbt_schema: 'staging' },
  steps: () => ({ run: dbt.run() }),
});
