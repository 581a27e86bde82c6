// expect: SLUICE_E_EXPRESSION_IN_STRING
import { dbt, notify, pipeline, trigger, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const run = dbt.run();
    const mail = notify.email({ smtp: { host: 'smtp.example.com' }, from: '${{github.actor}}@example.com', to: 'b@example.com', needs: run, if: when.always() }); // error-here
    return { run, mail };
  },
});
