/**
 * GitLab CI/CD: Sluice's own CI file (default `.gitlab/sluice.yml`, included from `.gitlab-ci.yml` with
 * one `include: local` line; a hand-written `.gitlab-ci.yml` is never written) and the bash runner
 * beside it (`.gitlab/sluice/run.sh`).
 *
 * Layout: ONE GitLab job per pipeline, which sets the environment up once and runs the steps itself
 * with the shared bash runner (shared/runner.ts: the entrypoint's signal handling, retries, timeouts
 * and condition evaluation). Steps are not GitLab jobs because two GitLab rules would break
 * semantics.md (gitlab-notes §1-3): a failed job with `allow_failure: true` counts as *successful* for
 * the jobs after it (an allowFailure docs step would still let `upload` run), and cancelling a
 * pipeline cancels every job not yet started, `when: always` included (there is no `on_cancel`).
 * Inside one job, cancel reaches the runner as SIGTERM (gitlab-notes §3, Runner: SIGTERM to the job's
 * processes, SIGKILL later), and the runner still runs the always() steps, the whole shutdown bounded
 * by SLUICE_SHUTDOWN_GRACE (default GITLAB_SHUTDOWN below).
 *
 * Inputs: prefilled global variables `SLUICE_INPUT_<name>` (description, default, options), not
 * `spec:inputs`: inputs reach a job only by `$[[ inputs.x ]]` interpolation into the file text at
 * pipeline creation (gitlab-notes §4), and one file serves every pipeline (their required inputs would
 * block every push pipeline), while a variable reaches the runner as the environment variable it
 * already reads, checked by type there. No user value is ever part of a `script:` line.
 */
import { posix } from 'node:path';
import { DIAGNOSTIC_CODES, type Diagnostic, type GitlabTargetConfig, type InputIR, type PipelineIR, type SluiceIR, type StepIR } from '@sluice/sdk/ir';
import { inputEnvName } from '../shared/bash.js';
import { commentLine, hashHeader, headerLines } from '../shared/header.js';
import { NOTIFIER_ENV } from '../shared/notify.js';
import { isEngineOwnCommand, type EngineOwnCommand } from '../shared/process-step.js';
import { renderRunner } from '../shared/runner.js';
import { shellQuote } from '../shared/shell.js';
import { toYaml } from '../shared/yaml.js';
import type { EmitResult, GeneratedFile, Target } from '../types.js';
import { GITLAB_DEFAULTS } from './options.js';
import { isPlainName, PIPELINE_VARIABLE, pipelineRules, SCHEDULE_VARIABLE, type Rule } from './rules.js';

export { GITLAB_DEFAULTS };

export const gitlabTarget: Target<GitlabTargetConfig> = {
  name: 'gitlab',
  emit: emitGitlab,
  outputDirs: (options) => {
    const dir = posix.dirname(options.path ?? GITLAB_DEFAULTS.path);
    return [dir, posix.join(dir, 'sluice')];
  },
};

/** The ID token's variable (gitlab-notes §5: `id_tokens: {NAME: {aud}}` appears as `$NAME`). */
export const OIDC_TOKEN_VARIABLE = 'SLUICE_OIDC_TOKEN';
/** Where the Pages step leaves its mark for the `pages` job, relative to $CI_PROJECT_DIR. */
export const PAGES_MARKER = '.sluice/pages-published';
/** The `pages` job's exit code when the pipeline did not publish: an allowed failure, no deployment. */
export const PAGES_NOT_PUBLISHED_EXIT = 3;

export function runnerPath(options: GitlabTargetConfig): string {
  return posix.join(posix.dirname(options.path ?? GITLAB_DEFAULTS.path), 'sluice', 'run.sh');
}

export function jobName(pipeline: PipelineIR): string {
  return `sluice-${pipeline.name}`;
}

