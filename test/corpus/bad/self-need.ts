// expect: SLUICE_E_SELF_REFERENCE
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const own: ReturnType<typeof dbt.run>[] = [];
    const a = dbt.run({ needs: own }); // error-here
    own.push(a);
    return { a };
  },
});
