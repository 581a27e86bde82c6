// expect: SLUICE_E_STEPS_THREW
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  steps: () => {
    throw Object.create(null);
  },
});