export function emitGitlab(ir: SluiceIR, options: GitlabTargetConfig = {}): EmitResult {
  const diagnostics = refusals(ir);
  const inputs = formVariables(ir, diagnostics);
  if (diagnostics.length > 0) return { files: [], diagnostics };
  const path = options.path ?? GITLAB_DEFAULTS.path;
  const runner = runnerPath(options);
  const jobs: Record<string, unknown> = {};
  for (const pipeline of ir.pipelines) {
    const { rules } = pipelineRules(pipeline);
    jobs[jobName(pipeline)] = pipelineJob(ir, pipeline, rules, runner, options);
    if (publishesPages(pipeline)) jobs.pages = pagesJob(pipeline, rules, options);
  }
  const manual = ir.pipelines.filter((pipeline) => pipeline.triggers.some((trigger) => trigger.kind === 'manual')).map((pipeline) => pipeline.name);
  const variables: Record<string, unknown> = {};
  if (manual.length > 0) {
    variables[PIPELINE_VARIABLE] = { value: manual[0], options: manual, description: 'Sluice: the pipeline to run (manual runs; the variables below are its inputs).' };
  }
  Object.assign(variables, inputs);
  const document = { ...(Object.keys(variables).length > 0 ? { variables } : {}), ...jobs };
  const header = hashHeader({ owner: 'gitlab', source: ir.source, contents: 'all pipelines' });
  const files: GeneratedFile[] = [
    { path, content: header + usageComment(ir, path) + toYaml(document) },
    {
      path: runner,
      executable: true,
      content: renderRunner(ir, {
        program: 'run.sh',
        secretHint: 'add it as a masked CI/CD variable (Settings, CI/CD, Variables)',
        header: headerLines({ owner: 'gitlab', source: ir.source, contents: 'the runner of the GitLab jobs' }).map((line) => commentLine(line, 'bash')),
        shutdown: GITLAB_SHUTDOWN,
        defaultTrigger: 'GitLab CI/CD',
        setup: (pipeline) => setupLines(ir, pipeline),
        sections: SECTION_FUNCTIONS,
        command: (command) => (command.kind === 'publish' ? pagesStepLines(command) : undefined),
      }),
    },
  ];
  return { files, diagnostics: [] };
}

/**
 * The Docker executor stops the container about 10 s after the cancel's SIGTERM (gitlab-notes §3), so
 * the whole shutdown is planned to end after 9 s: 2 s for the running step's SIGINT-to-SIGKILL, the rest
 * shared by the always() steps (one such step gets 5 s). A project variable SLUICE_SHUTDOWN_GRACE
 * overrides it (a Kubernetes executor with a longer grace period).
 */
const GITLAB_SHUTDOWN = { graceSeconds: 9, killAfterSeconds: 2, why: 'the Docker executor stops the job about 10 s after a cancel' } as const;

function usageComment(ir: SluiceIR, path: string): string {
  const lines = [`Use: add to .gitlab-ci.yml  include: [{ local: ${path} }]`];
  for (const pipeline of ir.pipelines) {
    for (const trigger of pipeline.triggers) {
      if (trigger.kind !== 'schedule') continue;
      lines.push(`Schedule (Build > Pipeline schedules): pipeline ${pipeline.name}, cron ${trigger.cron}, time zone ${trigger.timezone ?? 'UTC'}, variable ${SCHEDULE_VARIABLE}=${pipeline.name}`);
    }
  }
  return `${lines.map((line) => `${commentLine(line, 'yaml')}\n`).join('')}\n`;
}

