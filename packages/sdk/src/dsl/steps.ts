import type { PublishDestinationIR, SourceLocation, StateStoreIR } from '../ir.js';
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
  /**
   * The path is inside the producing dbt step's own target directory (`target/sluice/<step id>`),
   * known once step ids are: lowering resolves it, so no two dbt steps share `target/`.
   */
  readonly inTargetDir?: boolean;
}

export const isArtifact = (value: unknown): value is Artifact => hasBrand(value, 'artifact');

/** One element of a step's command line, before lowering. */
export type DslArg =
  | string
  | InputRef
  | { readonly kind: 'option'; readonly flag?: string; readonly ref: InputRef; readonly validate?: 'selector' | 'node'; readonly before?: string; readonly after?: string }
  | { readonly kind: 'switch'; readonly flag: string; readonly ref: InputRef<'boolean'> }
  | { readonly kind: 'whenFile'; readonly path: string; readonly then: readonly DslArg[]; readonly otherwise: readonly DslArg[]; readonly notice: string; readonly absent?: 'skip' | 'fail' }
  /** An artifact's path, resolved at lowering (a dbt step's target directory depends on its id). */
  | { readonly kind: 'path'; readonly artifact: Artifact }
  /** `--target-path target/sluice/<this step's id>`, resolved at lowering. */
  | { readonly kind: 'targetPath' };

/**
 * What a step does, before lowering: the IR's commands (ir.ts) with step objects and artifacts where
 * the IR has ids and paths. Sluice's own steps say what they do (state, publish, notify), never how:
 * each target lowers them to its engine. Only the user's `shell`/`shell.script` hold a command line.
 */
export type DslCommand =
  | { readonly kind: 'argv'; readonly argv: readonly DslArg[] }
  /** A bash script the user wrote (`shell.script`): the only script in a pipeline. */
  | { readonly kind: 'script'; readonly script: string }
  | NotifyDslCommand
  | { readonly kind: 'state-load'; readonly store: StateStoreIR; readonly set: 'last-success' | 'last-run'; readonly dir: string }
  /** `from` absent: no single dbt step was named (reported when the IR is validated). */
  | { readonly kind: 'state-save'; readonly store: StateStoreIR; readonly from?: Artifact | undefined }
  | { readonly kind: 'publish'; readonly destination: PublishDestinationIR; readonly from: Artifact | string; readonly isDirectory: boolean };

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
  protected output(name: string, path: string, isDirectory: boolean, publishAs?: string, inTargetDir = false): Artifact {
    const artifact: Artifact = { [BRAND]: 'artifact', step: this, name, path, isDirectory, ...(publishAs ? { publishAs } : {}), ...(inTargetDir ? { inTargetDir } : {}) };
    this.produces.push(artifact);
    return artifact;
  }
}

export const isStep = (value: unknown): value is Step => hasBrand(value, 'step');

const BUILTIN = Symbol.for('sluice.builtin-step');
/**
 * Marks a step Sluice itself runs (upload, notify, state save/load): it receives only the
 * pipeline's literal env and what its own `env` gives, never the pipeline's secrets or inputs.
 */
export function builtin<S extends Step>(step: S): S {
  Object.defineProperty(step, BUILTIN, { value: true, enumerable: false });
  return step;
}
export const isBuiltinStep = (step: Step): boolean => (step as unknown as Record<symbol, unknown>)[BUILTIN] === true;

type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A dbt selection: one selector, several (a union), or a pipeline input. */
export type Selection = string | NodeSelector | readonly (string | NodeSelector)[] | InputRef<'string' | 'choice'>;

/**
 * What a dbt step with a state store's `state` does when the store has no saved manifest yet (the
 * first run): the store answered "absent". (A store that does not answer fails the load step; no
 * fallback then.) Never adds `--full-refresh` or changes `--target`; always printed in the log, shown
 * by `sluice plan` and named in the notification.
 * - `'without-state'` (default): the same command without `state:`/`result:` selectors, `--defer`,
 *   `--state` **and without `--full-refresh`** (a first run must not rebuild incremental models);
 * - `'skip'`: build nothing, the step succeeds;
 * - `'fail'`: the step fails;
 * - `{ select, exclude }`: this selection instead (same flags otherwise, still no `--full-refresh`).
 */
