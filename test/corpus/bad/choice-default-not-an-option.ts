// expect: SLUICE_E_INVALID_INPUT_DEFAULT
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  inputs: { mode: input.choice({ options: ['fast', 'safe'], default: 'reckless' as 'fast' }) },
  steps: () => ({ run: dbt.run() }),
});
