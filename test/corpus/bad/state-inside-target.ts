// expect: SLUICE_E_STATE_DIRECTORY
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const slim = pipeline('slim', {
  triggers: [trigger.pullRequest()],
  // dbt's target/ is this run's own output: comparing against it compares nothing.
  steps: () => ({ run: dbt.build({ select: 'state:modified+', state: './target/' }) }), // error-here
});
