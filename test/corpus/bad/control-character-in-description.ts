// expect: SLUICE_E_UNSAFE_STRING
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  description: 'nightly\u001b[2Jbuild',
  triggers: [trigger.manual()],
  steps: () => ({ run: dbt.run() }),
});
