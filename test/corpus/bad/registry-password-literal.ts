// expect: SLUICE_E_INVALID_REGISTRY_CREDENTIALS
import { dbt, pipeline, runtime, trigger } from '@sluice/sdk';
export const nightly = pipeline('nightly', { // error-here
  triggers: [trigger.schedule('0 5 * * *')],
  // @ts-expect-error the password must be secret('...')
  runtime: runtime.image('registry.acme.com/dbt:1.10.2', { credentials: { username: 'ci', password: 'hunter2' } }),
  steps: () => ({ build: dbt.build() }),
});
