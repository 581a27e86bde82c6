// expect: SLUICE_E_UNKNOWN_TARGET
// target: jenkins
// exit: 2
// expect-line: none
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
