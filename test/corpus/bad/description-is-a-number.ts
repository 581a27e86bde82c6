// expect: SLUICE_E_WRONG_TYPE
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  description: 42 as unknown as string,
  triggers: [trigger.manual()],
  steps: () => ({ run: dbt.run() }),
});