function pipelineJob(ir: SluiceIR, pipeline: PipelineIR, rules: Rule[], runner: string, options: GitlabTargetConfig): Record<string, unknown> {
  const runtime = pipeline.runtime;
  const image = runtime.kind === 'python' ? (options.pythonImage ?? `python:${runtime.version}`) : runtime.image;
  const requirements = runtime.kind === 'python' ? runtime.requirements : undefined;
  // The runner's notes live beside dbt's files; the Pages mark at the project root.
  const artifactPaths = [...new Set([posix.join(ir.dbtProjectDir, 'target/'), posix.join(ir.dbtProjectDir, '.sluice/'), '.sluice/'])];
  if (publishesPages(pipeline)) artifactPaths.push('public/');
  const concurrency = pipeline.concurrency.cancelInProgress
    ? // A new commit on the same ref cancels the older pipeline (project setting "Auto-cancel redundant pipelines", gitlab-notes §3).
      { interruptible: true }
    : // One run at a time across the project's pipelines (a semaphore of size 1, gitlab-notes §3).
      { interruptible: false, resource_group: pipeline.concurrency.group ?? `sluice-${pipeline.name}` };
  return {
    stage: options.stage ?? GITLAB_DEFAULTS.stage,
    image,
    ...(options.tags && options.tags.length > 0 ? { tags: [...options.tags] } : {}),
    rules: rules.length > 0 ? rules : [{ when: 'never' }],
    ...concurrency,
    // `default: timeout` has no effect (gitlab-notes §2): set per job. Step timeouts and retries are the runner's.
    timeout: `${pipeline.timeoutMinutes} minutes`,
    retry: 0,
    ...(pipeline.cloud ? { id_tokens: { [OIDC_TOKEN_VARIABLE]: { aud: oidcAudience(pipeline, options) } } } : {}),
    variables: {
      [NOTIFIER_ENV.trigger]: 'GitLab $CI_PIPELINE_SOURCE pipeline $CI_PIPELINE_URL',
      // The notifiers' run link (Slack, Teams, webhook, email): GitLab expands the predefined variable.
      [NOTIFIER_ENV.runUrl]: '$CI_PIPELINE_URL',
      ...(requirements ? { PIP_CACHE_DIR: '$CI_PROJECT_DIR/.cache/pip' } : {}),
    },
    ...(requirements ? { cache: { key: { files: [requirements], prefix: 'sluice-pip' }, paths: ['.cache/pip'] } } : {}),
    script: [`bash ${shellQuote(runner)} ${shellQuote(pipeline.name)}`],
    // dbt's target/ (run results, manifest, logs) and the runner's notes, also after a failure.
    artifacts: { when: 'always', expire_in: options.artifactsExpireIn ?? GITLAB_DEFAULTS.artifactsExpireIn, paths: artifactPaths },
  };
}

/**
 * GitLab Pages deploys the `public/` artifact of a successful job named `pages` (gitlab-notes §6). It
 * runs after the pipeline's job whatever its result (a failed later step must not hide a published
 * site), deploys only if the Pages step succeeded, and otherwise ends with an allowed exit code
 * (gitlab-notes §2, `allow_failure: exit_codes`), so nothing is deployed and the pipeline's status
 * stays the run's. A cancelled run's `pages` job is not started (`always` excludes `canceled`, §1).
 */
function pagesJob(pipeline: PipelineIR, rules: Rule[], options: GitlabTargetConfig): Record<string, unknown> {
  return {
    stage: options.stage ?? GITLAB_DEFAULTS.stage,
    image: 'busybox:1.37',
    ...(options.tags && options.tags.length > 0 ? { tags: [...options.tags] } : {}),
    rules: rules.map((rule) => ({ ...rule, when: 'always' })),
    needs: [{ job: jobName(pipeline), artifacts: true }],
    variables: { GIT_STRATEGY: 'none' },
    timeout: '10 minutes',
    script: [
      `if [ ! -f ${PAGES_MARKER} ]; then echo "sluice: pipeline ${pipeline.name} did not publish its site in this run"; exit ${PAGES_NOT_PUBLISHED_EXIT}; fi`,
    ],
    allow_failure: { exit_codes: [PAGES_NOT_PUBLISHED_EXIT] },
    artifacts: { paths: ['public/'] },
  };
}

/** The Pages step, inside the runner: stage the site as `public/` for the `pages` job. */
function pagesStepLines(command: Extract<EngineOwnCommand, { kind: 'publish' }>): string[] {
  // `:?` stops the step if the variable is missing (a local run), rather than writing to /public.
  const site = '"${CI_PROJECT_DIR:?}/public"';
  const publishAs = command.destination.publishAs;
  const destination = publishAs ? `${site}/${shellQuote(publishAs)}` : command.isDirectory ? site : `${site}/${shellQuote(posix.basename(command.path))}`;
  return [
    `rm -rf -- ${site} && mkdir -p -- ${site} "\${CI_PROJECT_DIR:?}/.sluice"`,
    command.isDirectory ? `mkdir -p -- ${destination} && cp -R -- ${shellQuote(`${command.path}/.`)} ${destination}` : `cp -- ${shellQuote(command.path)} ${destination}`,
    `sluice_exec touch -- "\${CI_PROJECT_DIR:?}/${PAGES_MARKER}"`,
  ];
}

/**
 * Once per run, after inputs and secrets are checked and before the first step: Python packages (pip
 * cache in the project dir, kept by `cache:`), `dbt deps`, then short-lived cloud credentials from the
 * job's ID token (gitlab-notes §5). A failure fails the run without ending it (runner.sh.hbs,
 * sluice_setup_failed): later set-up lines are skipped, then the steps whose condition holds run
 * (failure() and always() ones: the notifier tells the team), and the job exits 1.
 */
