// expect: SLUICE_E_NOTIFY_SECRET_REQUIRED
import { dbt, notify, pipeline, trigger, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const run = dbt.run();
    // @ts-expect-error: a plain string where a secret is required (plain JavaScript can still do this)
    const teams = notify.teams({ webhook: 'https://example.webhook.office.com/webhookb2/x', needs: run, if: when.always() }); // error-here
    return { run, teams };
  },
});
