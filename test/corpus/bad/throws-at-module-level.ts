// expect: SLUICE_E_MODULE_THREW
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
const warehouse = process.env.SLUICE_CORPUS_UNSET_VARIABLE;
if (!warehouse) throw new Error('set SNOWFLAKE_ACCOUNT first'); // error-here
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });
