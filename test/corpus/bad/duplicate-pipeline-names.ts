// expect: SLUICE_E_DUPLICATE_PIPELINE
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
export const first = pipeline('nightly', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
export const second = pipeline('nightly', { triggers: [trigger.manual()], steps: () => ({ run: dbt.test() }) }); // error-here
