// expect: SLUICE_E_UNSAFE_STRING
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => ({
    check: shell(['python3', 'check.py', 'broken\ud800']), // error-here
  }),
});
