// expect: SLUICE_E_SELF_REFERENCE
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const box: { run?: ReturnType<typeof dbt.run> } = {};
    const run = dbt.run({ get if() { return when.failed(box.run!); } }); // error-here
    box.run = run;
    return { run };
  },
});
