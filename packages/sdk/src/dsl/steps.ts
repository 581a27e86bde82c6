import type { SourceLocation } from '../ir.js';
import { callSite } from '../location.js';
import { BRAND, hasBrand } from './brand.js';
import type { Condition } from './conditions.js';
import { NodeSelector } from './selectors.js';
import type { NotifyDslCommand } from './notify.js';
import type { EnvValue, InputRef } from './values.js';

/** Options every step accepts. */
export interface StepOptions {
  /** Steps that must finish before this one. Data references (`docs.site`) add needs by themselves. */
  needs?: Step | readonly Step[];
  /** When the step runs. @default when.success() */
  if?: Condition;
  /** Extra attempts after a failure. @default 0 */
  retries?: number;
  /** Fail the step when it runs longer than this. @default no step limit (the pipeline's applies) */
  timeoutMinutes?: number;
  /** A failure of this step does not fail the run (its status is still `failed`). @default false */
  allowFailure?: boolean;
  /** Environment for this step only, added to the pipeline's. */
  env?: Record<string, EnvValue>;
}

/** A file or directory a step leaves behind, for a later step to use (`docs.site`). */
export interface Artifact {
  readonly [BRAND]: 'artifact';
  readonly step: Step;
  readonly name: string;
  /** Relative to the dbt project directory. */
  readonly path: string;
  readonly isDirectory: boolean;
  /** File name to publish a single-file artifact under. */
  readonly publishAs?: string;
}

export const isArtifact = (value: unknown): value is Artifact => hasBrand(value, 'artifact');

/** One element of a step's command line, before lowering. */
export type DslArg =
  | string
  | InputRef
  | { readonly kind: 'option'; readonly flag: string; readonly ref: InputRef; readonly validate?: 'selector' }
  | { readonly kind: 'switch'; readonly flag: string; readonly ref: InputRef<'boolean'> }
  | { readonly kind: 'whenFile'; readonly path: string; readonly then: readonly DslArg[]; readonly otherwise: readonly DslArg[]; readonly notice: string };

export type DslCommand =
  | { readonly kind: 'argv'; readonly argv: readonly DslArg[] }
  | { readonly kind: 'script'; readonly script: string }
  | NotifyDslCommand
  | { readonly kind: 'github-artifact-save'; readonly name: string; readonly paths: readonly string[] }
  | { readonly kind: 'github-artifact-load'; readonly name: string; readonly workflow: string; readonly branch: string; readonly dir: string }
  | { readonly kind: 'github-pages'; readonly path: string; readonly isDirectory: boolean; readonly publishAs?: string };

/** A step of a pipeline. Its id is the key it is returned under from `steps`. */
export class Step {
  readonly [BRAND] = 'step' as const;
  readonly produces: Artifact[] = [];

  constructor(
    /** For people: `dbt build`, `upload s3`. */
    readonly label: string,
    readonly command: DslCommand,
    readonly options: StepOptions,
    readonly location: SourceLocation | undefined,
    /** Artifacts this step reads; their producers become implicit needs. */
    readonly consumes: readonly Artifact[] = [],
  ) {}

  /** Declares an artifact this step produces. */
  protected output(name: string, path: string, isDirectory: boolean, publishAs?: string): Artifact {
    const artifact: Artifact = { [BRAND]: 'artifact', step: this, name, path, isDirectory, ...(publishAs ? { publishAs } : {}) };
    this.produces.push(artifact);
    return artifact;
  }
}

export const isStep = (value: unknown): value is Step => hasBrand(value, 'step');

type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A dbt selection: one selector, several (a union), or a pipeline input. */
export type Selection = string | NodeSelector | readonly (string | NodeSelector)[] | InputRef<'string' | 'choice'>;

/** Flags every dbt command accepts. */
export interface DbtCommonOptions extends StepOptions {
  /** `--target`: the profiles.yml target, e.g. `prod`. */
  target?: string;
  /** `--vars`: an object (serialised as JSON) or a string input holding YAML/JSON. */
  vars?: Record<string, JsonValue> | InputRef<'string'>;
  /** `--threads`. */
  threads?: number;
  /** `--profiles-dir`. @default dbt's own (the project dir, then ~/.dbt) */
  profilesDir?: string;
  /** `--project-dir`. @default the dbt project directory from the config */
  projectDir?: string;
}

