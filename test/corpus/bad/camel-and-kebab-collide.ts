// expect: SLUICE_E_NAME_COLLISION
// target: argo
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => ({
    saveState: shell(['true']),
    'save-state': shell(['true']), // error-here
  }),
});
