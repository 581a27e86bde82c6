// expect: SLUICE_E_EXPRESSION_IN_STRING
import { dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
const prod = state.githubArtifact({ pipeline: 'full${{ github.token }}' });
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const prodState = prod.load(); // error-here
    return { prodState, run: dbt.build({ state: prodState, defer: true, select: 'state:modified+' }) };
  },
});
