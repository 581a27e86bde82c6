// expect: SLUICE_E_EVALUATION_TIMEOUT
// env: SLUICE_EVALUATION_TIMEOUT=1
// file: sluice.config.ts
import { defineConfig } from '@sluice/sdk'; // error-here
while (Date.now() > 0) {}
export default defineConfig({ target: 'github' });
// file: pipeline.ts
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
