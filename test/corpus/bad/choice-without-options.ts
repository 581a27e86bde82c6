// expect: SLUICE_E_CHOICE_WITHOUT_OPTIONS
import { dbt, input, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  inputs: { mode: input.choice({ options: [] as unknown as ['fast'] }) },
  steps: () => ({ run: dbt.run() }),
});
