// expect: SLUICE_E_INVALID_EMAIL_SETTINGS
// target: argo
import { dbt, notify, pipeline, trigger, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const run = dbt.run();
    const mail = notify.email({ smtp: { host: 'smtp.example.com' }, from: 'a@example.com', to: ['Data <data@example.com>'], needs: run, if: when.always() }); // error-here
    return { run, mail };
  },
});
