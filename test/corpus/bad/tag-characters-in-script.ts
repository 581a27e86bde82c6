// expect: SLUICE_E_UNSAFE_STRING
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
// Tag characters (U+E0000-U+E007F) are invisible: 'echo ok' here hides a second command.
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => ({
    report: shell.script('echo ok\u{E0072}\u{E006D}'), // error-here
  }),
});
