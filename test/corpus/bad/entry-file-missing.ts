// expect: SLUICE_E_ENTRY_NOT_FOUND
// expect-line: none
// file: sluice.config.ts
import { defineConfig } from '@sluice/sdk';
export default defineConfig({ entry: 'pipelines/main.ts', target: 'github' });
// file: pipeline.ts
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
