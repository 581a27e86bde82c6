// expect: SLUICE_E_CONFIG_INVALID
// file: sluice.config.ts
import { defineConfig } from '@sluice/sdk';
export default defineConfig({
  targets: {
    github: { runsOn: 42 as unknown as string }, // error-here
  },
});
// file: pipeline.ts
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
