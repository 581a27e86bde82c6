// expect: SLUICE_E_INPUT_IN_STRING
import { input, pipeline, shell, trigger } from '@sluice/sdk';
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  inputs: { day: input.string({ default: '2026-01-01' }) },
  steps: ({ inputs }) => ({
    check: shell(['python3', 'check.py', `--day=${inputs.day}`]), // error-here
  }),
});
