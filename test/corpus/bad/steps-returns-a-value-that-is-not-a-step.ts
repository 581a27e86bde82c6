// expect: SLUICE_E_NOT_A_STEP
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  steps: () => ({ run: dbt.run(), threads: 8 as never }),
});
