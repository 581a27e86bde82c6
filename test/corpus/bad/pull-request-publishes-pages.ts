// expect: SLUICE_E_PULL_REQUEST_WRITE
import { dbt, pipeline, trigger, upload } from '@sluice/sdk';
export const preview = pipeline('preview', {
  triggers: [trigger.pullRequest()],
  steps: () => {
    const docs = dbt.docs();
    const publish = upload.githubPages({ from: docs.site }); // error-here
    return { docs, publish };
  },
});
