// expect: SLUICE_E_LITERAL_SECRET
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => ({
    ping: shell(['curl', '-X', 'POST', 'https://hooks.slack.com/services/T0123ABC/B0456DEF/abcdefghijklmnop1234']), // error-here
  }),
});
