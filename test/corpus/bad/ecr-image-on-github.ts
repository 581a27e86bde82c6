// expect: SLUICE_E_TARGET_UNSUPPORTED
import { dbt, pipeline, runtime, trigger } from '@sluice/sdk';
export const nightly = pipeline('nightly', { // error-here
  triggers: [trigger.schedule('0 5 * * *')],
  runtime: runtime.image('123456789012.dkr.ecr.eu-west-1.amazonaws.com/dbt:1.10.2'),
  steps: () => ({ build: dbt.build() }),
});
