/**
 * GitHub Actions: one workflow per pipeline, one job per workflow (the environment is set up once
 * per run), one workflow step per pipeline step in execution order, each with an explicit `if:`.
 */
import { posix } from 'node:path';
import {
  isNotifyCommand,
  DIAGNOSTIC_CODES,
  executionOrder,
  inputsUsedBy,
  stepIndex,
  type Diagnostic,
  type GithubTargetConfig,
  type PipelineIR,
  type SluiceIR,
  type StepIR,
  type Value,
} from '@sluice/sdk/ir';
import { argvLines, inputEnvName } from '../shared/bash.js';
import { asProcessStep } from '../shared/process-step.js';
import { hashHeader } from '../shared/header.js';
import { NOTIFIER_ENV, notifierSettings, slackNotifierProgram } from '../shared/notify.js';
import { shellQuote } from '../shared/shell.js';
import { withComment, toYaml } from '../shared/yaml.js';
import type { EmitResult, GeneratedFile, Target } from '../types.js';
import { SETUP_STEP_ID, stepIf } from './conditions.js';
import { finalWorkflow } from './final.js';
import type { DispatchInput, Job, JobStep, Workflow, WorkflowTriggers } from './model.js';
import { ACTION_PINS, type PinnedAction } from './pins.js';
import { GITHUB_DEFAULTS } from './options.js';

export { GITHUB_DEFAULTS };

/** Runtime helpers live beside the workflows, once per repository, not inlined into every workflow. */
const HELPER_DIR = '.github/sluice';
const NOTIFIER_PATH = `${HELPER_DIR}/notify_slack.py`;

export const githubTarget: Target<GithubTargetConfig> = {
  name: 'github',
  emit: emitGithub,
  outputDirs: (options) => [options.dir ?? GITHUB_DEFAULTS.dir, HELPER_DIR],
};

export function emitGithub(ir: SluiceIR, options: GithubTargetConfig = {}): EmitResult {
  const diagnostics = ir.pipelines.flatMap((pipeline) => refusals(pipeline, options));
  if (diagnostics.length > 0) return { files: [], diagnostics };
  const dir = options.dir ?? GITHUB_DEFAULTS.dir;
  const files: GeneratedFile[] = [];
  for (const pipeline of ir.pipelines) {
    const final = finalWorkflow(workflow(ir, pipeline, options), pipeline, options);
    if (!final.ok) return { files: [], diagnostics: final.diagnostics };
    files.push({ path: `${dir}/${pipeline.name}.yml`, content: hashHeader({ owner: 'github', source: ir.source, contents: `pipeline "${pipeline.name}"` }) + toYaml(final.workflow) });
  }
  const notifies = ir.pipelines.some((pipeline) => pipeline.steps.some((step) => isNotifyCommand(step.command)));
  if (notifies) files.push({ path: NOTIFIER_PATH, content: hashHeader({ owner: 'github', source: ir.source, contents: 'Slack notifier' }, 'python') + slackNotifierProgram() });
  return { files, diagnostics: [] };
}

const UTC = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT']);

function refusals(pipeline: PipelineIR, options: GithubTargetConfig): Diagnostic[] {
  return [...timezoneRefusals(pipeline, options), ...pullRequestWriteRefusals(pipeline), ...imageRefusals(pipeline)];
}

const ECR_IMAGE = /^\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\//;
const GHCR_IMAGE = /^ghcr\.io\//;

/**
 * Images GitHub cannot pull as asked. ECR: GitHub pulls the job container before the first step, so
 * the OIDC login (configure-aws-credentials) cannot run first in the same job, and handing an ECR
 * token from another job means passing a registry password unmasked through job outputs; a stored
 * ECR password expires after 12 hours. The job token logs in to ghcr.io only.
 */
