// The metric team's pipelines. Change a selection here, run `npm run compile`, review the diff.
import { dbt, input, notify, pipeline, runtime, secret, shell, trigger, upload, when } from '@sluice/sdk';

const warehouse = {
  SNOWFLAKE_ACCOUNT: secret('SNOWFLAKE_ACCOUNT'),
  SNOWFLAKE_USER: secret('SNOWFLAKE_USER'),
  SNOWFLAKE_PASSWORD: secret('SNOWFLAKE_PASSWORD'),
};
const aws = {
  AWS_ACCESS_KEY_ID: secret('AWS_ACCESS_KEY_ID'),
  AWS_SECRET_ACCESS_KEY: secret('AWS_SECRET_ACCESS_KEY'),
  AWS_DEFAULT_REGION: 'eu-west-1',
};
const python = runtime.python({ version: '3.12', requirements: 'requirements.txt' });
const slack = secret('SLACK_WEBHOOK');
const docsSite = 's3://acme-dbt-docs/metric/';
const productionManifest = 's3://acme-dbt-state/metric/manifest.json';

/** Nightly production build: everything but deprecated models, then docs, then Slack either way. */
export const full = pipeline('full', {
  description: 'Nightly production build, docs site and Slack summary.',
  triggers: [trigger.schedule('0 23 * * *'), trigger.manual()],
  env: warehouse,
  runtime: python,
  timeoutMinutes: 180,
  steps: () => {
    const run = dbt.build({ exclude: ['tag:deprecated'], target: 'prod', retries: 1 });
    const saveState = shell(['aws', 's3', 'cp', 'target/manifest.json', productionManifest], { needs: run, env: aws });
    const docs = dbt.docs({ needs: run, target: 'prod' });
    const publish = upload.s3({ from: docs.site, to: docsSite, env: aws });
    const alert = notify.slack({ webhook: slack, needs: [run, publish], if: when.always() });
    return { run, saveState, docs, upload: publish, notify: alert };
  },
});

/** Every pull request: build only what changed, deferring to production for the rest. */
export const slim = pipeline('slim', {
  description: 'Slim CI: modified models and their children, deferred to the production manifest.',
  triggers: [trigger.pullRequest({ branches: ['main'] })],
  env: warehouse,
  runtime: python,
  concurrency: { cancelInProgress: true },
  timeoutMinutes: 60,
  steps: () => {
    const fetchState = shell(['aws', 's3', 'cp', productionManifest, 'prod-state/manifest.json'], { env: aws });
    const run = dbt.build({ select: 'state:modified+', defer: true, state: 'prod-state', target: 'ci', failFast: true, needs: fetchState });
    const docs = dbt.docs({ needs: run, target: 'ci' });
    const publish = upload.s3({ from: docs.site, to: 's3://acme-dbt-docs/metric-ci/', env: aws });
    const alert = notify.slack({ webhook: slack, needs: [run, publish], if: when.always() });
    return { fetchState, run, docs, upload: publish, notify: alert };
  },
});

/** By hand: rebuild chosen models, from scratch when asked, instead of dropping tables by hand. */
export const backfill = pipeline('backfill', {
  description: 'Rebuild selected models, optionally with --full-refresh.',
  triggers: [trigger.manual()],
  inputs: {
    select: input.string({ description: 'dbt selection, e.g. fct_orders+', required: true }),
    fullRefresh: input.boolean({ description: 'Rebuild incremental models from scratch', default: false }),
  },
  env: warehouse,
  runtime: python,
  steps: ({ inputs }) => {
    const run = dbt.build({ select: inputs.select, fullRefresh: inputs.fullRefresh, target: 'prod' });
    const alert = notify.slack({ webhook: slack, needs: run, if: when.always() });
    return { run, notify: alert };
  },
});
