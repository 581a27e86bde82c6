/**
 * Loading dbt state from an S3 or GCS store, as a bash program of ours for the targets that run a
 * step as a process (GitHub run steps, Argo containers, the shared runner). Three outcomes, on every
 * target: present (copied), absent (the store answered "not found": readers fall back as their
 * `whenNoState` says, the step succeeds) and error (the step fails with the store's own message).
 * The store URL and the directory arrive as environment, never spliced into the program.
 */
import type { Command, EnvVar } from '@sluice/sdk/ir';
import { storeGetFunctions, type BucketKind } from './state-probe.js';

/** A program of ours and the environment it reads (added after the step's own). */
export interface StateProgram {
  script: string;
  env: EnvVar[];
}

type BucketLoad = Extract<Command, { kind: 'state-load' }> & { store: { kind: BucketKind } };

/** The load of `set` from an S3/GCS store: the last-success set at the store's URL, the last run's under `last-run/`. */
export function bucketStateLoad(command: BucketLoad): StateProgram {
  const url = command.set === 'last-run' ? `${command.store.url}/last-run` : command.store.url;
  return {
    script: loadScript(command.store.kind),
    env: [
      { name: 'SLUICE_STATE_URL', value: { kind: 'literal', value: url } },
      { name: 'SLUICE_STATE_DIR', value: { kind: 'literal', value: command.dir } },
    ],
  };
}

// The loader: a small bash program of ours; the store URL and directory arrive as environment.
function loadScript(kind: BucketKind): string {
  return [
    ...storeGetFunctions(kind),
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
