// expect: SLUICE_E_UNKNOWN_STEP
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const seed = dbt.seed();
    const run = dbt.run({ needs: seed }); // error-here
    return { run };
  },
});
