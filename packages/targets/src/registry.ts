/**
 * The one list of targets. Everything that names targets derives from it: the config's `target`
 * names and per-target settings schema (compiler/config-schema.ts), `--target` choices, the
 * output-path checks, header owners and the README's target table (test/targets-registry.test.ts).
 *
 * Each entry is typed by its options (`TargetOptionsByName`, generated into the SDK from this registry and
 * each `<name>/config-types.ts` by `npm run generate`): the `satisfies`
 * below fails to compile if a name is missing, extra, or loads an emitter of other options, so no
 * cast erases them. Emitters are loaded on demand (a GitHub compile never loads handlebars or Argo's
 * schema); this module itself only pulls in the small zod options schemas.
 */
import type { TargetName, TargetOptionsByName } from '@sluice/sdk/ir';
import type { z } from 'zod';
import { ARGO_DEFAULTS, argoOptionsSchema } from './argo/options.js';
import { ENTRYPOINT_DEFAULTS, entrypointOptionsSchema } from './entrypoint/options.js';
import { GITHUB_DEFAULTS, githubOptionsSchema } from './github/options.js';
import { GITLAB_DEFAULTS, gitlabOptionsSchema } from './gitlab/options.js';
import type { Target } from './types.js';

/** Something the engine cannot express: refused at compile time with this way out. */
export interface Refusal {
  feature: string;
  wayOut: string;
}

/** The rows of the README's target table, one cell per target. */
export const TARGET_TABLE_ROWS = [
  'pipeline',
  'schedule',
  'manual + inputs',
  'input values in steps',
  'pull request / push',
  'step',
  '`always()` steps',
  'retries / timeout',
  'secrets',
  'files between steps',
  'concurrency',
] as const;
export type TargetTableRow = (typeof TARGET_TABLE_ROWS)[number];

export interface TargetEntry<Options> {
  /** The engine's name for people: `GitHub Actions`. */
  readonly engine: string;
  /** Settings (dotted paths under `targets.<name>`) that name a file or directory Sluice writes. */
  readonly outputSettings: readonly string[];
  /** The settings' run-time schema (the config is written by a person: a wrong type is a coded error). */
  readonly optionsSchema: z.ZodType;
  /** The documented defaults; settings given in the config win (shallow). */
  readonly defaults: Options;
  readonly refuses: readonly Refusal[];
  /** How each concept maps to the engine (README table). */
  readonly table: Readonly<Record<TargetTableRow, string>>;
  load(): Promise<Target<Options>>;
}

type Registry = { readonly [Name in TargetName]: TargetEntry<TargetOptionsByName[Name]> };

