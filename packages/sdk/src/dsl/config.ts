import { BRAND } from './brand.js';


/** Settings of the GitHub Actions target. */
export interface GithubTargetConfig {
  /** Where workflows are written, relative to the project root. @default '.github/workflows' */
  dir?: string;
  /** `runs-on` label. @default 'ubuntu-24.04' */
  runsOn?: string;
  /**
   * Emit GitHub's `timezone` key for schedules with a time zone. GitHub supports it; actionlint
   * 1.7.7 does not know it yet, so it is opt-in. Without it, a non-UTC schedule is a compile error.
   * @default false
   */
  scheduleTimezones?: boolean;
  /**
   * The way out for settings Sluice does not model yet: receives each generated workflow (plain
   * data) and returns the one to write. The result is still checked: no `${{ }}` inside `run:`,
   * every action pinned to a full commit SHA.
   */
  override?: (workflow: Record<string, unknown>, context: { pipeline: string }) => Record<string, unknown>;
}

/** Settings of the container entrypoint target. */
export interface EntrypointTargetConfig {
  /** Where the script is written, relative to the project root. @default 'docker/entrypoint.sh' */
  path?: string;
}

/** Settings of the Argo Workflows target. Everything cluster-specific lives here, not in pipeline.ts. */
export interface ArgoTargetConfig {
  /** Where manifests are written, one file per pipeline. @default 'argo' */
  dir?: string;
  /** The image every step runs in: dbt, its adapter, bash and python3. Pin a tag or a digest. */
  image?: string;
  /** @default 'IfNotPresent' */
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  imagePullSecrets?: readonly string[];
  /** metadata.namespace of every object. @default none (the namespace you apply into) */
  namespace?: string;
  /** The pods' service account; never `default`. @default 'sluice-runner' */
  serviceAccountName?: string;
  /** The service account of Argo's executor (pods themselves get no token). @default serviceAccountName */
  executorServiceAccountName?: string;
  /** Where the dbt project comes from: baked into the image at a path, or a git checkout. @default { image: '/app' } */
  source?: { image: string } | { git: { repo: string; revision?: string } };
  /** The volume that carries files between steps (target/, the docs site). */
  workspace?: { size?: string; storageClassName?: string };
  /** Non-zero UID the steps run as. @default 1000 */
  runAsUser?: number;
  /** @default requests cpu 500m, memory 1Gi; limits memory 2Gi */
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  /** The Kubernetes Secret holding each Sluice secret, under the secret's name as key. @default 'sluice-secrets' */
  secretName?: string;
  /** Per-secret overrides: `{ SNOWFLAKE_PASSWORD: { name: 'warehouse', key: 'password' } }`. */
  secrets?: Record<string, { name: string; key: string }>;
  /** Argo UI base URL, for links in notifications. */
  uiUrl?: string;
  /**
   * Pull-request and push triggers need Argo Events. 'refuse' (default) makes them a compile error;
   * 'ignore' emits the pipeline without them (submit it yourself or from your own Sensor).
   */
  eventTriggers?: 'refuse' | 'ignore';
  /**
   * The way out for settings Sluice does not model yet: receives a copy of each generated object
   * (WorkflowTemplate, CronWorkflow) and returns the one to write, as plain data. The result is
   * checked again: same kind and name, the restricted Pod Security Standard for every container,
   * no service account token, secrets only via secretKeyRef, no new `{{...}}` reading parameters,
   * and Argo's schema.
   */
  override?: (object: Record<string, unknown>, context: { pipeline: string; kind: string }) => Record<string, unknown>;
}

/** Settings of the GitLab CI/CD target (docs: README, "GitLab CI/CD"). */
export interface GitlabTargetConfig {
  /** Sluice's own CI file, included from `.gitlab-ci.yml` with one `include: local` line. @default '.gitlab/sluice.yml' */
  path?: string;
  /** The image the job runs in when the pipeline uses `runtime.python(...)`. @default 'python:<version>' */
  pythonImage?: string;
  /** The stage of Sluice's jobs: must be one of your `stages:` if `.gitlab-ci.yml` declares them. @default 'test' */
  stage?: string;
  /** Runner tags for Sluice's jobs. @default none */
  tags?: readonly string[];
  /** How long dbt's `target/` is kept as a job artifact (GitLab duration). @default '30 days' */
  artifactsExpireIn?: string;
  /** The ID token's audience for AWS: your GitLab instance URL, as registered in IAM. @default 'https://gitlab.com' */
  oidcAudience?: string;
}

/**
 * Each target's settings by target name: the registry in @sluice/targets must have exactly these
 * names (a type error there otherwise), and config names, `--target` choices and docs derive from it.
 */
export interface TargetOptionsByName {
  github: GithubTargetConfig;
  argo: ArgoTargetConfig;
  entrypoint: EntrypointTargetConfig;
  gitlab: GitlabTargetConfig;
}

export type TargetName = keyof TargetOptionsByName;

export interface SluiceConfig {
  /** The pipeline file, relative to this config file. @default 'pipeline.ts' */
  entry?: string;
  /** The engine(s) `sluice compile` emits for (`--target` picks one). @default 'github' */
  target?: TargetName | readonly TargetName[];
  /** The dbt project directory (holding dbt_project.yml), relative to this config file. @default '.' */
  dbtProjectDir?: string;
  /**
   * The dbt version the pipelines run (`'1.8'`, `'1.10.2'`): flags and commands newer than it are
   * compile errors, or become their older equivalent. @default the pin of dbt-core in
   * requirements.txt / pyproject.toml, else the runtime image's tag, else unknown (no check)
   */
  dbtVersion?: string;
  /** Also write a Markdown page with a Mermaid diagram per pipeline (GitHub renders it). @default none */
  pipelinesMarkdown?: string;
  /**
   * Seconds pipeline.ts may take to evaluate (the module and every pipeline's `steps`) before the
   * compile stops with SLUICE_E_EVALUATION_TIMEOUT. The config itself gets SLUICE_EVALUATION_TIMEOUT
   * (environment) or 10. @default 10
   */
  evaluationTimeoutSeconds?: number;
  /** Per-target settings. */
  targets?: { [Name in TargetName]?: TargetOptionsByName[Name] };
}

export interface LoadedConfig extends SluiceConfig {
  readonly [BRAND]: 'config';
}

/** Declares the project's Sluice settings in sluice.config.ts; gives autocomplete and type errors. */
export function defineConfig(config: SluiceConfig): LoadedConfig {
  return { ...config, [BRAND]: 'config' };
}
