// expect: SLUICE_E_UNSAFE_STRING
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => ({
    run: dbt.run({ env: { DBT_SCHEMA: 'analytics\ue000' } }), // error-here
  }),
});
