// expect: SLUICE_E_EXPRESSION_IN_STRING
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => ({
    publish: upload.githubPages({ from: 'site/${{ github.event.pull_request.title }}' }), // error-here
  }),
});