function setupLines(ir: SluiceIR, pipeline: PipelineIR): string[] {
  const lines: string[] = [];
  // Each fallible line: `sluice_prepared && { <set-up> || sluice_setup_failed '<what>'; }`.
  const fallible = (command: string, what: string): string => `sluice_prepared && { ${command} || sluice_setup_failed ${shellQuote(what)}; }`;
  const runtime = pipeline.runtime;
  if (runtime.kind === 'python' && runtime.requirements) {
    lines.push(fallible(`python -m pip install -r ${shellQuote(runtime.requirements)}`, 'pip install failed'));
  }
  if (runtime.dbtDeps) lines.push(fallible(`( cd -- ${shellQuote(ir.dbtProjectDir)} && dbt deps )`, 'dbt deps failed'));
  const cloud = pipeline.cloud;
  if (cloud?.kind === 'aws') {
    lines.push(
      `export AWS_REGION=${shellQuote(cloud.region)} AWS_DEFAULT_REGION=${shellQuote(cloud.region)}`,
      "sluice_aws=''",
      fallible(
        `sluice_aws=$(aws sts assume-role-with-web-identity --role-arn ${shellQuote(cloud.roleToAssume)} --role-session-name "gitlab-\${CI_PIPELINE_ID:-run}" --web-identity-token "\${${OIDC_TOKEN_VARIABLE}:-}" --duration-seconds 3600 --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)`,
        'AWS role assumption with the GitLab ID token failed',
      ),
      'read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN <<<"$sluice_aws"',
      'export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN',
    );
  } else if (cloud?.kind === 'gcp') {
    lines.push(
      'sluice_gcp_dir=$(mktemp -d)',
      `printf '%s' "\${${OIDC_TOKEN_VARIABLE}:-}" > "$sluice_gcp_dir/token"`,
      fallible(
        `gcloud iam workload-identity-pools create-cred-config ${shellQuote(cloud.workloadIdentityProvider)} --service-account=${shellQuote(cloud.serviceAccount)} --credential-source-file="$sluice_gcp_dir/token" --output-file="$sluice_gcp_dir/credentials.json"`,
        'Google credential configuration failed',
      ),
      'export GOOGLE_APPLICATION_CREDENTIALS="$sluice_gcp_dir/credentials.json" CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE="$sluice_gcp_dir/credentials.json"',
    );
  }
  if (lines.length === 0) return [];
  // A dry run shows the steps without installing or logging in anywhere.
  return ['if [ "$SLUICE_DRY_RUN" = 0 ]; then', ...lines.map((line) => `  ${line}`), 'fi'];
}

function oidcAudience(pipeline: PipelineIR, options: GitlabTargetConfig): string {
  // GCP's audience is the provider's resource URL (gitlab-notes §5); AWS's is the instance URL.
  return pipeline.cloud?.kind === 'gcp' ? `https://iam.googleapis.com/${pipeline.cloud.workloadIdentityProvider}` : (options.oidcAudience ?? GITLAB_DEFAULTS.oidcAudience);
}

/** Collapsible log sections per step (gitlab-notes §6: `\e[0Ksection_start:<ts>:<name>\r\e[0K<header>`). */
const SECTION_FUNCTIONS = [
  '# GitLab collapsible log sections, one per step (names: letters, digits, _ . - only).',
  'sluice_section_start() {',
  "  printf '\\033[0Ksection_start:%s:sluice_step_%s\\r\\033[0K[sluice] step %s\\n' \"$(date +%s)\" \"$1\" \"$1\"",
  '}',
  '',
  'sluice_section_end() {',
  "  printf '\\033[0Ksection_end:%s:sluice_step_%s\\r\\033[0K\\n' \"$(date +%s)\" \"$1\"",
  '}',
];

function publishesPages(pipeline: PipelineIR): boolean {
  return pipeline.steps.some((step) => step.command.kind === 'publish' && step.command.destination.kind === 'pages');
}