/** Flags of the dbt commands that select nodes. */
export interface DbtSelectOptions extends DbtCommonOptions {
  /** `--select`, e.g. `'state:modified+'` or `['tag:daily', 'orders+']`. */
  select?: Selection;
  /** `--exclude`, e.g. `['tag:deprecated']`. */
  exclude?: Selection;
  /** `--selector`: a YAML selector from selectors.yml. */
  selector?: string;
  /** `--fail-fast`. @default false */
  failFast?: boolean;
  /** `--defer`: resolve unselected refs from the `state` manifest. Requires `state`. @default false */
  defer?: boolean;
  /**
   * `--state`: the comparison manifest. A directory (never `target/`), or a state store's `load()`
   * step: then the step waits for it, and when no production manifest exists yet (the first run) it
   * builds everything instead, and says so in its log and in the notification.
   */
  state?: string | StateLoad;
  /** `--event-time-start` (microbatch models, dbt >= 1.9), e.g. an input from the backfill form. */
  eventTimeStart?: string | InputRef<'string'>;
  /** `--event-time-end` (microbatch models, dbt >= 1.9). */
  eventTimeEnd?: string | InputRef<'string'>;
}

export interface DbtBuildOptions extends DbtSelectOptions {
  /** `--full-refresh`: rebuild incremental models from scratch. Accepts a boolean input. @default false */
  fullRefresh?: boolean | InputRef<'boolean'>;
}

export interface DbtDocsOptions extends DbtCommonOptions {
  /** `--static`: one self-contained `static_index.html` (dbt >= 1.7). @default true */
  static?: boolean;
}

export interface DbtRetryOptions extends Pick<DbtCommonOptions, keyof StepOptions | 'vars' | 'threads' | 'target' | 'profilesDir' | 'projectDir'> {
  /**
   * The dbt version the project pins. Before 1.6 there is no `dbt retry`: the step runs
   * `dbt build --select result:error+ result:fail+ --state <state>` instead. @default a dbt with retry
   */
  dbtVersion?: string;
  /** Where the previous run's run_results.json is (required before dbt 1.6). */
  state?: string | StateLoad;
}

/** A dbt step that leaves `target/` behind. */
export class DbtStep extends Step {
  /** The `target/` directory: manifest.json, run_results.json, compiled SQL. */
  readonly targetDir: Artifact;
  constructor(label: string, argv: DslArg[], options: StepOptions, location: SourceLocation | undefined, consumes: readonly Artifact[] = []) {
    super(label, { kind: 'argv', argv }, options, location, consumes);
    this.targetDir = this.output('target', 'target', true);
  }
}

/** `dbt docs generate`: its `site` is what to publish. */
export class DocsStep extends DbtStep {
  /** The documentation site: `target/static_index.html` (published as `index.html`), or `target/`. */
  readonly site: Artifact;
  constructor(argv: DslArg[], options: DbtDocsOptions, location: SourceLocation | undefined) {
    super('dbt docs generate', argv, options, location);
    this.site = options.static === false ? this.targetDir : this.output('site', 'target/static_index.html', false, 'index.html');
  }
}

function selection(flag: string, value: Selection | undefined, dropStateSelectors = false): DslArg[] {
  if (value === undefined) return [];
  if (isInputRefLike(value)) return [{ kind: 'option', flag, ref: value, validate: 'selector' }];
  const items = typeof value === 'string' || value instanceof NodeSelector ? [value] : (value as readonly (string | NodeSelector)[]);
  const list = items.map(String).filter((selector) => !dropStateSelectors || !selector.includes('state:'));
  return list.length === 0 ? [] : [flag, ...list];
}

/** A string flag that may also come from an input. */
function valueFlag(flag: string, value: string | InputRef | undefined): DslArg[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [flag, value] : [{ kind: 'option', flag, ref: value }];
}

function isInputRefLike(value: unknown): value is InputRef {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === 'input-ref';
}

function commonFlags(options: DbtCommonOptions): DslArg[] {
  const argv: DslArg[] = [];
  if (options.target !== undefined) argv.push('--target', options.target);
  if (options.vars !== undefined) argv.push(...(isInputRefLike(options.vars) ? valueFlag('--vars', options.vars) : ['--vars', JSON.stringify(options.vars)]));
  if (options.threads !== undefined) argv.push('--threads', String(options.threads));
  if (options.profilesDir !== undefined) argv.push('--profiles-dir', options.profilesDir);
  if (options.projectDir !== undefined) argv.push('--project-dir', options.projectDir);
  return argv;
}

