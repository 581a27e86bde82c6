// expect: SLUICE_E_STATE_SELECTOR_WITHOUT_STATE
// What `sluice init` once wrote for jaffle-shop: dbt refuses a state: selector without --state.
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.pullRequest()],
  steps: () => ({
    run: dbt.build({ select: 'state:modified+' }), // error-here
  }),
});
