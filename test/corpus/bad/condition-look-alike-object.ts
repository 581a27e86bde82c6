// expect: SLUICE_E_UNKNOWN_CONDITION
import { dbt, pipeline, shell, trigger } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const run = dbt.run();
    // Looks like when.failure() but was not built by it: refused, not trusted.
    const alert = shell(['echo', 'failed'], { needs: run, if: { op: 'failure' } as never }); // error-here
    return { run, alert };
  },
});
