// expect: SLUICE_E_INVALID_ENV_VALUE
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  env: { THREADS: 8 as unknown as string },
  steps: () => ({ run: dbt.run() }),
});
