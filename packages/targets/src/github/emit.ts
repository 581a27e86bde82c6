/**
 * GitHub Actions: one workflow per pipeline, one job per workflow (the environment is set up once
 * per run), one workflow step per pipeline step in execution order, each with an explicit `if:`.
 */
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
} from '@sluice/sdk';
import { argvLines, inputEnvName } from '../shared/bash.js';
import { hashHeader } from '../shared/header.js';
import { NOTIFIER_ENV, notifierSettings, slackNotifierProgram } from '../shared/notify.js';
import { shellQuote } from '../shared/shell.js';
import { Commented, withComment, toYaml } from '../shared/yaml.js';
import type { EmitResult, GeneratedFile, Target } from '../types.js';
import { SETUP_STEP_ID, stepIf } from './conditions.js';
import type { DispatchInput, Job, JobStep, Workflow, WorkflowTriggers } from './model.js';
import { ACTION_PINS, type PinnedAction } from './pins.js';

export const GITHUB_DEFAULTS = { dir: '.github/workflows', runsOn: 'ubuntu-24.04' } as const;

/** Runtime helpers live beside the workflows, once per repository, not inlined into every workflow. */
export const HELPER_DIR = '.github/sluice';
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
    const generated = workflow(ir, pipeline, options);
    const written = options.override ? options.override(generated as unknown as Record<string, unknown>, { pipeline: pipeline.name }) : generated;
    const problems = overrideProblems(written, pipeline.name);
    if (problems.length > 0) return { files: [], diagnostics: problems };
    files.push({ path: `${dir}/${pipeline.name}.yml`, content: hashHeader(ir.source, `pipeline "${pipeline.name}"`) + toYaml(written) });
  }
  const notifies = ir.pipelines.some((pipeline) => pipeline.steps.some((step) => isNotifyCommand(step.command)));
  if (notifies) files.push({ path: NOTIFIER_PATH, content: hashHeader(ir.source, 'Slack notifier') + slackNotifierProgram() });
  return { files, diagnostics: [] };
}

const UTC = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT']);

function refusals(pipeline: PipelineIR, options: GithubTargetConfig): Diagnostic[] {
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

/** An override may add settings, not holes: the invariants every workflow keeps are checked again. */
function overrideProblems(written: unknown, pipeline: string): Diagnostic[] {
  const problems: string[] = [];
  const jobs = (written as { jobs?: Record<string, { steps?: { run?: unknown; uses?: unknown }[] }> } | null)?.jobs;
  if (typeof written !== 'object' || written === null || typeof jobs !== 'object' || jobs === null) problems.push('it returned no workflow with jobs');
  for (const job of Object.values(jobs ?? {})) {
    for (const step of job.steps ?? []) {
      if (typeof step.run === 'string' && step.run.includes('${{')) problems.push('a run: contains ${{ }} (pass values through env:)');
      const uses = step.uses instanceof Commented ? step.uses.value : step.uses;
      if (uses !== undefined && !(typeof uses === 'string' && /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(uses))) problems.push(`the action ${String(uses)} is not pinned to a full commit SHA`);
    }
  }
  return problems.map((problem) => ({
    code: DIAGNOSTIC_CODES.OVERRIDE_UNSAFE,
    message: `targets.github.override for pipeline '${pipeline}': ${problem}.`,
    hint: 'Change the override so the workflow keeps these guarantees.',
    path: ['sluice.config.ts', 'targets.github.override', `pipeline ${pipeline}`],
  }));
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
      ...(pipeline.steps.some((step) => step.command.kind === 'github-artifact-load') ? { actions: 'read' as const } : {}),
      // contents: write only to push the docs to gh-pages.
      contents: pipeline.steps.some((step) => step.command.kind === 'github-pages') ? 'write' : 'read',
      ...(pipeline.cloud ? { 'id-token': 'write' as const } : {}),
    },
    ...(pipeline.runtime.kind === 'image' ? { container: { image: pipeline.runtime.image } } : {}),
    defaults: { run: runDefaults },
    steps: [...setupSteps(pipeline), ...executionOrder(pipeline).map((step) => workflowStep(pipeline, step, index))],
  };
}

function uses(action: PinnedAction): JobStep['uses'] {
  const pin = ACTION_PINS[action];
  return withComment(`${pin.action}@${pin.sha}`, pin.tag);
}

/** Checkout, Python with a pip cache, requirements, `dbt deps`: once per run. The last one is SETUP_STEP_ID. */
function setupSteps(pipeline: PipelineIR): JobStep[] {
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
      steps.push({ name: 'Install Python dependencies', run: `python -m pip install -r ${shellQuote(runtime.requirements)}\n` });
    }
  }
  if (runtime.dbtDeps) steps.push({ name: 'Install dbt packages', run: 'dbt deps\n' });
  const last = steps[steps.length - 1] as JobStep;
  return [...steps.slice(0, -1), { name: last.name, id: SETUP_STEP_ID, ...withoutName(last) }];
}

