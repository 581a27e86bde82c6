// expect: SLUICE_E_TARGET_UNSUPPORTED
// target: argo
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.pullRequest({ branches: ['main'] })], // error-here
  steps: () => ({ run: dbt.run() }),
});
