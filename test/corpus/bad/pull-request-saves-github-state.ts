// expect: SLUICE_E_PULL_REQUEST_WRITE
import { dbt, pipeline, state, trigger } from '@sluice/sdk';
const production = state.githubArtifact({ pipeline: 'ci' });
export const ci = pipeline('ci', {
  triggers: [trigger.schedule('0 6 * * *'), trigger.pullRequest({ branches: ['main'] })],
  steps: () => {
    const run = dbt.build();
    const save = production.save({ needs: run }); // error-here
    return { run, save };
  },
});
