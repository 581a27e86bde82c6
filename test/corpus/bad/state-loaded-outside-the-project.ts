// expect: SLUICE_E_STATE_DIRECTORY
import { dbt, pipeline, state, trigger } from '@sluice/sdk';
const store = state.s3('s3://acme-dbt-state/metric');
export const slim = pipeline('slim', {
  triggers: [trigger.pullRequest()],
  steps: () => {
    const prod = store.load({ into: '../prod-state' }); // error-here
    const run = dbt.build({ select: 'state:modified+', state: prod });
    return { prod, run };
  },
});
