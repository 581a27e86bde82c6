// expect: SLUICE_E_EVALUATION_TIMEOUT
// expect-line: 1
// file: sluice.config.ts
import { defineConfig } from '@sluice/sdk';
export default defineConfig({ target: 'github', evaluationTimeoutSeconds: 2 });
// file: pipeline.ts
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    for (;;) {}
  },
});
