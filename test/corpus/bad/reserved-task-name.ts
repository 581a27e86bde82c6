// expect: SLUICE_E_RESERVED_NAME
// target: argo
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => ({
    sluiceVerdict: shell(['true']), // error-here
  }),
});
