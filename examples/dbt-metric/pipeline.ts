// The metric team's pipelines. Change a selection here, run `npm run compile`, review the diff.
import { cloud, dbt, input, notify, pipeline, runtime, secret, selector, state, trigger, upload, when } from '@sluice/sdk';

const warehouse = {
  SNOWFLAKE_ACCOUNT: secret('SNOWFLAKE_ACCOUNT'),
  SNOWFLAKE_USER: secret('SNOWFLAKE_USER'),
  SNOWFLAKE_PASSWORD: secret('SNOWFLAKE_PASSWORD'),
};
// Short-lived credentials (GitHub OIDC; the service account on Argo) for the buckets below.
const aws = cloud.aws({ roleToAssume: 'arn:aws:iam::123456789012:role/dbt-metric', region: 'eu-west-1' });
const python = runtime.python({ version: '3.12', requirements: 'requirements.txt' });
const slack = secret('SLACK_WEBHOOK');
// Production state: the manifest slim CI defers to, and the run results `retry` starts from.
const production = state.s3('s3://acme-dbt-state/metric');

/** Nightly production build: everything but deprecated models, then docs, then Slack either way. */
export const full = pipeline('full', {
  description: 'Nightly production build, docs site and Slack summary.',
  triggers: [trigger.schedule('0 23 * * *'), trigger.manual()],
  env: warehouse,
  runtime: python,
  cloud: aws,
  timeoutMinutes: 180,
  steps: () => {
    const run = dbt.build({ exclude: ['tag:deprecated'], target: 'prod', retries: 1 });
    const saveState = production.save({ needs: run });
    const docs = dbt.docs({ needs: run, target: 'prod', allowFailure: true });
    const publish = upload.s3({ from: docs.site, to: 's3://acme-dbt-docs/metric/' });
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
  cloud: aws,
  concurrency: { cancelInProgress: true },
  timeoutMinutes: 60,
  steps: () => {
    const prodState = production.load({ into: 'prod-state' });
    const run = dbt.build({ select: 'state:modified+', defer: true, state: prodState, target: 'ci', failFast: true });
    const docs = dbt.docs({ needs: run, target: 'ci' });
    const publish = upload.s3({ from: docs.site, to: 's3://acme-dbt-docs/metric-ci/' });
    const alert = notify.slack({ webhook: slack, needs: [run, publish], if: when.always() });
    return { prodState, run, docs, upload: publish, notify: alert };
  },
});

/** By hand: rebuild chosen models, from scratch when asked, instead of dropping tables by hand. */
export const backfill = pipeline('backfill', {
  description: 'Rebuild selected models, optionally with --full-refresh or a microbatch window.',
  triggers: [trigger.manual()],
  inputs: {
    select: input.string({ description: 'dbt selection, e.g. fct_orders+', required: true }),
    exclude: input.string({ description: 'dbt selection to leave out' }),
    fullRefresh: input.boolean({ description: 'Rebuild incremental models from scratch', default: false }),
    vars: input.string({ description: 'dbt vars as YAML or JSON, e.g. {"start_date": "2026-01-01"}' }),
    eventTimeStart: input.string({ description: 'Microbatch window start (dbt >= 1.9), e.g. 2026-11-01' }),
    eventTimeEnd: input.string({ description: 'Microbatch window end (dbt >= 1.9)' }),
  },
  env: warehouse,
  runtime: python,
  steps: ({ inputs }) => {
    const run = dbt.build({
      select: inputs.select,
      exclude: inputs.exclude,
      fullRefresh: inputs.fullRefresh,
      vars: inputs.vars,
      eventTimeStart: inputs.eventTimeStart,
      eventTimeEnd: inputs.eventTimeEnd,
      target: 'prod',
    });
    const alert = notify.slack({ webhook: slack, needs: run, if: when.always() });
    return { run, notify: alert };
  },
});

/** By hand, after a failed nightly run is fixed on main: re-run only what failed. */
export const retry = pipeline('retry', {
  description: 'Re-run the nodes that failed in the last production run (dbt retry).',
  triggers: [trigger.manual()],
  env: warehouse,
  runtime: python,
  cloud: aws,
  steps: () => {
    // The last run's results are saved after every build, failed or not (the baseline only after success).
    const lastRun = production.load({ from: 'last-run', into: 'last-run' });
    const run = dbt.retry({ state: lastRun, target: 'prod' });
    const saveState = production.save({ needs: run });
    const alert = notify.slack({ webhook: slack, needs: [run, saveState], if: when.always() });
    return { lastRun, run, saveState, notify: alert };
  },
});

/** By hand, when one model is wrong in production: rebuild it and everything downstream of it. */
export const emergency = pipeline('emergency', {
  description: 'Rebuild one model and its children (dbt build --select <model>+).',
  triggers: [trigger.manual()],
  inputs: {
    model: input.string({ description: 'The model to rebuild with its children, e.g. fct_orders', required: true }),
  },
  env: warehouse,
  runtime: python,
  steps: ({ inputs }) => {
    const run = dbt.build({ select: selector.children(inputs.model), target: 'prod' });
    const alert = notify.slack({ webhook: slack, needs: run, if: when.always() });
    return { run, notify: alert };
  },
});
