// expect: SLUICE_E_UNSAFE_STRING
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  inputs: { note: input.string({ default: 'a\u2029b' }) },
  steps: () => ({ run: dbt.run() }),
});
