// expect: SLUICE_E_OUTPUT_CONFLICT
// expect-line: none
// mkdir: .github/workflows/p.yml
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