function imageRefusals(pipeline: PipelineIR): Diagnostic[] {
  const runtime = pipeline.runtime;
  if (runtime.kind !== 'image') return [];
  const refuse = (message: string, hint: string): Diagnostic[] => [
    { code: DIAGNOSTIC_CODES.TARGET_UNSUPPORTED, message, hint, path: [`pipeline ${pipeline.name}`, 'runtime', 'target github'], ...(pipeline.source ? { location: pipeline.source } : {}) },
  ];
  if (ECR_IMAGE.test(runtime.image)) {
    return refuse(
      `Pipeline '${pipeline.name}' runs in ${runtime.image}, an Amazon ECR image: GitHub pulls the job container before any step can log in with OIDC, and ECR passwords expire after 12 hours.`,
      "On GitHub, use runtime.python({ requirements }) (dbt installed by pip), or push the same image to ghcr.io too and use runtime.image('ghcr.io/...', { credentials: 'github-token' }); keep ECR for Argo (targets.argo.imagePullSecrets).",
    );
  }
  if (runtime.credentials?.kind === 'github-token' && !GHCR_IMAGE.test(runtime.image)) {
    return refuse(`Pipeline '${pipeline.name}' pulls ${runtime.image} with the job token, which logs in to ghcr.io only.`, "Use credentials: { username: secret('REGISTRY_USER'), password: secret('REGISTRY_PASSWORD') } for this registry.");
  }
  return [];
}

function timezoneRefusals(pipeline: PipelineIR, options: GithubTargetConfig): Diagnostic[] {
  if (options.scheduleTimezones) return [];
  return pipeline.triggers.flatMap((trigger) =>
    trigger.kind === 'schedule' && trigger.timezone && !UTC.has(trigger.timezone)
      ? [
          {
            code: DIAGNOSTIC_CODES.TARGET_UNSUPPORTED,
            message: `Pipeline '${pipeline.name}' has a schedule in ${trigger.timezone}; GitHub Actions schedules run in UTC unless the workflow sets \`timezone\`, which actionlint does not accept yet.`,
            hint: 'Write the cron in UTC, or set targets.github.scheduleTimezones: true to emit GitHub\'s timezone key.',
            path: [`pipeline ${pipeline.name}`, 'target github'],
            ...(trigger.source ? { location: trigger.source } : {}),
          },
        ]
      : [],
  );
}

/**
 * A pipeline a pull request starts runs code the pull request's author wrote: it may not publish the
 * docs site (that needs contents: write) or save the state production runs and slim CI trust.
 */
function pullRequestWriteRefusals(pipeline: PipelineIR): Diagnostic[] {
  if (!pipeline.triggers.some((trigger) => trigger.kind === 'pullRequest')) return [];
  return pipeline.steps.flatMap((step): Diagnostic[] => {
    const command = step.command;
    const pages = command.kind === 'publish' && command.destination.kind === 'pages';
    if (!pages && !(command.kind === 'state-save' && command.store.kind === 'github-artifact')) return [];
    return [
      {
        code: DIAGNOSTIC_CODES.PULL_REQUEST_WRITE,
        message:
          pages
            ? `Pipeline '${pipeline.name}' runs on pull requests and step '${step.id}' publishes GitHub Pages, which needs a token that can write the repository (contents: write).`
            : `Pipeline '${pipeline.name}' runs on pull requests and step '${step.id}' saves dbt state that production and slim CI runs would trust.`,
        hint:
          pages
            ? 'Publish the docs from a pipeline triggered by push to the default branch, a schedule or trigger.manual(); keep the pull-request pipeline read-only.'
            : 'Save state from the production pipeline (schedule, push to the default branch or trigger.manual()); pull-request pipelines only load it.',
        path: [`pipeline ${pipeline.name}`, `step ${step.id}`, 'target github'],
        ...(step.source ? { location: step.source } : {}),
      },
    ];
  });
}

function workflow(ir: SluiceIR, pipeline: PipelineIR, options: GithubTargetConfig): Workflow {
  return {
    name: pipeline.name,
    on: triggers(pipeline),
    permissions: {},
    concurrency: {
      group: pipeline.concurrency.group ?? `sluice-${pipeline.name}-\${{ github.ref }}`,
      'cancel-in-progress': pipeline.concurrency.cancelInProgress,
    },
    jobs: { [pipeline.name]: job(ir, pipeline, options) },
  };
}

function triggers(pipeline: PipelineIR): WorkflowTriggers {
  const on: WorkflowTriggers = {};
  for (const trigger of pipeline.triggers) {
    switch (trigger.kind) {
      case 'schedule':
        (on.schedule ??= []).push(trigger.timezone ? { cron: trigger.cron, timezone: trigger.timezone } : { cron: trigger.cron });
        break;
      case 'manual':
        on.workflow_dispatch = pipeline.inputs.length > 0 ? { inputs: dispatchInputs(pipeline) } : {};
        break;
      case 'pullRequest':
        on.pull_request = branchFilter(trigger);
        break;
      case 'push':
        on.push = branchFilter(trigger);
        break;
    }
  }
  return on;
}