function selectFlags(options: DbtBuildOptions): DslArg[] {
  const stateful = (dropState: boolean): DslArg[] => {
    const argv: DslArg[] = [...selection('--select', options.select, dropState), ...selection('--exclude', options.exclude, dropState)];
    if (dropState) return argv;
    if (options.defer === true) argv.push('--defer');
    if (options.state !== undefined) argv.push('--state', stateDir(options.state));
    return argv;
  };
  const argv: DslArg[] =
    isStateLoad(options.state)
      ? [{ kind: 'whenFile', path: `${options.state.dir}/manifest.json`, then: stateful(false), otherwise: stateful(true), notice: `no production manifest in ${options.state.store.url} yet: running a full build instead of a slim one` }]
      : stateful(false);
  if (options.selector !== undefined) argv.push('--selector', options.selector);
  if (options.fullRefresh === true) argv.push('--full-refresh');
  else if (isInputRefLike(options.fullRefresh)) argv.push({ kind: 'switch', flag: '--full-refresh', ref: options.fullRefresh as InputRef<'boolean'> });
  if (options.failFast === true) argv.push('--fail-fast');
  argv.push(...valueFlag('--event-time-start', options.eventTimeStart), ...valueFlag('--event-time-end', options.eventTimeEnd));
  return [...argv, ...commonFlags(options)];
}

function stateDir(state: string | StateLoad): string {
  return typeof state === 'string' ? state : state.dir;
}

/** What a state store's `load()` step offers its readers (see state.ts); recognised by shape, not class. */
export interface StateLoad extends Step {
  readonly dir: string;
  readonly loaded: Artifact;
  readonly store: { readonly url: string };
}

export function isStateLoad(value: unknown): value is StateLoad {
  return isStep(value) && isArtifact((value as Partial<StateLoad>).loaded) && typeof (value as Partial<StateLoad>).dir === 'string';
}

/** A state store's `load()` step, as an artifact its readers consume (so they wait for it). */
function stateArtifacts(...values: unknown[]): Artifact[] {
  return values.filter(isStateLoad).map((load) => load.loaded);
}

function dbtStep(command: readonly string[], options: DbtBuildOptions, caller: Function): DbtStep {
  return new DbtStep(`dbt ${command.join(' ')}`, ['dbt', ...command, ...selectFlags(options)], options, callSite(caller), stateArtifacts(options.state));
}

/** dbt before 1.6 has no `dbt retry`. */
function hasRetry(version: string | undefined): boolean {
  if (version === undefined) return true;
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 6);
}

function retryStep(options: DbtRetryOptions, caller: Function): DbtStep {
  if (hasRetry(options.dbtVersion)) {
    return new DbtStep('dbt retry', ['dbt', 'retry', ...commonFlags(options)], options, callSite(caller), stateArtifacts(options.state));
  }
  const argv: DslArg[] = ['dbt', 'build', '--select', 'result:error+', 'result:fail+', '--state', options.state === undefined ? 'target' : stateDir(options.state), ...commonFlags(options)];
  return new DbtStep('dbt build (retry of failures)', argv, options, callSite(caller), stateArtifacts(options.state));
}

