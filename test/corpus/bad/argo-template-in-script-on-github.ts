// expect: SLUICE_E_EXPRESSION_IN_STRING
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
// '{{' is refused on every target, so one pipeline.ts compiles the same everywhere.
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => ({
    report: shell.script('echo {{workflow.parameters.note}}'), // error-here
  }),
});
