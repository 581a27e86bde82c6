// expect: SLUICE_E_TARGET_UNSUPPORTED
// target: argo
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const run = dbt.run();
    const cleanup = shell(['true'], { needs: run, if: when.and(when.always(), when.not(when.failed(run))) }); // error-here
    return { run, cleanup };
  },
});