function withoutName(step: JobStep): Omit<JobStep, 'name'> {
  const { name: _name, ...rest } = step;
  return rest;
}

function workflowStep(pipeline: PipelineIR, step: StepIR, index: Map<string, StepIR>): JobStep {
  const command = step.command;
  if (command.kind === 'github-artifact-save') {
    return {
      name: `${step.id} (${step.label})`,
      id: step.id,
      if: stepIf(pipeline, step, index),
      uses: uses('uploadArtifact'),
      with: { name: command.name, path: `${command.paths.join('\n')}\n`, 'if-no-files-found': 'error', 'retention-days': 90 },
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
  for (const name of inputsUsedBy(pipeline, step)) env[inputEnvName(name)] = `\${{ inputs.${name} }}`;
  if (step.command.kind === 'script' && step.retries > 0) env.SLUICE_SCRIPT = step.command.script;
  if (step.command.kind === 'github-pages') {
    env.GH_TOKEN = '${{ github.token }}';
    env.SLUICE_PAGES_FROM = step.command.path;
    env.SLUICE_PAGES_AS = step.command.publishAs ?? step.command.path.split('/').pop() ?? 'index.html';
  }
  if (step.command.kind === 'github-artifact-load') {
    env.GH_TOKEN = '${{ github.token }}';
    env.GH_REPO = '${{ github.repository }}';
    env.SLUICE_STATE_WORKFLOW = step.command.workflow;
    env.SLUICE_STATE_BRANCH = step.command.branch;
    env.SLUICE_STATE_ARTIFACT = step.command.name;
    env.SLUICE_STATE_DIR = step.command.dir;
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

function runBody(pipeline: PipelineIR, step: StepIR): string {
  const lines: string[] = [];
  // Scheduled runs have no inputs: fall back to each input's default (a quoted literal).
  for (const name of inputsUsedBy(pipeline, step)) {
    const input = pipeline.inputs.find((candidate) => candidate.name === name);
    const variable = inputEnvName(name);
    if (input?.default !== undefined) {
      lines.push(`if [ -z "\${${variable}:-}" ]; then ${variable}=${shellQuote(String(input.default))}; fi`);
    } else if (input?.required) {
      lines.push(`if [ -z "\${${variable}:-}" ]; then echo "::error::Input '${name}' is required." >&2; exit 2; fi`);
    }
  }
  lines.push(...commandLines(step));
  return `${lines.join('\n')}\n`;
}

/** Fetches a state artifact from the saving workflow's last successful run, with the runner's gh CLI. */
const ARTIFACT_LOAD_SCRIPT = [
  'mkdir -p "$SLUICE_STATE_DIR"',
  'run_id=$(gh run list --workflow "$SLUICE_STATE_WORKFLOW" --branch "$SLUICE_STATE_BRANCH" --status success --limit 1 --json databaseId --jq \'.[0].databaseId\' || true)',
  'if [ -n "$run_id" ] && gh run download "$run_id" --name "$SLUICE_STATE_ARTIFACT" --dir "$SLUICE_STATE_DIR"; then',
  '  echo "sluice: state from run $run_id of $SLUICE_STATE_WORKFLOW"',
  'else',
  '  echo "sluice: no production state from $SLUICE_STATE_WORKFLOW on $SLUICE_STATE_BRANCH yet"',
  'fi',
];

/**
 * Publishes to the gh-pages branch with git alone (no third-party action): the site is committed in a
 * fresh repository and force-pushed; the job token travels as an HTTP header, as actions/checkout
 * sends it, never in a URL.
 */
const PAGES_SCRIPT = [
  'site="$RUNNER_TEMP/sluice-pages"',
  'rm -rf "$site" && mkdir -p "$site"',
  'if [ -d "$SLUICE_PAGES_FROM" ]; then cp -R "$SLUICE_PAGES_FROM"/. "$site"/; else cp "$SLUICE_PAGES_FROM" "$site/$SLUICE_PAGES_AS"; fi',
  'touch "$site/.nojekyll"',
  'cd "$site"',
  'git init -q -b gh-pages',
  'git add -A',
  'git -c user.name="sluice" -c user.email="sluice@users.noreply.github.com" commit -q -m "Publish dbt docs"',
  'auth=$(printf "x-access-token:%s" "$GH_TOKEN" | base64 -w0)',
  'git -c http.extraheader="AUTHORIZATION: basic $auth" push -q --force "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY.git" gh-pages',
];

function commandLines(step: StepIR): string[] {
  const command = step.command;
  if (command.kind === 'github-pages') return PAGES_SCRIPT;
  if (isNotifyCommand(command)) return [`python3 "$GITHUB_WORKSPACE"/${NOTIFIER_PATH}`];
  if (command.kind === 'github-artifact-load') return ARTIFACT_LOAD_SCRIPT;
  if (command.kind === 'github-artifact-save') throw new Error('an artifact save is an action step, not a run: step');
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
