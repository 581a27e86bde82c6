/**
 * Saving dbt state to an S3 or GCS store, as a bash program of ours (see state-load.ts for who runs
 * it). The store URL and the dbt step's target directory arrive as environment.
 */
import type { Command, EnvVar } from '@sluice/sdk/ir';
import type { StateProgram } from './state-load.js';
import { storeClearFunctions, storeCopyCommand, type BucketKind } from './state-probe.js';

type BucketSave = Extract<Command, { kind: 'state-save' }> & { store: { kind: BucketKind } };

/** The save to an S3/GCS store, from the dbt step's target directory (validated present before any target runs). */
export function bucketStateSave(command: BucketSave): StateProgram {
  const env: EnvVar[] = [{ name: 'SLUICE_STATE_URL', value: { kind: 'literal', value: command.store.url } }];
  if (command.from !== undefined) env.push({ name: 'SLUICE_STATE_FROM', value: { kind: 'literal', value: command.from } });
  return { script: saveScript(command.store.kind), env };
}

/**
 * The saver: `last-run/` always (when dbt stopped before running a node, `last-run/` is cleared: a
 * retry must not repeat an earlier night's failures as this one's); the baseline only when the run results say every node succeeded
 * and belong to the same invocation as the manifest (a failed build never becomes the baseline).
 */
function saveScript(kind: BucketKind): string {
  const copy = storeCopyCommand(kind);
  return [
    ...storeClearFunctions(kind),
    'from=$SLUICE_STATE_FROM',
    'if [ ! -f "$from/run_results.json" ] || [ ! -f "$from/manifest.json" ]; then',
    '  echo "sluice: the dbt step left no run_results.json/manifest.json in $from (it stopped before running a node): nothing to save"',
    '  sluice_clear "$SLUICE_STATE_URL/last-run/manifest.json" || exit 1',
    '  sluice_clear "$SLUICE_STATE_URL/last-run/run_results.json" || exit 1',
    '  echo "sluice: cleared $SLUICE_STATE_URL/last-run/: a retry will not repeat an earlier run\'s results as this one\'s"',
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
