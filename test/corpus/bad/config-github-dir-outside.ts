// expect: SLUICE_E_OUTPUT_OUTSIDE_PROJECT
// file: sluice.config.ts
import { defineConfig } from '@sluice/sdk';
export default defineConfig({
  targets: {
    github: { dir: '../outside' }, // error-here
  },
});
// file: pipeline.ts
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
