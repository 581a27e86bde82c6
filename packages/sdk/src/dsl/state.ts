/**
 * State stores: where production state (manifest.json, run_results.json) is kept between runs, for
 * slim CI (`state:modified+` deferred to production) and `dbt retry`.
 *
 * A store keeps two sets apart:
 * - `<url>/` the **last successful** build's manifest.json and run_results.json: the slim-CI baseline,
 *   promoted only when every node of the build succeeded;
 * - `<url>/last-run/` the **last run's** manifest.json and run_results.json, whatever its result: what
 *   `dbt retry` starts from after a failed night.
 *
 * Loading has three outcomes on every target: present (copied), absent (the store answered that the
 * object does not exist: readers fall back as their `whenNoState` says) and error (denied, expired
 * credentials, network: the load step fails with the store's own message).
 */
import type { SourceLocation } from '../ir.js';
import { callSite } from '../location.js';
import { builtin, DbtStep, isStep, Step, type Artifact, type DslCommand, type StateLoad, type StepOptions } from './steps.js';
import { when } from './conditions.js';

/** Which saved set a load reads. */
export type StateSet = 'last-success' | 'last-run';

export interface StateSaveOptions extends StepOptions {
  /**
   * The dbt step whose artifacts are saved. @default the one dbt step in `needs`
   * (runs after it whatever its result: the last run's results are saved always, the baseline only
   * when every node succeeded).
   */
  from?: DbtStep;
}

/** Where production state (manifest.json, run_results.json) is kept between runs. */
export class StateStore {
  constructor(
    readonly kind: 's3' | 'gcs' | 'github-artifact',
    /** Bucket URL with a prefix, without a trailing slash (`s3://acme-dbt-state/metric`); for GitHub artifacts, the saving pipeline. */
    readonly url: string,
    /** GitHub artifacts: the branch whose last successful run holds the state (absent: the default branch). */
    readonly branch?: string,
  ) {}

  /**
   * Saves the dbt step's manifest.json and run_results.json. s3/gcs: runs after the dbt step whatever
   * its result; writes `last-run/` always and promotes the baseline only after a fully successful
   * build. GitHub artifacts: the baseline only, after a successful build.
   */
  save(options: StateSaveOptions = {}): Step {
    const source = options.from ?? dbtStepIn(options.needs);
    const needs = source === undefined || neededSteps(options.needs).includes(source) ? options.needs : [...neededSteps(options.needs), source];
    const consumes = source ? [source.targetDir] : [];
    if (this.kind === 'github-artifact') {
      const stepOptions: StepOptions = { ...options, ...(needs !== undefined ? { needs } : {}) };
      return builtin(new Step('save state as a GitHub artifact', { kind: 'github-artifact-save', name: STATE_ARTIFACT, paths: ['manifest.json', 'run_results.json'], from: source?.targetDir }, stepOptions, callSite(StateStore.prototype.save), consumes));
    }
    const stepOptions: StepOptions = {
      ...options,
      ...(needs !== undefined ? { needs } : {}),
      // The last run's results matter most after a failure: run after the build whatever its result.
      if: options.if ?? when.or(when.success(), when.failure()),
      env: { ...options.env, SLUICE_STATE_URL: this.url },
    };
    return builtin(new Step(`save state to ${this.kind}`, { kind: 'script', script: saveScript(this.kind), pathEnv: source ? { SLUICE_STATE_FROM: source.targetDir } : {} }, stepOptions, callSite(StateStore.prototype.save), consumes));
  }

  /**
   * Loads a saved manifest.json and run_results.json into `into` (default `prod-state`; never the
   * `target/` of a dbt step). `from: 'last-success'` (default) is the slim-CI baseline;
   * `from: 'last-run'` is what `dbt.retry({ state })` needs. When the store says the files do not
   * exist, readers fall back (see `whenNoState`); any other answer fails the load with its message.
   */
  load(options: StepOptions & { into?: string; from?: StateSet } = {}): StateLoadStep {
    const { into, from, ...stepOptions } = options;
    return new StateLoadStep(this, into ?? 'prod-state', from ?? 'last-success', stepOptions, callSite(StateStore.prototype.load));
  }
}

function neededSteps(needs: StepOptions['needs']): Step[] {
  if (needs === undefined) return [];
  return isStep(needs) ? [needs] : [...needs];
}

function dbtStepIn(needs: StepOptions['needs']): DbtStep | undefined {
  const dbtSteps = neededSteps(needs).filter((step): step is DbtStep => step instanceof DbtStep || isArtifactLike((step as Partial<DbtStep>).targetDir));
  return dbtSteps.length === 1 ? dbtSteps[0] : undefined;
}

function isArtifactLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'isDirectory' in value;
}

