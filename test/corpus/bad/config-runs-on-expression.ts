// expect: SLUICE_E_EXPRESSION_IN_STRING
// file: sluice.config.ts
import { defineConfig } from '@sluice/sdk';
export default defineConfig({
  target: 'github',
  targets: {
    github: { runsOn: '${{ github.event.pull_request.head.ref }}' }, // error-here
  },
});
// file: pipeline.ts
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
