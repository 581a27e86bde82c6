// expect: SLUICE_E_EXPRESSION_IN_STRING
// target: argo
// file: sluice.config.ts
import { defineConfig } from '@sluice/sdk';
export default defineConfig({
  targets: {
    argo: {
      image: 'dbt:1',
      resources: {
        limits: { '{{workflow.parameters.resource}}': '1' }, // error-here
      },
    },
  },
});
// file: pipeline.ts
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
