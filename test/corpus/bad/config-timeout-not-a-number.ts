// expect: SLUICE_E_CONFIG_INVALID
// file: sluice.config.ts
import { defineConfig } from '@sluice/sdk';
export default defineConfig({
  evaluationTimeoutSeconds: 'ten' as unknown as number, // error-here
});
// file: pipeline.ts
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