/** The manual-run form: one prefilled variable per input name (gitlab-notes §4, variables:description/options). */
function formVariables(ir: SluiceIR, diagnostics: Diagnostic[]): Record<string, unknown> {
  const byName = new Map<string, { pipeline: PipelineIR; input: InputIR }[]>();
  for (const pipeline of ir.pipelines) for (const input of pipeline.inputs) byName.set(input.name, [...(byName.get(input.name) ?? []), { pipeline, input }]);
  const variables: Record<string, unknown> = {};
  for (const [name, uses] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    const first = uses[0]!.input;
    const clash = uses.find(({ input }) => input.type !== first.type || String(input.default) !== String(first.default) || String(input.options) !== String(first.options));
    if (clash) {
      diagnostics.push(refusal(clash.pipeline, undefined, `Input '${name}' differs between pipelines ${uses[0]!.pipeline.name} and ${clash.pipeline.name}; GitLab's run form has one variable per name.`, `Give the inputs the same type, default and options, or different names, for pipelines that run on gitlab.`));
      continue;
    }
    const description = uses.map(({ pipeline, input }) => `${pipeline.name}: ${input.description ?? input.name}${input.required ? ' (required)' : ''}`).join('; ');
    const value = first.default === undefined ? '' : String(first.default);
    const options = first.type === 'choice' && first.options && first.options.includes(value) ? [...first.options] : first.type === 'boolean' ? ['false', 'true'] : undefined;
    // expand: false: a `$` in a value is text, never another variable's value.
    variables[inputEnvName(name)] = { value, ...(options && options.includes(value) ? { options } : {}), description, expand: false };
  }
  return variables;
}

function refusals(ir: SluiceIR): Diagnostic[] {
  const found: Diagnostic[] = [];
  let pagesPipeline: string | undefined;
  for (const pipeline of ir.pipelines) {
    if (!isPlainName(pipeline.name)) found.push(refusal(pipeline, undefined, `Pipeline name '${pipeline.name}' cannot be a GitLab rule literal.`, 'Use letters, digits, - and _.'));
    for (const problem of pipelineRules(pipeline).problems) found.push(refusal(pipeline, undefined, `A trigger's ${problem}.`, 'Use branch names or globs of printable ASCII characters.'));
    const runtime = pipeline.runtime;
    if (runtime.kind === 'image' && runtime.credentials?.kind === 'github-token') {
      found.push(refusal(pipeline, undefined, 'The runtime image is pulled with the GitHub token, which GitLab does not have.', "Give the image's registry credentials as the CI/CD variable DOCKER_AUTH_CONFIG and drop `credentials: 'github-token'` for pipelines that run on gitlab."));
    }
    if (runtime.kind === 'image' && /[$\s]/.test(runtime.image)) found.push(refusal(pipeline, undefined, `The image '${runtime.image}' contains '$' or a space, which GitLab would expand.`, 'Name the image literally.'));
    if (pipeline.concurrency.group !== undefined && !/^[A-Za-z0-9_.\-/ ]+$/.test(pipeline.concurrency.group)) {
      found.push(refusal(pipeline, undefined, `Concurrency group '${pipeline.concurrency.group}' cannot be a GitLab resource group name.`, 'Use letters, digits, spaces and _ . - /.'));
    }
    for (const step of pipeline.steps) {
      const command = step.command;
      if (!isEngineOwnCommand(command)) continue;
      if (command.kind !== 'publish') {
        found.push(refusal(pipeline, step, `Step '${step.id}' keeps dbt state as a GitHub artifact, which exists only on GitHub Actions.`, "Use state.s3('s3://...') or state.gcs('gs://...') for pipelines that also run on gitlab."));
      }
      if (command.kind === 'publish') {
        if (pagesPipeline !== undefined) {
          found.push(refusal(pipeline, step, `Step '${step.id}' publishes to Pages, but pipeline ${pagesPipeline} already does: a GitLab project has one Pages site (one job named \`pages\`).`, 'Publish one of them with upload.s3({ from: docs.site, to }) or upload.gcs(...).'));
        }
        pagesPipeline ??= pipeline.name;
      }
    }
  }
  return found;
}

function refusal(pipeline: PipelineIR, step: StepIR | undefined, message: string, hint: string): Diagnostic {
  const location = step?.source ?? pipeline.source;
  return {
    code: DIAGNOSTIC_CODES.TARGET_UNSUPPORTED,
    message,
    hint,
    path: [`pipeline ${pipeline.name}`, ...(step ? [`step ${step.id}`] : []), 'target gitlab'],
    ...(location ? { location } : {}),
  };
}
