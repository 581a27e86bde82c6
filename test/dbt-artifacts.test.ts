/**
 * The notifier against dbt's artifacts: the project's own small fixtures (every run_results v6
 * status), validated against dbt's run-results schema, and, when ../shared/fixtures/dbt exists, the
 * real jaffle_shop manifest and run results (passing and failing).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/project.js';

const NOTIFIER = join(REPO_ROOT, 'packages/targets/src/shared/notify_slack.py');
const OURS = join(REPO_ROOT, 'test/fixtures/dbt');
const SHARED = join(REPO_ROOT, '../shared/fixtures/dbt');
const hasShared = existsSync(join(SHARED, 'run-results.v6.schema.json'));
if (!hasShared) console.warn('../shared/fixtures/dbt is not here: the tests on real dbt artifacts are skipped.');

/** Runs the notifier in a fresh directory holding the given artifacts; returns the Slack text. */
function notify(files: { runResults?: string; manifest?: string }, env: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-notify-'));
  // Each dbt step keeps its artifacts in target/sluice/<step id>.
  mkdirSync(join(dir, 'target/sluice/run'), { recursive: true });
  if (files.runResults) copyFileSync(files.runResults, join(dir, 'target/sluice/run/run_results.json'));
  if (files.manifest) copyFileSync(files.manifest, join(dir, 'target/sluice/run/manifest.json'));
  const output = execFileSync('python3', [NOTIFIER], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', SLUICE_NOTIFY_DRY_RUN: '1', SLUICE_PIPELINE: 'full', SLUICE_RUN_STATUS: 'failed', SLUICE_TRIGGER: 'schedule', ...env },
    encoding: 'utf8',
  });
  return (JSON.parse(output) as { text: string }).text;
}

describe('the notifier on the project’s fixtures', () => {
  it('names every failed, errored and partly failed node with its message; counts every status', () => {
    const text = notify({ runResults: join(OURS, 'run_results.failed.json'), manifest: join(OURS, 'manifest.small.json') });
    expect(text).toContain(':x: *full* failed (trigger: schedule)');
    expect(text).toContain('error 1, fail 1, no-op 1, `partial success` 1, pass 1, reused 1, `runtime error` 1, skipped 1, success 1, warn 1');
    expect(text).toContain('- `fct_orders` error (`models/marts/fct_orders.sql`) owner: `@data-platform`: `Database Error in model fct_orders');
    expect(text).toContain('- `unique_dim_customers_customer_id` fail: `Got 3 results');
    expect(text).toContain('- `country_codes` `runtime error`: `Runtime Error in seed country_codes');
    expect(text).toContain('- `fct_events` `partial success`: `2 of 3 batches succeeded');
    for (const fine of ['stg_orders`', 'not_null_stg_orders_status', 'dim_customers`', 'stg_customers', 'legacy_revenue']) expect(text).not.toContain(`\`${fine}`);
  });

  it('still reports the run when dbt wrote no run_results.json', () => {
    const text = notify({});
    expect(text).toContain(':x: *full* failed');
    expect(text).toContain('dbt wrote no run_results.json');
  });

  it('maps every engine’s word for the run result', () => {
    for (const [word, shown] of [['success', 'succeeded'], ['Succeeded', 'succeeded'], ['failure', 'failed'], ['Error', 'failed'], ['cancelled', 'cancelled']]) {
      expect(notify({}, { SLUICE_RUN_STATUS: word as string })).toContain(`*full* ${shown}`);
    }
  });

  it.skipIf(!hasShared)('uses fixtures that dbt’s run-results v6 schema accepts', () => {
    const schema = JSON.parse(readFileSync(join(SHARED, 'run-results.v6.schema.json'), 'utf8'));
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const valid = validate(JSON.parse(readFileSync(join(OURS, 'run_results.failed.json'), 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });
});

describe.skipIf(!hasShared)('the notifier on real jaffle_shop artifacts (dbt 1.12)', () => {
  it('names the failed nodes of a failing build, with path and message', () => {
    const runResults = JSON.parse(readFileSync(join(SHARED, 'jaffle_shop.run_results.v6.failed.json'), 'utf8')) as { results: { status: string; unique_id: string }[] };
    const failing = runResults.results.filter((result) => ['error', 'fail', 'runtime error', 'partial success'].includes(result.status));
    expect(failing.length).toBeGreaterThan(0);
    const text = notify({ runResults: join(SHARED, 'jaffle_shop.run_results.v6.failed.json'), manifest: join(SHARED, 'jaffle_shop.manifest.v12.json') });
    for (const result of failing.slice(0, 15)) {
      const name = result.unique_id.split('.')[2] as string;
      expect(text).toContain(`\`${name}`);
    }
    expect(text).toMatch(/\((models|seeds|tests)\/[^)]+\)/);
  });

  it('lists no failure for a passing build, and counts its statuses', () => {
    const text = notify({ runResults: join(SHARED, 'jaffle_shop.run_results.v6.build.json'), manifest: join(SHARED, 'jaffle_shop.manifest.v12.json') }, { SLUICE_RUN_STATUS: 'success' });
    expect(text).toContain(':white_check_mark: *full* succeeded');
    expect(text).not.toMatch(/^- `/m);
    expect(text).toMatch(/success \d+/);
  });
});
