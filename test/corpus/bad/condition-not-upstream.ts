// expect: SLUICE_E_CONDITION_NOT_UPSTREAM
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const run = dbt.run();
    const test = dbt.test();
    const alert = shell(['echo', 'x'], { needs: run, if: when.failed(test) }); // error-here
    return { run, test, alert };
  },
});
