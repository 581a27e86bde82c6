// expect: SLUICE_E_EXPRESSION_IN_STRING
// file: sluice.config.ts
import { defineConfig } from '@sluice/sdk';
export default defineConfig({
  dbtProjectDir: 'dbt-${{ github.head_ref }}', // error-here
});
// file: pipeline.ts
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
