// expect: SLUICE_E_OVERRIDE_THREW
// expect-line: none
// file: sluice.config.ts
import { defineConfig } from '@sluice/sdk';
export default defineConfig({
  targets: {
    github: {
      override: () => {
        throw 'not today';
      },
    },
  },
});
// file: pipeline.ts
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
