// expect: SLUICE_E_EXPRESSION_IN_STRING
// target: argo
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => ({
    run: dbt.build({ vars: { day: '{{workflow.creationTimestamp}}' } }), // error-here
  }),
});