function branchFilter(trigger: { branches: string[]; paths: string[] }): WorkflowTriggers['push'] {
  if (trigger.branches.length === 0 && trigger.paths.length === 0) return null;
  return {
    ...(trigger.branches.length > 0 ? { branches: trigger.branches } : {}),
    ...(trigger.paths.length > 0 ? { paths: trigger.paths } : {}),
  };
}

function dispatchInputs(pipeline: PipelineIR): Record<string, DispatchInput> {
  const inputs: Record<string, DispatchInput> = {};
  for (const input of pipeline.inputs) {
    inputs[input.name] = {
      description: input.description ?? input.name,
      required: input.required,
      type: input.type,
      ...(input.default !== undefined ? { default: input.default } : {}),
      ...(input.options ? { options: input.options } : {}),
    };
  }
  return inputs;
}

function job(ir: SluiceIR, pipeline: PipelineIR, options: GithubTargetConfig): Job {
  const index = stepIndex(pipeline);
  const runDefaults: Job['defaults']['run'] = { shell: 'bash' };
  if (ir.dbtProjectDir !== '.') runDefaults['working-directory'] = ir.dbtProjectDir;
  return {
    name: pipeline.name,
    'runs-on': options.runsOn ?? GITHUB_DEFAULTS.runsOn,
    'timeout-minutes': pipeline.timeoutMinutes,
    // id-token: write only where the run exchanges GitHub's OIDC token for cloud credentials.
    permissions: {
      // actions: read to fetch state artifacts of another workflow's runs.
      ...(pipeline.steps.some((step) => step.command.kind === 'state-load' && step.command.store.kind === 'github-artifact') ? { actions: 'read' as const } : {}),
      // contents: write only to push the docs to gh-pages.
      contents: pipeline.steps.some((step) => step.command.kind === 'publish' && step.command.destination.kind === 'pages') ? 'write' : 'read',
      ...(pipeline.cloud ? { 'id-token': 'write' as const } : {}),
      // packages: read to pull the job's image from GHCR with the job token.
      ...(pipeline.runtime.kind === 'image' && pipeline.runtime.credentials?.kind === 'github-token' ? { packages: 'read' as const } : {}),
    },
    ...(pipeline.runtime.kind === 'image' ? { container: container(pipeline.runtime) } : {}),
    defaults: { run: runDefaults },
    steps: [...setupSteps(pipeline, ir.dbtProjectDir), ...executionOrder(pipeline).map((step) => workflowStep(pipeline, step, index, ir.dbtProjectDir))],
  };
}

/**
 * The job's container. GitHub pulls it before the first step, with `credentials` when given: account
 * secrets enter only as `${{ secrets.X }}`, the job token as `${{ github.token }}`.
 */
function container(runtime: Extract<PipelineIR['runtime'], { kind: 'image' }>): NonNullable<Job['container']> {
  const credentials = runtime.credentials;
  if (credentials === undefined) return { image: runtime.image };
  if (credentials.kind === 'github-token') return { image: runtime.image, credentials: { username: '${{ github.actor }}', password: '${{ github.token }}' } };
  return { image: runtime.image, credentials: { username: envValue(credentials.username), password: envValue(credentials.password) } };
}

function uses(action: PinnedAction): JobStep['uses'] {
  const pin = ACTION_PINS[action];
  return withComment(`${pin.action}@${pin.sha}`, pin.tag);
}

/** Checkout, Python with a pip cache, requirements, `dbt deps`: once per run. The last one is SETUP_STEP_ID. */
function setupSteps(pipeline: PipelineIR, dbtProjectDir: string): JobStep[] {
  const steps: JobStep[] = [
    { name: 'Check out the repository', uses: uses('checkout'), with: { 'persist-credentials': false } },
  ];
  if (pipeline.cloud?.kind === 'aws') {
    steps.push({
      name: 'Get AWS credentials (OIDC)',
      uses: uses('awsCredentials'),
      with: { 'role-to-assume': pipeline.cloud.roleToAssume, 'aws-region': pipeline.cloud.region },
    });
  } else if (pipeline.cloud?.kind === 'gcp') {
    steps.push(
      {
        name: 'Get Google Cloud credentials (OIDC)',
        uses: uses('gcpAuth'),
        with: { workload_identity_provider: pipeline.cloud.workloadIdentityProvider, service_account: pipeline.cloud.serviceAccount },
      },
      { name: 'Set up gcloud', uses: uses('setupGcloud') },
    );
  }
  const runtime = pipeline.runtime;
  if (runtime.kind === 'python') {
    steps.push({
      name: `Set up Python ${runtime.version}`,
      uses: uses('setupPython'),
      with: {
        'python-version': runtime.version,
        ...(runtime.requirements ? { cache: 'pip', 'cache-dependency-path': runtime.requirements } : {}),
      },
    });
    if (runtime.requirements) {
      // The requirements path is relative to the project root (as the pip cache key above), not to
      // the dbt project directory every other run: step defaults to.
      steps.push({
        name: 'Install Python dependencies',
        ...(dbtProjectDir !== '.' ? { 'working-directory': '.' } : {}),
        run: `python -m pip install -r ${shellQuote(runtime.requirements)}\n`,
      });
    }
  }
  if (runtime.dbtDeps) steps.push({ name: 'Install dbt packages', run: 'dbt deps\n' });
  const last = steps[steps.length - 1] as JobStep;
  return [...steps.slice(0, -1), { name: last.name, id: SETUP_STEP_ID, ...withoutName(last) }];
}

