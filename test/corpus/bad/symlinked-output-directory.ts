// expect: SLUICE_E_OUTPUT_OUTSIDE_PROJECT
// expect-line: none
// symlink: .github/workflows -> ../../elsewhere
import { dbt, pipeline, trigger } from '@sluice/sdk';
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
