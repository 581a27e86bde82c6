/**
 * State stores: where production state (manifest.json, run_results.json) is kept between runs, for
 * slim CI (`state:modified+` deferred to production) and `dbt retry`.
 */
import type { SourceLocation } from '../ir.js';
import { callSite } from '../location.js';
import { Step, type Artifact, type DslCommand, type StateLoad, type StepOptions } from './steps.js';

/** Where production state (manifest.json, run_results.json) is kept between runs. */
export class StateStore {
  constructor(
    readonly kind: 's3' | 'gcs' | 'github-artifact',
    /** Bucket URL with a prefix, without a trailing slash (`s3://acme-dbt-state/metric`); for GitHub artifacts, the saving pipeline. */
    readonly url: string,
    /** GitHub artifacts: the branch whose last successful run holds the state (absent: the default branch). */
    readonly branch?: string,
  ) {}

  /** Saves target/manifest.json and target/run_results.json (after a successful build, by default). */
  save(options: StepOptions = {}): Step {
    if (this.kind === 'github-artifact') {
      return new Step('save state as a GitHub artifact', { kind: 'github-artifact-save', name: STATE_ARTIFACT, paths: ['target/manifest.json', 'target/run_results.json'] }, options, callSite(StateStore.prototype.save));
    }
    const argv =
      this.kind === 's3'
        ? ['aws', 's3', 'sync', 'target', this.url, '--exclude', '*', '--include', 'manifest.json', '--include', 'run_results.json']
        : ['gcloud', 'storage', 'cp', 'target/manifest.json', 'target/run_results.json', `${this.url}/`];
    return new Step(`save state to ${this.kind}`, { kind: 'argv', argv }, options, callSite(StateStore.prototype.save));
  }

  /**
   * Loads the saved manifest.json and run_results.json into `into` (default `prod-state`, never
   * `target/` for slim CI; `target` for `dbt retry`). A missing manifest is not an error: readers
   * of the state fall back to a full build.
   */
  load(options: StepOptions & { into?: string } = {}): StateLoadStep {
    return new StateLoadStep(this, options.into ?? 'prod-state', options, callSite(StateStore.prototype.load));
  }
}

/** Environment variables the SDK itself sets (the only SLUICE_ names allowed in a step's env). */
export const SDK_ENV_NAMES: ReadonlySet<string> = new Set(['SLUICE_STATE_URL', 'SLUICE_STATE_DIR']);

// The loader: a small bash program of ours; the store URL and directory arrive as environment.
const LOAD_SCRIPT = {
  s3: [
    'mkdir -p "$SLUICE_STATE_DIR"',
    'if aws s3 ls "$SLUICE_STATE_URL/manifest.json" >/dev/null 2>&1; then',
    '  aws s3 cp "$SLUICE_STATE_URL/manifest.json" "$SLUICE_STATE_DIR/manifest.json"',
    '  aws s3 cp "$SLUICE_STATE_URL/run_results.json" "$SLUICE_STATE_DIR/run_results.json" || echo "sluice: no run_results.json in the state store"',
    'else',
    '  echo "sluice: no production manifest at $SLUICE_STATE_URL yet"',
    'fi',
  ],
  gcs: [
    'mkdir -p "$SLUICE_STATE_DIR"',
    'if gcloud storage ls "$SLUICE_STATE_URL/manifest.json" >/dev/null 2>&1; then',
    '  gcloud storage cp "$SLUICE_STATE_URL/manifest.json" "$SLUICE_STATE_DIR/manifest.json"',
    '  gcloud storage cp "$SLUICE_STATE_URL/run_results.json" "$SLUICE_STATE_DIR/run_results.json" || echo "sluice: no run_results.json in the state store"',
    'else',
    '  echo "sluice: no production manifest at $SLUICE_STATE_URL yet"',
    'fi',
  ],
};

/** The artifact name GitHub-artifact state is saved under. */
const STATE_ARTIFACT = 'sluice-state';

/** A state store's load step; pass it as `state:` to dbt steps. */
export class StateLoadStep extends Step implements StateLoad {
  /** The directory the state lands in. */
  readonly dir: string;
  /** What readers consume, so they wait for this step. */
  readonly loaded: Artifact;

  private static commandFor(store: StateStore, dir: string, options: StepOptions): [string, DslCommand, StepOptions] {
    if (store.kind === 'github-artifact') {
      return ['load state from a GitHub artifact', { kind: 'github-artifact-load', name: STATE_ARTIFACT, workflow: `${store.url}.yml`, ...(store.branch !== undefined ? { branch: store.branch } : {}), dir }, options];
    }
    const env = { ...options.env, SLUICE_STATE_URL: store.url, SLUICE_STATE_DIR: dir };
    return [`load state from ${store.kind}`, { kind: 'script', script: `${LOAD_SCRIPT[store.kind].join('\n')}\n` }, { ...options, env }];
  }

  constructor(
    readonly store: StateStore,
    dir: string,
    options: StepOptions,
    location: SourceLocation | undefined,
  ) {
    super(...StateLoadStep.commandFor(store, dir, options), location);
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
