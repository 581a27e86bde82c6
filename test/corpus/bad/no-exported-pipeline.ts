// expect: SLUICE_E_NO_PIPELINES
// expect-line: 1
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
void p;
