// expect: SLUICE_E_UNSAFE_STRING
// file: sluice.config.ts
import { defineConfig } from '@sluice/sdk';
// A newline in entry once added a ClusterRoleBinding to the generated header of an Argo file.
export default defineConfig({
  entry: 'pipeline.ts\n---\nkind: ClusterRoleBinding', // error-here
  target: 'argo',
  targets: { argo: { image: 'dbt:1' } },
});
// file: pipeline.ts
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
