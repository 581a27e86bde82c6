// expect: SLUICE_E_STATE_SELECTOR_WITHOUT_STATE
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.schedule('0 6 * * *')],
  steps: () => ({
    run: dbt.build({ exclude: 'source_status:fresher+' }), // error-here
  }),
});
