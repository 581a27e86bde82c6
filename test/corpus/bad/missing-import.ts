// expect: SLUICE_E_SYNTAX
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
import { models } from './models-that-do-not-exist'; // error-here
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.build({ select: models }) }) });