/** A path relative to the dbt project directory, as seen from the workspace root. */
function fromWorkspace(dbtProjectDir: string, path: string): string {
  return posix.normalize(posix.join(dbtProjectDir, path));
}

function withoutName(step: JobStep): Omit<JobStep, 'name'> {
  const { name: _name, ...rest } = step;
  return rest;
}

/** The artifact name GitHub-artifact state is saved under, and the files it holds. */
const STATE_ARTIFACT = 'sluice-state';
const STATE_FILES = ['manifest.json', 'run_results.json'];

function workflowStep(pipeline: PipelineIR, meaning: StepIR, index: Map<string, StepIR>, dbtProjectDir: string): JobStep {
  // S3/GCS state and uploads run as the CLI calls that do them; GitHub artifacts and Pages are GitHub's own.
  const step = asProcessStep(meaning);
  const command = step.command;
  if (command.kind === 'state-save' && command.store.kind === 'github-artifact') {
    const paths = STATE_FILES.map((file) => (command.from !== undefined ? `${command.from}/${file}` : file));
    return {
      name: `${step.id} (${step.label})`,
      id: step.id,
      if: stepIf(pipeline, step, index),
      uses: uses('uploadArtifact'),
      // Actions resolve paths from the workspace root, not from the run: steps' working directory.
      with: { name: STATE_ARTIFACT, path: `${paths.map((path) => fromWorkspace(dbtProjectDir, path)).join('\n')}\n`, 'if-no-files-found': 'error', 'retention-days': 90 },
      ...(step.allowFailure ? { 'continue-on-error': true } : {}),
      ...(step.timeoutMinutes !== undefined ? { 'timeout-minutes': step.timeoutMinutes } : {}),
    };
  }
  const env = stepEnv(pipeline, step);
  return {
    name: `${step.id} (${step.label})`,
    id: step.id,
    if: stepIf(pipeline, step, index),
    ...(Object.keys(env).length > 0 ? { env } : {}),
    ...(step.allowFailure ? { 'continue-on-error': true } : {}),
    ...(step.timeoutMinutes !== undefined ? { 'timeout-minutes': step.timeoutMinutes } : {}),
    run: runBody(pipeline, step),
  };
}

/** Values reach the step only through env: secrets, inputs, literals, and the notifier's context. */
function stepEnv(pipeline: PipelineIR, step: StepIR): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of [...pipeline.env, ...step.env]) env[variable.name] = envValue(variable.value);
  for (const name of inputsUsedBy(pipeline, step)) {
    env[inputEnvName(name)] = `\${{ inputs.${name} }}`;
    // Only workflow_dispatch has inputs: on every other event the run: body takes this default instead.
    const input = pipeline.inputs.find((candidate) => candidate.name === name);
    if (input?.default !== undefined) env[inputDefaultEnvName(name)] = String(input.default);
  }
  if (step.command.kind === 'script' && step.retries > 0) env.SLUICE_SCRIPT = step.command.script;
  const command = step.command;
  if (command.kind === 'publish' && command.destination.kind === 'pages') {
    env.GH_TOKEN = '${{ github.token }}';
    env.SLUICE_PAGES_FROM = command.path;
    env.SLUICE_PAGES_AS = command.destination.publishAs ?? command.path.split('/').pop() ?? 'index.html';
  }
  if (command.kind === 'state-load' && command.store.kind === 'github-artifact') {
    env.GH_TOKEN = '${{ github.token }}';
    env.GH_REPO = '${{ github.repository }}';
    // The saving pipeline's workflow file, as this target names it (<pipeline>.yml).
    env.SLUICE_STATE_WORKFLOW = `${command.store.pipeline}.yml`;
    if (command.store.branch !== undefined) env.SLUICE_STATE_BRANCH = command.store.branch;
    env.SLUICE_STATE_ARTIFACT = STATE_ARTIFACT;
    env.SLUICE_STATE_DIR = command.dir;
  }
  if (isNotifyCommand(step.command)) {
    for (const setting of notifierSettings(step.command)) env[setting.name] = envValue(setting.value);
    env[NOTIFIER_ENV.pipeline] = pipeline.name;
    env[NOTIFIER_ENV.status] = '${{ job.status }}';
    env[NOTIFIER_ENV.trigger] = '${{ github.event_name }}';
    env[NOTIFIER_ENV.runUrl] = '${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}';
  }
  return env;
}

