// expect: SLUICE_E_UNSAFE_STRING
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  description: 'First line\u2028second line',
  triggers: [trigger.manual()],
  steps: () => ({ run: dbt.run() }),
});
