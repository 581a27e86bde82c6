// expect: SLUICE_E_STEPS_THREW
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
const hostile = new Proxy({}, { get() { throw Symbol('no'); } });
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  steps: () => ({ run: dbt.build(hostile) }),
});
