// expect: SLUICE_E_EXPRESSION_IN_STRING
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  inputs: { select: input.string({ description: 'models ${{ secrets.SNOWFLAKE_PASSWORD }}' }) },
  steps: () => ({ run: dbt.run() }),
});