/** Environment variables the SDK itself sets (the only SLUICE_ names allowed in a step's env). */
export const SDK_ENV_NAMES: ReadonlySet<string> = new Set(['SLUICE_STATE_URL', 'SLUICE_STATE_DIR', 'SLUICE_STATE_FROM']);

/**
 * How each store answers "does this object exist": the probe command, and the answer that means
 * "absent" (anything else that fails is an error). Read from the CLIs' own behaviour:
 * - `aws s3api head-object` exits 254 (AWS CLI v2: "the service returned an error"; 255 is any other
 *   failure, such as a network error) with exactly "An error occurred (404) when calling the
 *   HeadObject operation: Not Found" for a missing key (403 when the caller may not list the bucket:
 *   an error, since absence cannot be told from denial), 253 for missing credentials. A missing
 *   bucket answers HeadObject with the same 404, so the probe asks `head-bucket` first: a typo in the
 *   bucket name is an error, not "no state yet". "(404)" anywhere else (a URL in a connection error)
 *   proves nothing, so absence is that exit code and that whole message, nothing looser;
 * - `gcloud storage objects describe` exits 1 with exactly "ERROR: (gcloud.storage.objects.describe)
 *   <the URL asked for> not found: 404." for a missing object, "HTTPError 403: ..." when denied.
 */
const PROBE = {
  s3: [
    'sluice_probe() {',
    '  local path=${1#s3://} bucket key',
    '  bucket=${path%%/*}',
    '  key=${path#"$bucket"/}',
    '  aws s3api head-bucket --bucket "$bucket" >/dev/null || return 1',
    '  aws s3api head-object --bucket "$bucket" --key "$key"',
    '}',
    // $1 the probe's exit status, $2 what it printed, $3 the URL: the one answer that means "absent".
    'sluice_absent() { [[ $1 == 254 && $(sluice_trim "$2") == "An error occurred (404) when calling the HeadObject operation: Not Found" ]]; }',
    'sluice_copy() { aws s3 cp --only-show-errors "$1" "$2"; }',
  ],
  gcs: [
    'sluice_probe() { gcloud storage objects describe "$1"; }',
    'sluice_absent() { [[ $1 == 1 && $(sluice_trim "$2") == "ERROR: (gcloud.storage.objects.describe) $3 not found: 404." ]]; }',
    'sluice_copy() { gcloud storage cp "$1" "$2"; }',
  ],
};

/** Fetches one object: 0 present (copied), 3 absent, 1 error (the store's message on stderr). */
const GET_FUNCTION = [
  // Leading and trailing blank lines and spaces (the AWS CLI starts its error with an empty line).
  'sluice_trim() { local text=$1; text=${text#"${text%%[![:space:]]*}"}; printf %s "${text%"${text##*[![:space:]]}"}"; }',
  'sluice_get() {',
  '  local answer status=0',
  '  answer=$(sluice_probe "$1" 2>&1 >/dev/null) || status=$?',
  '  if [ "$status" -eq 0 ]; then',
  '    sluice_copy "$1" "$2" || return 1',
  '    return 0',
  '  fi',
  '  if sluice_absent "$status" "$answer" "$1"; then return 3; fi',
  '  printf \'sluice: the state store did not answer for %s (not "absent": failing the load):\\n%s\\n\' "$1" "$answer" >&2',
  '  return 1',
  '}',
];

// The loader: a small bash program of ours; the store URL and directory arrive as environment.
function loadScript(kind: 's3' | 'gcs'): string {
  return [
    ...PROBE[kind],
    ...GET_FUNCTION,
    'mkdir -p "$SLUICE_STATE_DIR"',
    // A clean slate: files left by an earlier run must never pass for this run's state.
    'rm -f "$SLUICE_STATE_DIR/manifest.json" "$SLUICE_STATE_DIR/run_results.json"',
    'outcome=0',
    'sluice_get "$SLUICE_STATE_URL/manifest.json" "$SLUICE_STATE_DIR/manifest.json" || outcome=$?',
    'case $outcome in',
    '  0) echo "sluice: state present: manifest.json from $SLUICE_STATE_URL" ;;',
    '  3) echo "sluice: state absent: no manifest.json at $SLUICE_STATE_URL yet (the store answered: not found)"; exit 0 ;;',
    '  *) exit 1 ;;',
    'esac',
    'outcome=0',
    'sluice_get "$SLUICE_STATE_URL/run_results.json" "$SLUICE_STATE_DIR/run_results.json" || outcome=$?',
    'case $outcome in',
    '  0) echo "sluice: state present: run_results.json from $SLUICE_STATE_URL" ;;',
    '  3) echo "sluice: no run_results.json at $SLUICE_STATE_URL (result: selectors and dbt retry have nothing to read)" ;;',
    '  *) exit 1 ;;',
    'esac',
    '',
  ].join('\n');
}

