// expect: SLUICE_E_UNSAFE_STRING
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
// U+0085 (NEL) ends a line for YAML 1.1 readers.
export const p = pipeline('p', { // error-here
  triggers: [trigger.manual()],
  concurrency: { group: 'prod\u0085on: pull_request_target', cancelInProgress: false },
  steps: () => ({ run: dbt.run() }),
});
