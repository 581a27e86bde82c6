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
import type { SourceLocation, StateStoreIR } from '../ir.js';
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
    const command: DslCommand = { kind: 'state-save', store: storeIR(this), from: source?.targetDir };
    if (this.kind === 'github-artifact') {
      const stepOptions: StepOptions = { ...options, ...(needs !== undefined ? { needs } : {}) };
      return builtin(new Step('save state as a GitHub artifact', command, stepOptions, callSite(StateStore.prototype.save), consumes));
    }
    const stepOptions: StepOptions = {
      ...options,
      ...(needs !== undefined ? { needs } : {}),
      // The last run's results matter most after a failure: run after the build whatever its result.
      if: options.if ?? when.or(when.success(), when.failure()),
    };
    return builtin(new Step(`save state to ${this.kind}`, command, stepOptions, callSite(StateStore.prototype.save), consumes));
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

/** The store as the IR names it: what it is, not how a target reaches it. */
function storeIR(store: StateStore): StateStoreIR {
  if (store.kind === 'github-artifact') return { kind: 'github-artifact', pipeline: store.url, ...(store.branch !== undefined ? { branch: store.branch } : {}) };
  return { kind: store.kind, url: store.url };
}

/** A state store's load step; pass it as `state:` to dbt steps. */
export class StateLoadStep extends Step implements StateLoad {
  /** The directory the state lands in. */
  readonly dir: string;
  /** What readers consume, so they wait for this step. */
  readonly loaded: Artifact;

  private static labelFor(store: StateStore, set: StateSet): string {
    if (store.kind === 'github-artifact') return 'load state from a GitHub artifact';
    return `load ${set === 'last-run' ? "the last run's state" : 'state'} from ${store.kind}`;
  }

  constructor(
    readonly store: StateStore,
    dir: string,
    readonly set: StateSet,
    options: StepOptions,
    location: SourceLocation | undefined,
  ) {
    super(StateLoadStep.labelFor(store, set), { kind: 'state-load', store: storeIR(store), set, dir }, options, location);
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
