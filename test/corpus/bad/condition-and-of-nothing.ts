// expect: SLUICE_E_UNKNOWN_CONDITION
import { dbt, pipeline, shell, trigger, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const run = dbt.run();
    const alert = shell(['echo', 'x'], { needs: run, if: (when.and as (...args: unknown[]) => ReturnType<typeof when.and>)() }); // error-here
    return { run, alert };
  },
});