function envValue(value: Value): string {
  switch (value.kind) {
    case 'literal':
      return value.value;
    case 'secret':
      return `\${{ secrets.${value.name} }}`;
    case 'input':
      return `\${{ inputs.${value.name} }}`;
  }
}

/** The env var that carries an input's default to the run: body (a value, never code). */
function inputDefaultEnvName(input: string): string {
  return `SLUICE_DEFAULT_${input}`;
}

function runBody(pipeline: PipelineIR, step: StepIR): string {
  const lines: string[] = [];
  // `inputs.x` is empty outside workflow_dispatch (schedule, push, pull_request): there the input
  // takes its default. The choice is made by event, not by emptiness, so an empty string or `false`
  // submitted on purpose stays what it is. On workflow_dispatch GitHub fills in unsubmitted defaults.
  for (const name of inputsUsedBy(pipeline, step)) {
    const input = pipeline.inputs.find((candidate) => candidate.name === name);
    const variable = inputEnvName(name);
    if (input?.default !== undefined) {
      lines.push(`if [ "\${GITHUB_EVENT_NAME:-}" != workflow_dispatch ]; then ${variable}=\${${inputDefaultEnvName(name)}}; fi`);
    }
    if (input?.required) {
      lines.push(`if [ -z "\${${variable}:-}" ]; then echo "::error::Input '${name}' is required." >&2; exit 2; fi`);
    }
  }
  // An env var set from an input gets the resolved value (its env: entry is `inputs.x`, empty off dispatch).
  const effective = new Map([...pipeline.env, ...step.env].map((variable) => [variable.name, variable.value]));
  for (const [name, value] of effective) {
    if (value.kind !== 'input') continue;
    const input = pipeline.inputs.find((candidate) => candidate.name === value.name);
    if (input?.default !== undefined) lines.push(`export ${name}="\$${inputEnvName(input.name)}"`);
  }
  lines.push(...commandLines(step));
  return `${lines.join('\n')}\n`;
}

/**
 * Fetches a state artifact from the saving workflow's last successful run that production could have
 * made: started by a trusted event (schedule, workflow_dispatch, push) on the state branch (by
 * default the repository's default branch, read from the API) of this very repository. A fork's pull
 * request from its own branch named `main` is a `pull_request` run whose head repository is the fork,
 * so it never qualifies. The REST API is used because `gh run list --json` has no head repository
 * field. Three outcomes: present (downloaded); absent (no such run yet, or its artifact expired:
 * `gh run download` says "no valid artifacts found to download"), which lets readers fall back; and
 * anything else (auth, permissions, network), which fails the step with GitHub's own message.
 */
