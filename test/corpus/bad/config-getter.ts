// expect: SLUICE_E_CONFIG_INVALID
// file: sluice.config.ts
import { defineConfig } from '@sluice/sdk';
let reads = 0;
export default defineConfig({
  targets: {
    github: {
      get runsOn() { // error-here
        return reads++ === 0 ? 'ubuntu-24.04' : '${{ github.event.issue.title }}';
      },
    },
  },
});
// file: pipeline.ts
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
