// expect: SLUICE_E_MODULE_THREW
// expect-line: 1
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
// A thrown string has no stack: the error points at the file.
throw 'SNOWFLAKE_ACCOUNT is not set';
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