/**
 * The saver: `last-run/` always; the baseline only when the run results say every node succeeded
 * and belong to the same invocation as the manifest (a failed build never becomes the baseline).
 */
function saveScript(kind: 's3' | 'gcs'): string {
  const copy = kind === 's3' ? 'aws s3 cp --only-show-errors' : 'gcloud storage cp';
  return [
    'from=$SLUICE_STATE_FROM',
    'if [ ! -f "$from/run_results.json" ] || [ ! -f "$from/manifest.json" ]; then',
    '  echo "sluice: the dbt step left no run_results.json/manifest.json in $from (it stopped before running a node): nothing to save"',
    '  exit 0',
    'fi',
    `${copy} "$from/manifest.json" "$SLUICE_STATE_URL/last-run/manifest.json"`,
    `${copy} "$from/run_results.json" "$SLUICE_STATE_URL/last-run/run_results.json"`,
    'echo "sluice: saved this run\'s results to $SLUICE_STATE_URL/last-run/ (for dbt retry)"',
    'if python3 - "$from/run_results.json" "$from/manifest.json" <<\'SLUICE_PY\'',
    'import json, sys',
    'results, manifest = (json.load(open(path, encoding="utf-8")) for path in sys.argv[1:3])',
    'same = results.get("metadata", {}).get("invocation_id") == manifest.get("metadata", {}).get("invocation_id")',
    'bad = [r for r in results.get("results", []) if r.get("status") in ("error", "fail", "runtime error", "partial success", "skipped")]',
    'sys.exit(0 if same and not bad and results.get("results") else 1)',
    'SLUICE_PY',
    'then',
    `  ${copy} "$from/manifest.json" "$SLUICE_STATE_URL/manifest.json"`,
    `  ${copy} "$from/run_results.json" "$SLUICE_STATE_URL/run_results.json"`,
    '  echo "sluice: every node succeeded: promoted this manifest as the slim-CI baseline at $SLUICE_STATE_URL/"',
    'else',
    '  echo "sluice: the build did not fully succeed: the slim-CI baseline at $SLUICE_STATE_URL/ is left as it was"',
    'fi',
    '',
  ].join('\n');
}

/** The artifact name GitHub-artifact state is saved under. */
const STATE_ARTIFACT = 'sluice-state';

/** A state store's load step; pass it as `state:` to dbt steps. */
export class StateLoadStep extends Step implements StateLoad {
  /** The directory the state lands in. */
  readonly dir: string;
  /** What readers consume, so they wait for this step. */
  readonly loaded: Artifact;

  private static commandFor(store: StateStore, dir: string, set: StateSet, options: StepOptions): [string, DslCommand, StepOptions] {
    if (store.kind === 'github-artifact') {
      return ['load state from a GitHub artifact', { kind: 'github-artifact-load', name: STATE_ARTIFACT, workflow: `${store.url}.yml`, ...(store.branch !== undefined ? { branch: store.branch } : {}), dir, lastRun: set === 'last-run' }, options];
    }
    const url = set === 'last-run' ? `${store.url}/last-run` : store.url;
    const env = { ...options.env, SLUICE_STATE_URL: url, SLUICE_STATE_DIR: dir };
    return [`load ${set === 'last-run' ? "the last run's state" : 'state'} from ${store.kind}`, { kind: 'script', script: loadScript(store.kind) }, { ...options, env }];
  }

  constructor(
    readonly store: StateStore,
    dir: string,
    readonly set: StateSet,
    options: StepOptions,
    location: SourceLocation | undefined,
  ) {
    super(...StateLoadStep.commandFor(store, dir, set, options), location);
    builtin(this);
    this.dir = dir;
    this.loaded = this.output('state', dir, true);
  }
}

/** Typed state stores for slim CI and retries. */
export const state = {
  /** An S3 prefix: `state.s3('s3://acme-dbt-state/metric')`. */
  s3: (url: string): StateStore => new StateStore('s3', url.replace(/\/+$/, '')),
  /** A GCS prefix: `state.gcs('gs://acme-dbt-state/metric')`. */
  gcs: (url: string): StateStore => new StateStore('gcs', url.replace(/\/+$/, '')),
  /**
   * GitHub Actions only: an artifact of the pipeline that saves it, fetched from its last successful
   * run started by a schedule, by hand or by a push, in this repository, on `branch` (@default the
   * repository's default branch). Argo and the container entrypoint refuse it: use s3 or gcs there.
   */
  githubArtifact: (options: { pipeline: string; branch?: string }): StateStore => new StateStore('github-artifact', options.pipeline, options.branch),
};
