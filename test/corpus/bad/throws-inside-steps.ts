// expect: SLUICE_E_STEPS_THREW
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';
function models(): string[] {
  throw new Error('models.json is missing'); // error-here
}
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.build({ select: models() }) }) });
