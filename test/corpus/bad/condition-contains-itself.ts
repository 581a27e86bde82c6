// expect: SLUICE_E_CONDITION_TOO_LARGE
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const run = dbt.run();
    const condition = when.or(when.succeeded(run), when.failed(run));
    (condition as unknown as { args: unknown[] }).args.push(condition);
    const test = dbt.test({ needs: run, if: condition }); // error-here
    return { run, test };
  },
});
