// expect: SLUICE_E_CYCLE
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const needsOfA: ReturnType<typeof dbt.run>[] = [];
    const a = dbt.run({ needs: needsOfA }); // error-here
    const b = dbt.test({ needs: a });
    needsOfA.push(b);
    return { a, b };
  },
});
