// expect: SLUICE_E_EXPRESSION_IN_STRING
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  env: { TITLE: '${{ github.event.pull_request.title }}' },
  steps: () => ({ run: dbt.run() }),
});
