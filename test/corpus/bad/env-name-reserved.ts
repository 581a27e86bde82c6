// expect: SLUICE_E_INVALID_ENV_NAME
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => ({
    run: dbt.run({ env: { GITHUB_ENV: '/tmp/x' } }), // error-here
  }),
});