const ARTIFACT_LOAD_SCRIPT = [
  'mkdir -p "$SLUICE_STATE_DIR"',
  'rm -f "$SLUICE_STATE_DIR/manifest.json" "$SLUICE_STATE_DIR/run_results.json"',
  'if [ -z "${SLUICE_STATE_BRANCH:-}" ]; then',
  '  if ! SLUICE_STATE_BRANCH=$(gh api "repos/$GH_REPO" --jq .default_branch) || [ -z "$SLUICE_STATE_BRANCH" ]; then',
  '    echo "::error::sluice: could not read the default branch of $GH_REPO (see the message above)" >&2',
  '    exit 1',
  '  fi',
  '  export SLUICE_STATE_BRANCH',
  'fi',
  'runs_url="repos/$GH_REPO/actions/workflows/$SLUICE_STATE_WORKFLOW/runs?status=success&per_page=100"',
  'if ! run_id=$(gh api --method GET "$runs_url" -f branch="$SLUICE_STATE_BRANCH" --jq \'[.workflow_runs[] | select(.conclusion == "success" and (.event == "schedule" or .event == "workflow_dispatch" or .event == "push") and .head_branch == env.SLUICE_STATE_BRANCH and .head_repository.full_name == env.GH_REPO and .repository.full_name == env.GH_REPO)][0].id // empty\'); then',
  '  echo "::error::sluice: could not list the runs of $SLUICE_STATE_WORKFLOW (an error, not absent: failing the load; see the message above)" >&2',
  '  exit 1',
  'fi',
  'if [ -z "$run_id" ]; then',
  '  echo "sluice: state absent: no production state from $SLUICE_STATE_WORKFLOW on $SLUICE_STATE_BRANCH yet (no successful schedule, workflow_dispatch or push run of this repository)"',
  '  exit 0',
  'fi',
  'if answer=$(gh run download "$run_id" --name "$SLUICE_STATE_ARTIFACT" --dir "$SLUICE_STATE_DIR" 2>&1); then',
  '  echo "sluice: state present: state from run $run_id of $SLUICE_STATE_WORKFLOW"',
  'elif [[ $answer == *"no valid artifacts found to download"* ]]; then',
  '  echo "sluice: state absent: run $run_id of $SLUICE_STATE_WORKFLOW has no $SLUICE_STATE_ARTIFACT artifact (expired?)"',
  'else',
  '  printf \'::error::sluice: could not download the state of run %s (not "absent": failing the load):\\n%s\\n\' "$run_id" "$answer" >&2',
  '  exit 1',
  'fi',
];

/**
 * Publishes to the gh-pages branch with git alone (no third-party action): the site is committed in a
 * fresh repository and force-pushed. The job token travels as an HTTP header, as actions/checkout
 * sends it, set through git's GIT_CONFIG_* environment (git >= 2.31): never in a URL and never on a
 * command line, where any process listing would show it.
 */
const PAGES_SCRIPT = [
  'site="$RUNNER_TEMP/sluice-pages"',
  'rm -rf "$site" && mkdir -p "$site"',
  'if [ -d "$SLUICE_PAGES_FROM" ]; then cp -R "$SLUICE_PAGES_FROM"/. "$site"/; else cp "$SLUICE_PAGES_FROM" "$site/$SLUICE_PAGES_AS"; fi',
  'touch "$site/.nojekyll"',
  'cd "$site" || exit 1',
  'git init -q -b gh-pages',
  'git add -A',
  'git -c user.name="sluice" -c user.email="sluice@users.noreply.github.com" commit -q -m "Publish dbt docs"',
  'auth=$(printf "x-access-token:%s" "$GH_TOKEN" | base64 -w0)',
  'GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.extraheader GIT_CONFIG_VALUE_0="AUTHORIZATION: basic $auth" git push -q --force "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY.git" gh-pages',
];

function commandLines(step: StepIR): string[] {
  const command = step.command;
  if (isNotifyCommand(command)) return [`python3 "$GITHUB_WORKSPACE"/${NOTIFIER_PATH}`];
  // Left by asProcessStep: GitHub's own (Pages, artifact state).
  if (command.kind === 'publish') return PAGES_SCRIPT;
  if (command.kind === 'state-load') return ARTIFACT_LOAD_SCRIPT;
  if (command.kind === 'state-save') throw new Error('an artifact save is an action step, not a run: step');
  if (step.retries === 0) return command.kind === 'script' ? [command.script.trimEnd()] : argvLines(command.argv);
  // Retries: the loop keeps the command in a condition, so its failure does not end the script early.
  const attempt = command.kind === 'script' ? ['bash -eo pipefail -c "$SLUICE_SCRIPT"'] : argvLines(command.argv);
  const run = attempt.pop() as string;
  return [
    ...attempt,
    'sluice_attempt=1',
    `until ${run}; do`,
    `  if [ "$sluice_attempt" -gt ${step.retries} ]; then exit 1; fi`,
    `  echo "Attempt $sluice_attempt of ${step.retries + 1} failed; retrying in \${SLUICE_RETRY_DELAY:-10} seconds."`,
    '  sluice_attempt=$((sluice_attempt + 1))',
    '  sleep "${SLUICE_RETRY_DELAY:-10}"',
    'done',
  ];
}
