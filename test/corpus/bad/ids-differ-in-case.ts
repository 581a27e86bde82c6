// expect: SLUICE_E_DUPLICATE_STEP
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => ({
    run: dbt.run(),
    Run: dbt.test(), // error-here
  }),
});
