// expect: SLUICE_E_NO_TRIGGERS
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [],
  steps: () => ({ run: dbt.run() }),
});
