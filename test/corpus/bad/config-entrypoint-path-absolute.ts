// expect: SLUICE_E_OUTPUT_OUTSIDE_PROJECT
// target: entrypoint
// file: sluice.config.ts
import { defineConfig } from '@sluice/sdk';
export default defineConfig({
  targets: {
    entrypoint: { path: '/tmp/sluice-corpus-entrypoint.sh' }, // error-here
  },
});
// file: pipeline.ts
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
