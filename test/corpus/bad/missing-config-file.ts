// expect: SLUICE_E_CONFIG_NOT_FOUND
// config: missing.config.ts
// expect-line: none
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