export type NoStateFallback = 'without-state' | 'skip' | 'fail' | { readonly select: Selection; readonly exclude?: Selection };

/** dbt versions that first offered a flag or command (learnt from the config or the runtime's pin). */
export const DBT_FEATURES = {
  targetPath: { since: '1.5', what: '--target-path (each dbt step keeps its own artifacts)' },
  retry: { since: '1.6', what: 'dbt retry' },
  static: { since: '1.7', what: 'dbt docs generate --static' },
  eventTime: { since: '1.9', what: '--event-time-start/--event-time-end (microbatch)' },
} as const;
export type DbtFeature = keyof typeof DBT_FEATURES;

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
  /** `--select`, e.g. `'state:modified+'`, `['tag:daily', 'orders+']` or `selector.children(inputs.model)`. */
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
   * step: then the step waits for it, and when the store has no manifest yet (the first run) it does
   * what `whenNoState` says, and says so in its log and in the notification.
   */
  state?: string | StateLoad;
  /** With a state store's `load()` as `state`: what to do when the store has no manifest yet. @default 'without-state' */
  whenNoState?: NoStateFallback;
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
   * The dbt version, when it differs from the project's (config `dbtVersion`, the runtime's pin).
   * Before 1.6 there is no `dbt retry`: the step runs
   * `dbt build --select result:error+ result:fail+ --state <state>` instead.
   */
  dbtVersion?: string;
  /** Where the previous run's run_results.json is: `store.load({ from: 'last-run' })` or a directory. */
  state?: string | StateLoad;
}

/** A dbt step: it keeps its artifacts in its own target directory (`target/sluice/<step id>`). */
export class DbtStep extends Step {
  /** The step's target directory: manifest.json, run_results.json, compiled SQL. */
  readonly targetDir: Artifact;
  /** dbt features this step uses (checked against the project's dbt version at compile time). */
  readonly features: DbtFeature[];
  /** For dbt versions before `below`: the older equivalent command. */
  readonly olderEquivalent: { readonly below: string; readonly argv: readonly DslArg[]; readonly label: string } | undefined;
  constructor(label: string, argv: DslArg[], options: StepOptions, location: SourceLocation | undefined, consumes: readonly Artifact[] = [], extra: { features?: DbtFeature[]; olderEquivalent?: DbtStep['olderEquivalent']; ownTarget?: boolean } = {}) {
    const ownTarget = extra.ownTarget ?? true;
    super(label, { kind: 'argv', argv: ownTarget ? [...argv, { kind: 'targetPath' }] : argv }, options, location, consumes);
    this.targetDir = this.output('target', '', true, undefined, true);
    this.features = [...(ownTarget ? (['targetPath'] as const) : []), ...(extra.features ?? [])];
    this.olderEquivalent = extra.olderEquivalent ? { ...extra.olderEquivalent, argv: ownTarget ? [...extra.olderEquivalent.argv, { kind: 'targetPath' }] : extra.olderEquivalent.argv } : undefined;
  }
}

/** `dbt docs generate`: its `site` is what to publish. */
export class DocsStep extends DbtStep {
  /** The documentation site: `static_index.html` (published as `index.html`), or the whole target directory. */
  readonly site: Artifact;
  constructor(argv: DslArg[], options: DbtDocsOptions, location: SourceLocation | undefined) {
    super('dbt docs generate', argv, options, location, [], { features: options.static === false ? [] : ['static'] });
    this.site = options.static === false ? this.targetDir : this.output('site', 'static_index.html', false, 'index.html', true);
  }
}

/** Selector methods that read state: dbt refuses them without `--state`. */
export const STATEFUL_SELECTOR = /(^|[\s+@,])(\d*\+)?(state|result|source_status):/;

