// expect: SLUICE_E_CASE_COLLISION
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  env: { DBT_SCHEMA: 'analytics' },
  steps: () => ({
    run: dbt.run({ env: { Dbt_Schema: 'staging' } }), // error-here
  }),
});
