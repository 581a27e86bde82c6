// expect: SLUICE_E_RESERVED_NAME
// target: argo
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => ({
    sluice_prepare: dbt.run(), // error-here
  }),
});
