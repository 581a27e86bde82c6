import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';

// Every value below is a plain string a YAML 1.1 reader would take for something else.
export const yes = pipeline('yes', {
  triggers: [trigger.schedule('30 12 * * *'), trigger.manual()],
  inputs: {
    on: input.string({ default: 'on' }),
    y: input.choice({ options: ['yes', 'no', 'y', 'n', '~'], default: 'no' }),
    when: input.string({ default: '12:30' }),
  },
  env: { ON: 'on', NO: 'no', TILDE: '~', DATE: '2024-01-01', HEX: '0x1F', OCTAL: '012', NULLISH: 'null', SEXAGESIMAL: '12:30', FLOAT: '1e3' },
  steps: ({ inputs }) => ({
    off: dbt.build({ select: inputs.on, vars: { yes: 'no', 'on': '~', '012': '0x1F' } }),
    n: shell(['echo', 'yes', 'no', 'on', 'off', '~', '2024-01-01', '0x1F', '012', '12:30', inputs.y, inputs.when], { needs: [] }),
  }),
});