/** dbt commands as typed steps. Flags are options, never free text. */
export const dbt = {
  /** `dbt build`: run, test, seed and snapshot the selection in DAG order. */
  build: (options: DbtBuildOptions = {}): DbtStep => dbtStep(['build'], options, dbt.build),
  /** `dbt run`: build models. */
  run: (options: DbtBuildOptions = {}): DbtStep => dbtStep(['run'], options, dbt.run),
  /** `dbt test`: run data tests. */
  test: (options: DbtSelectOptions = {}): DbtStep => dbtStep(['test'], options, dbt.test),
  /** `dbt seed`: load CSV seeds. */
  seed: (options: DbtBuildOptions = {}): DbtStep => dbtStep(['seed'], options, dbt.seed),
  /** `dbt snapshot`. */
  snapshot: (options: DbtSelectOptions = {}): DbtStep => dbtStep(['snapshot'], options, dbt.snapshot),
  /** `dbt source freshness`. */
  sourceFreshness: (options: DbtSelectOptions = {}): DbtStep => dbtStep(['source', 'freshness'], options, dbt.sourceFreshness),
  /** `dbt deps`: install packages.yml (the runtime already does this when packages.yml exists). */
  deps: (options: DbtCommonOptions = {}): DbtStep =>
    new DbtStep('dbt deps', ['dbt', 'deps', ...commonFlags(options)], options, callSite(dbt.deps)),
  /**
   * `dbt retry` (dbt >= 1.6): re-run what failed in the previous invocation; only vars and threads
   * can change. With an older `dbtVersion`: `dbt build --select result:error+ result:fail+ --state`.
   */
  retry: (options: DbtRetryOptions = {}): DbtStep => retryStep(options, dbt.retry),
  /** `dbt docs generate` (with `--static` unless `static: false`). */
  docs: (options: DbtDocsOptions = {}): DocsStep =>
    new DocsStep(['dbt', 'docs', 'generate', ...(options.static === false ? [] : ['--static']), ...commonFlags(options)], options, callSite(dbt.docs)),
};

/**
 * A command of your own, as an argv list: each element reaches the program as exactly one argument,
 * never re-parsed by a shell. Inputs may stand as elements.
 *
 * @example shell(['python3', 'scripts/check_freshness.py', '--max-hours', '6'])
 */
export function shell(argv: readonly [string, ...(string | InputRef)[]], options: StepOptions = {}): Step {
  return new Step('shell', { kind: 'argv', argv }, options, callSite(shell));
}

/**
 * A bash script, for when you really need pipes or redirections. Inputs and secrets are not spliced
 * in: read them from the environment (`env`) inside the script.
 */
shell.script = function script(bashScript: string, options: StepOptions = {}): Step {
  return new Step('shell script', { kind: 'script', script: bashScript }, options, callSite(shell.script));
};

export interface UploadOptions extends StepOptions {
  /** What to upload: a step's artifact (`docs.site`) or a path relative to the dbt project. */
  from: Artifact | string;
  /** Destination URL: a prefix ending in `/`, or a full object URL for a single file. */
  to: string;
}

function uploadStep(tool: 's3' | 'gcs', options: UploadOptions, caller: Function): Step {
  const artifact = isArtifact(options.from) ? options.from : undefined;
  const path = artifact ? artifact.path : (options.from as string);
  const isDirectory = artifact ? artifact.isDirectory : path.endsWith('/');
  const destination = !isDirectory && options.to.endsWith('/') ? options.to + (artifact?.publishAs ?? basename(path)) : options.to;
  const argv =
    tool === 's3'
      ? ['aws', 's3', isDirectory ? 'sync' : 'cp', path, destination]
      : ['gcloud', 'storage', ...(isDirectory ? ['rsync', '--recursive'] : ['cp']), path, destination];
  return new Step(`upload ${tool}`, { kind: 'argv', argv }, options, callSite(caller), artifact ? [artifact] : []);
}

function basename(path: string): string {
  return path.split('/').filter(Boolean).pop() ?? path;
}

/** Publish files: the docs site to a bucket. */
export const upload = {
  /** `aws s3 cp` (a file) or `aws s3 sync` (a directory). */
  s3: (options: UploadOptions): Step => uploadStep('s3', options, upload.s3),
  /** `gcloud storage cp` (a file) or `gcloud storage rsync --recursive` (a directory). */
  gcs: (options: UploadOptions): Step => uploadStep('gcs', options, upload.gcs),
  /**
   * GitHub Actions only: publish to the repository's `gh-pages` branch (set Pages to deploy from it).
   * The job alone gets `contents: write`. Argo and the entrypoint refuse it: use `upload.s3`/`gcs`.
   */
  githubPages: (options: Omit<UploadOptions, 'to'>): Step => {
    const artifact = isArtifact(options.from) ? options.from : undefined;
    const path = artifact ? artifact.path : (options.from as string);
    const command: DslCommand = { kind: 'github-pages', path, isDirectory: artifact ? artifact.isDirectory : path.endsWith('/'), ...(artifact?.publishAs ? { publishAs: artifact.publishAs } : {}) };
    return new Step('publish to GitHub Pages', command, options, callSite(upload.githubPages), artifact ? [artifact] : []);
  },
};
