// expect: SLUICE_E_LITERAL_SECRET
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => ({
    upload: shell(['aws', 's3', 'ls'], { env: { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE' } }), // error-here
  }),
});
