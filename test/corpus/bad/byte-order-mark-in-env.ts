// expect: SLUICE_E_UNSAFE_STRING
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  env: { DBT_PROFILE: '\ufeffprod' },
  steps: () => ({ run: dbt.run() }),
});
