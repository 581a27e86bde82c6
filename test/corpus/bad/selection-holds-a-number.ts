// expect: SLUICE_E_INVALID_SELECTOR
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  // Plain JavaScript: a number and a null would reach dbt as the words 42 and null.
  steps: () => ({ run: dbt.build({ select: ['orders', 42, null] as never }) }), // error-here
});
