// expect: SLUICE_E_STATE_SELECTOR_WITHOUT_STATE
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => ({
    run: dbt.build({ select: ['tag:daily', 'result:error+'] }), // error-here
  }),
});
