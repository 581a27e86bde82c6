// A dbt project in a sub-folder, with its state kept as GitHub artifacts and its docs on GitHub Pages.
import { dbt, notify, pipeline, runtime, secret, state, trigger, upload, when } from '@sluice/sdk';

const python = runtime.python({ version: '3.12', requirements: 'requirements.txt' });
const slack = secret('SLACK_WEBHOOK');
const warehouse = { DUCKDB_PATH: 'warehouse.duckdb' };
// The artifact of the last successful `nightly` run started by its schedule, by hand or by a push,
// on the repository's default branch: never a pull request's.
const production = state.githubArtifact({ pipeline: 'nightly' });

/** Nightly: build, keep the state, publish the docs, tell Slack either way. */
export const nightly = pipeline('nightly', {
  triggers: [trigger.schedule('0 4 * * *'), trigger.manual()],
  env: warehouse,
  runtime: python,
  steps: () => {
    const run = dbt.build({ target: 'prod' });
    const save = production.save({ needs: run });
    const docs = dbt.docs({ needs: run, target: 'prod', allowFailure: true });
    const publish = upload.pages({ from: docs.site });
    const alert = notify.slack({ webhook: slack, needs: [run, publish], if: when.always() });
    return { run, save, docs, publish, notify: alert };
  },
});

/** Pull requests: build what changed, deferring to the nightly state; read-only. */
export const slim = pipeline('slim', {
  triggers: [trigger.pullRequest({ branches: ['main'] })],
  env: warehouse,
  runtime: python,
  concurrency: { cancelInProgress: true },
  steps: () => {
    const prodState = production.load();
    const run = dbt.build({ select: 'state:modified+', defer: true, state: prodState, target: 'ci' });
    return { prodState, run };
  },
});
