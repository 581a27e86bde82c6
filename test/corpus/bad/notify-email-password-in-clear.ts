// expect: SLUICE_E_INVALID_EMAIL_SETTINGS
// target: entrypoint
import { dbt, notify, pipeline, secret, trigger, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const run = dbt.run();
    const mail = notify.email({ smtp: { host: 'smtp.example.com', security: 'none', username: secret('SMTP_USER'), password: secret('SMTP_PASSWORD') }, from: 'a@example.com', to: 'b@example.com', needs: run, if: when.always() }); // error-here
    return { run, mail };
  },
});
