import { dbt, pipeline, trigger } from '@sluice/sdk';

// The smallest useful pipeline: build everything every morning, or by hand.
export const daily = pipeline('daily', {
  triggers: [trigger.schedule('0 6 * * *'), trigger.manual()],
  steps: () => ({ build: dbt.build() }),
});
