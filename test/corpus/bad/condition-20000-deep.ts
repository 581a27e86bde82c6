// expect: SLUICE_E_CONDITION_TOO_LARGE
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const run = dbt.run();
    let condition = when.succeeded(run);
    for (let level = 0; level < 20000; level++) condition = when.and(condition, when.succeeded(run));
    const test = dbt.test({ needs: run, if: condition }); // error-here
    return { run, test };
  },
});