export const TARGET_REGISTRY = {
  github: {
    engine: 'GitHub Actions',
    outputSettings: ['dir'],
    optionsSchema: githubOptionsSchema,
    defaults: GITHUB_DEFAULTS,
    refuses: [
      { feature: 'a schedule with a time zone', wayOut: '`targets.github.scheduleTimezones: true` (GitHub accepts `timezone`; actionlint does not know it yet)' },
      { feature: 'images from Amazon ECR', wayOut: '`runtime.python(...)`, or push the image to ghcr.io as well' },
    ],
    table: {
      pipeline: '`.github/workflows/<name>.yml`, one job',
      schedule: '`on.schedule` (UTC; see below)',
      'manual + inputs': '`workflow_dispatch` typed inputs',
      'input values in steps': 'as submitted on `workflow_dispatch`; the default on every other event',
      'pull request / push': '`pull_request` / `push`',
      step: 'a workflow step with an explicit `if:`',
      '`always()` steps': '`if: always()`',
      'retries / timeout': 'bash retry loop / `timeout-minutes`',
      secrets: '`${{ secrets.X }}` in the step\'s `env:`',
      'files between steps': 'one job, one workspace',
      concurrency: '`concurrency` group',
    },
    load: async () => (await import('./github/index.js')).githubTarget,
  },
  argo: {
    engine: 'Argo Workflows',
    outputSettings: ['dir'],
    optionsSchema: argoOptionsSchema,
    defaults: { dir: ARGO_DEFAULTS.dir, serviceAccountName: ARGO_DEFAULTS.serviceAccountName, secretName: ARGO_DEFAULTS.secretName, imagePullPolicy: ARGO_DEFAULTS.imagePullPolicy, source: ARGO_DEFAULTS.source, runAsUser: ARGO_DEFAULTS.runAsUser },
    refuses: [
      { feature: 'pull-request and push triggers (they need Argo Events)', wayOut: "`targets.argo.eventTriggers: 'ignore'` to drop them on purpose" },
      { feature: '`always()` mixed with status checks, or steps that need an `always()` step', wayOut: 'a plain `when.always()` step at the end' },
      { feature: 'GitHub artifacts and Pages', wayOut: 'state.s3/state.gcs and upload.s3/upload.gcs' },
    ],
    table: {
      pipeline: '`argo/<name>.yaml`: a `WorkflowTemplate`',
      schedule: 'a `CronWorkflow` per schedule, with its time zone',
      'manual + inputs': '`spec.arguments.parameters`',
      'input values in steps': 'through pod annotations and the downward API (never `$(VAR)`-expanded); optional inputs default to `\'\'`',
      'pull request / push': "refused, or dropped on purpose (`eventTriggers: 'ignore'`)",
      step: 'a DAG task with an explicit `depends`',
      '`always()` steps': 'the `onExit` handler (runs after `argo stop`)',
      'retries / timeout': '`retryStrategy` with backoff / `activeDeadlineSeconds`',
      secrets: '`secretKeyRef` (mapping in the config)',
      'files between steps': 'a per-run volume (`volumeClaimTemplates`)',
      concurrency: '`synchronization.mutexes`; CronWorkflow `Forbid`/`Replace`',
    },
    load: async () => (await import('./argo/index.js')).argoTarget,
  },
  entrypoint: {
    engine: 'container entrypoint',
    outputSettings: ['path'],
    optionsSchema: entrypointOptionsSchema,
    defaults: ENTRYPOINT_DEFAULTS,
    refuses: [{ feature: 'GitHub artifacts and Pages', wayOut: 'state.s3/state.gcs and upload.s3/upload.gcs' }],
    table: {
      pipeline: 'one `docker/entrypoint.sh` for all pipelines',
      schedule: 'run by your scheduler',
      'manual + inputs': '`--input name=value` or `SLUICE_INPUT_<name>`',
      'input values in steps': "as given, else the default, else `''`",
      'pull request / push': 'not applicable',
      step: 'a function run as a background job',
      '`always()` steps': 'run after SIGTERM/SIGINT, bounded',
      'retries / timeout': 'loop / `timeout`',
      secrets: 'the environment, checked before any step',
      'files between steps': 'one filesystem',
      concurrency: 'one run per container',
    },
    load: async () => (await import('./entrypoint/index.js')).entrypointTarget,
  },
  gitlab: {
    engine: 'GitLab CI/CD',
    outputSettings: ['path'],
    optionsSchema: gitlabOptionsSchema,
    defaults: { path: GITLAB_DEFAULTS.path, stage: GITLAB_DEFAULTS.stage, artifactsExpireIn: GITLAB_DEFAULTS.artifactsExpireIn },
    refuses: [
      { feature: 'GitHub artifacts', wayOut: 'state.s3/state.gcs' },
      { feature: 'a second pipeline publishing to Pages (one site per project)', wayOut: 'upload.s3/upload.gcs for the other' },
      { feature: "`credentials: 'github-token'` for the runtime image", wayOut: 'the CI/CD variable DOCKER_AUTH_CONFIG' },
      { feature: 'one input name with different types, defaults or options in two pipelines (one run form)', wayOut: 'the same definition, or different names' },
    ],
    table: {
      pipeline: 'one job `sluice-<name>` in `.gitlab/sluice.yml` (you add one `include: local` line), running `.gitlab/sluice/run.sh`',
      schedule: 'a pipeline schedule you create (UI/API) with the variable `SLUICE_SCHEDULE=<name>`',
      'manual + inputs': 'Run pipeline form: `SLUICE_PIPELINE` and prefilled `SLUICE_INPUT_<name>` variables',
      'input values in steps': 'as entered in the form; the default on every other event; checked by type in the job',
      'pull request / push': '`rules` on `$CI_PIPELINE_SOURCE` (`merge_request_event` / `push`), paths as `changes`',
      step: "a function of the job's runner, with a collapsible log section",
      '`always()` steps': 'run inside the job after cancel (SIGTERM), bounded',
      'retries / timeout': "the runner's loop / the job's `timeout` and the step's",
      secrets: 'masked CI/CD variables, checked before any step',
      'files between steps': 'one job, one workspace; dbt `target/` as an artifact',
      concurrency: '`resource_group`, or `interruptible` for cancel-in-progress',
    },
    load: async () => (await import('./gitlab/index.js')).gitlabTarget,
  },
} as const satisfies Registry;

/** Target names in the registry's order (the order of the README table and of messages). */
export const TARGET_NAMES = Object.keys(TARGET_REGISTRY) as TargetName[];

export function isTargetName(name: string): name is TargetName {
  return Object.hasOwn(TARGET_REGISTRY, name);
}

/** The target's emitter and its settings (defaults, then the config's), typed by the same name. */
export async function loadTarget<Name extends TargetName>(name: Name, given: TargetOptionsByName[Name] | undefined): Promise<{ target: Target<TargetOptionsByName[Name]>; options: TargetOptionsByName[Name] }> {
  const entry: TargetEntry<TargetOptionsByName[Name]> = (TARGET_REGISTRY as Registry)[name];
  return { target: await entry.load(), options: { ...entry.defaults, ...given } };
}

/** The README's target table, rendered from the registry (the README must hold exactly this text). */
export function targetTableMarkdown(): string {
  const names = TARGET_NAMES;
  const lines = [
    `| concept | ${names.map((name) => `${TARGET_REGISTRY[name].engine} (\`${name}\`)`).join(' | ')} |`,
    `| --- |${names.map(() => ' --- |').join('')}`,
    ...TARGET_TABLE_ROWS.map((row) => `| ${row} | ${names.map((name) => TARGET_REGISTRY[name].table[row]).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}
