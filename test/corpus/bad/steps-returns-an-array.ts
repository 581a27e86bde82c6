// expect: SLUICE_E_STEPS_NOT_AN_OBJECT
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  steps: () => [dbt.run()] as never,
});
