// expect: SLUICE_E_UNKNOWN_CONDITION
import { dbt, pipeline, shell, trigger } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const run = dbt.run();
    const alert = shell(['echo', 'failed'], { needs: run, if: { op: 'xor' } as never }); // error-here
    return { run, alert };
  },
});
