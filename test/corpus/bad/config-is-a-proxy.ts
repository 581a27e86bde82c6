// expect: SLUICE_E_CONFIG_INVALID
// file: sluice.config.ts
import { defineConfig } from '@sluice/sdk';
// A Proxy could answer one value to the check and another to the writer.
export default new Proxy(defineConfig({ target: 'github' }), { get: (target, key) => Reflect.get(target, key) }); // error-here
// file: pipeline.ts
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
