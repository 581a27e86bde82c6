// expect: SLUICE_E_EXPRESSION_IN_STRING
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.push({ branches: ['${{ github.event.ref }}'] })], // error-here
  steps: () => ({ run: dbt.run() }),
});