function selection(flag: string, value: Selection | undefined, dropStateSelectors = false): DslArg[] {
  if (value === undefined) return [];
  if (isInputRefLike(value)) return [{ kind: 'option', flag, ref: value, validate: 'selector' }];
  const items = typeof value === 'string' || value instanceof NodeSelector ? [value] : (value as readonly (string | NodeSelector)[]);
  const kept = items.filter((item) => !dropStateSelectors || !STATEFUL_SELECTOR.test(String(item)));
  if (kept.length === 0) return [];
  // A selector around an input: one argument, the input's value between literal operators.
  return kept.flatMap((item, position): DslArg[] => {
    const around = item instanceof NodeSelector ? item.input : undefined;
    const arg: DslArg = around ? { kind: 'option', ref: around.ref, validate: 'node', before: around.before, after: around.after } : String(item);
    return position === 0 ? [flag, arg] : [arg];
  });
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

function fullRefreshFlag(options: DbtBuildOptions): DslArg[] {
  if (options.fullRefresh === true) return ['--full-refresh'];
  if (isInputRefLike(options.fullRefresh)) return [{ kind: 'switch', flag: '--full-refresh', ref: options.fullRefresh as InputRef<'boolean'> }];
  return [];
}

function selectFlags(options: DbtBuildOptions): DslArg[] {
  // With state: selection, --defer, --state and --full-refresh. The fallback (no state yet) never
  // carries --full-refresh: a first run must not rebuild every incremental model from scratch.
  const withState: DslArg[] = [...selection('--select', options.select), ...selection('--exclude', options.exclude)];
  if (options.defer === true) withState.push('--defer');
  if (options.state !== undefined) withState.push('--state', stateDir(options.state));
  if (options.selector !== undefined) withState.push('--selector', options.selector);
  const rest: DslArg[] = [];
  if (options.failFast === true) rest.push('--fail-fast');
  rest.push(...valueFlag('--event-time-start', options.eventTimeStart), ...valueFlag('--event-time-end', options.eventTimeEnd));
  rest.push(...commonFlags(options));
  if (!isStateLoad(options.state)) return [...withState, ...fullRefreshFlag(options), ...rest];

  const fallback = options.whenNoState ?? 'without-state';
  const url = options.state.store.url;
  const absent = `no saved manifest in ${url} yet (the store answered: not found)`;
  const otherwise: DslArg[] =
    typeof fallback === 'object'
      ? [...selection('--select', fallback.select), ...selection('--exclude', fallback.exclude), ...rest]
      : fallback === 'without-state'
        ? [...selection('--select', options.select, true), ...selection('--exclude', options.exclude, true), ...(options.selector !== undefined ? ['--selector', options.selector] : []), ...rest]
        : [];
  const notice =
    typeof fallback === 'object'
      ? `${absent}: running the whenNoState selection instead of the slim one`
      : fallback === 'skip'
        ? `${absent}: skipping this dbt step (whenNoState: 'skip')`
        : fallback === 'fail'
          ? `${absent}: failing this dbt step (whenNoState: 'fail')`
          : `${absent}: running without state (state selectors, --defer, --state${options.fullRefresh ? ' and --full-refresh' : ''} left out)`;
  const whenFile: DslArg = {
    kind: 'whenFile',
    path: `${options.state.dir}/manifest.json`,
    then: [...withState, ...fullRefreshFlag(options), ...rest],
    otherwise,
    notice,
    ...(fallback === 'skip' || fallback === 'fail' ? { absent: fallback } : {}),
  };
  return [whenFile];
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

function isStateLoad(value: unknown): value is StateLoad {
  return isStep(value) && isArtifact((value as Partial<StateLoad>).loaded) && typeof (value as Partial<StateLoad>).dir === 'string';
}

/** A state store's `load()` step, as an artifact its readers consume (so they wait for it). */
function stateArtifacts(...values: unknown[]): Artifact[] {
  return values.filter(isStateLoad).map((load) => load.loaded);
}

function dbtStep(command: readonly string[], options: DbtBuildOptions, caller: Function): DbtStep {
  const features: DbtFeature[] = options.eventTimeStart !== undefined || options.eventTimeEnd !== undefined ? ['eventTime'] : [];
  return new DbtStep(`dbt ${command.join(' ')}`, ['dbt', ...command, ...selectFlags(options)], options, callSite(caller), stateArtifacts(options.state), { features });
}

/** With a state store's load: when the store had no last run, there is nothing to retry: fail saying so. */
function requireLastRun(state: string | StateLoad | undefined, args: DslArg[]): DslArg[] {
  if (!isStateLoad(state)) return args;
  return [{ kind: 'whenFile', path: `${state.dir}/run_results.json`, then: args, otherwise: [], absent: 'fail', notice: `no last run saved in ${state.store.url}: nothing to retry` }];
}

function retryStep(options: DbtRetryOptions, caller: Function): DbtStep {
  const state = options.state === undefined ? [] : ['--state', stateDir(options.state)];
  const older: DslArg[] = ['dbt', 'build', ...requireLastRun(options.state, ['--select', 'result:error+', 'result:fail+', '--state', options.state === undefined ? 'target' : stateDir(options.state), ...commonFlags(options)])];
  const retry = new DbtStep('dbt retry', ['dbt', 'retry', ...requireLastRun(options.state, [...state, ...commonFlags(options)])], options, callSite(caller), stateArtifacts(options.state), {
    features: ['retry'],
    olderEquivalent: { below: DBT_FEATURES.retry.since, argv: older, label: 'dbt build (retry of failures)' },
  });
  if (options.dbtVersion !== undefined) (retry as { dbtVersion?: string }).dbtVersion = options.dbtVersion;
  return retry;
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
    new DbtStep('dbt deps', ['dbt', 'deps', ...commonFlags(options)], options, callSite(dbt.deps), [], { ownTarget: false }),
  /**
   * `dbt retry` (dbt >= 1.6): re-run what failed in the previous invocation, read from `state`
   * (`store.load({ from: 'last-run' })`); only vars and threads can change. With a project on an
   * older dbt: `dbt build --select result:error+ result:fail+ --state <state>`.
   */
  retry: (options: DbtRetryOptions = {}): DbtStep => retryStep(options, dbt.retry),
  /** `dbt docs generate` (with `--static`, dbt >= 1.7, unless `static: false`). */
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

function uploadStep(kind: 's3' | 'gcs', options: UploadOptions, caller: Function): Step {
  const artifact = isArtifact(options.from) ? options.from : undefined;
  const isDirectory = artifact ? artifact.isDirectory : (options.from as string).endsWith('/');
  // A single file sent to a prefix keeps its published name (docs.site: index.html).
  const url = !isDirectory && options.to.endsWith('/') ? options.to + (artifact?.publishAs ?? basename(artifact ? artifact.path : (options.from as string))) : options.to;
  const command: DslCommand = { kind: 'publish', destination: { kind, url }, from: artifact ?? (options.from as string), isDirectory };
  return builtin(new Step(`upload ${kind}`, command, options, callSite(caller), artifact ? [artifact] : []));
}

function basename(path: string): string {
  return path.split('/').filter(Boolean).pop() ?? path;
}

/** Publish files: the docs site to a bucket. */
export const upload = {
  /** To S3: a file is copied (`aws s3 cp` on every target today), a directory synchronised (`aws s3 sync`). */
  s3: (options: UploadOptions): Step => uploadStep('s3', options, upload.s3),
  /** To GCS: a file is copied (`gcloud storage cp`), a directory synchronised (`gcloud storage rsync --recursive`). */
  gcs: (options: UploadOptions): Step => uploadStep('gcs', options, upload.gcs),
  /**
   * The repository's Pages site, on the engines that host one: GitHub Actions pushes to the
   * `gh-pages` branch (set Pages to deploy from it; the job alone gets `contents: write`), GitLab CI/CD
   * deploys it with a `pages` job. Argo and the entrypoint refuse it: use `upload.s3`/`gcs`.
   */
  pages: (options: Omit<UploadOptions, 'to'>): Step => pagesStep(options, upload.pages),
  /** The same as `upload.pages` (its first name, from when only GitHub Actions hosted Pages). */
  githubPages: (options: Omit<UploadOptions, 'to'>): Step => pagesStep(options, upload.githubPages),
};

function pagesStep(options: Omit<UploadOptions, 'to'>, caller: (options: Omit<UploadOptions, 'to'>) => Step): Step {
  const artifact = isArtifact(options.from) ? options.from : undefined;
  const path = artifact ? artifact.path : (options.from as string);
  const destination: PublishDestinationIR = { kind: 'pages', ...(artifact?.publishAs ? { publishAs: artifact.publishAs } : {}) };
  const command: DslCommand = { kind: 'publish', destination, from: artifact ?? path, isDirectory: artifact ? artifact.isDirectory : path.endsWith('/') };
  return builtin(new Step('publish to Pages', command, options, callSite(caller), artifact ? [artifact] : []));
}
