/**
 * The CLI as users run it: the real `sluice` binary, spawned in a temporary copy of an example.
 * Asserts exit codes, what is printed (paths are relative, so nothing to normalise) and what is
 * written.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, makeProject, REPO_ROOT, SLUICE_BIN, snapshotTree } from './helpers/project.js';
import { makeDbtStandIns, type DbtStandIns } from './helpers/dbt-standins.js';

function sluice(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [SLUICE_BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('sluice compile', () => {
  it('is a no-op on a fresh example and --check passes', () => {
    const dir = copyExample('dbt-metric');
    const before = snapshotTree(dir);
    const compile = sluice(dir, 'compile');
    expect(compile.code).toBe(0);
    expect(compile.stdout).toContain('0 changed');
    expect(snapshotTree(dir)).toEqual(before);
    const check = sluice(dir, 'compile', '--check');
    expect(check.code).toBe(0);
    expect(check.stderr).toBe('');
  });

  it('--check after an edit exits 1 with a unified diff and writes nothing', () => {
    const dir = copyExample('dbt-metric');
    const pipelineFile = join(dir, 'pipeline.ts');
    writeFileSync(pipelineFile, readFileSync(pipelineFile, 'utf8').replace("exclude: ['tag:deprecated']", "exclude: ['tag:deprecated', 'tag:slow']"));
    const before = snapshotTree(dir);
    const check = sluice(dir, 'compile', '--check');
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('--- a/.github/workflows/full.yml');
    expect(check.stdout).toMatch(/^\+.*dbt build --exclude tag:deprecated tag:slow --target prod/m);
    expect(check.stderr).toMatch(/^error SLUICE_E_STALE_OUTPUT: \d+ generated file\(s\) are stale: /);
    expect(check.stderr).toContain('.github/workflows/full.yml');
    expect(snapshotTree(dir)).toEqual(before);

    const compile = sluice(dir, 'compile');
    expect(compile.code).toBe(0);
    expect(compile.stdout).toContain('updated .github/workflows/full.yml');
    expect(sluice(dir, 'compile', '--check').code).toBe(0);
  });

  it('a pipeline error exits 1 with code and file:line, no stack trace, nothing written', () => {
    const dir = copyExample('dbt-metric');
    const pipelineFile = join(dir, 'pipeline.ts');
    const source = readFileSync(pipelineFile, 'utf8').replace("trigger.schedule('0 23 * * *')", "trigger.schedule('0 25 * * *')");
    writeFileSync(pipelineFile, source);
    const line = source.split('\n').findIndex((text) => text.includes('0 25 * * *')) + 1;
    const before = snapshotTree(dir);
    const result = sluice(dir, 'compile');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`pipeline.ts:${line}:`);
    expect(result.stderr).toContain('SLUICE_E_INVALID_CRON');
    expect(result.stderr).toContain('nothing was written');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('--json prints the diagnostics as data, on every command that reports them', () => {
    const dir = copyExample('dbt-metric');
    const pipelineFile = join(dir, 'pipeline.ts');
    writeFileSync(pipelineFile, readFileSync(pipelineFile, 'utf8').replace("trigger.schedule('0 23 * * *')", "trigger.schedule('0 25 * * *')"));
    for (const args of [['compile', '--json'], ['plan', 'full', '--json'], ['graph', 'full', '--json'], ['run', 'full', '--dry-run', '--json'], ['check', '--json']]) {
      const result = sluice(dir, ...args);
      expect(result.code, args.join(' ')).toBe(1);
      const parsed = JSON.parse(result.stdout) as { ok: boolean; diagnostics: { code: string }[] };
      expect(parsed.ok).toBe(false);
      expect(parsed.diagnostics.map((d) => d.code)).toContain('SLUICE_E_INVALID_CRON');
    }
  });

  it('refuses to overwrite a file it did not generate', () => {
    const dir = copyExample('dbt-metric');
    const handWritten = '# my own workflow\nname: full\n';
    writeFileSync(join(dir, '.github/workflows/full.yml'), handWritten);
    const before = snapshotTree(dir);
    const result = sluice(dir, 'compile');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SLUICE_E_NOT_GENERATED');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('deletes generated files of pipelines that no longer exist, and only those', () => {
    const dir = copyExample('dbt-metric');
    const stale = readFileSync(join(dir, '.github/workflows/full.yml'), 'utf8');
    writeFileSync(join(dir, '.github/workflows/old.yml'), stale);
    writeFileSync(join(dir, '.github/workflows/mine.yml'), 'name: mine\n');
    const result = sluice(dir, 'compile');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('deleted .github/workflows/old.yml');
    expect(Object.keys(snapshotTree(dir))).toContain('.github/workflows/mine.yml');
    expect(Object.keys(snapshotTree(dir))).not.toContain('.github/workflows/old.yml');
  });

  it('usage errors exit 2', () => {
    const dir = copyExample('minimal');
    expect(sluice(dir, 'compile', '--target', 'jenkins').code).toBe(2);
    expect(sluice(dir, 'frobnicate').code).toBe(2);
    expect(sluice(dir, 'compile', '--no-such-flag').code).toBe(2);
    expect(sluice(dir, '--help').code).toBe(0);
  });
});

describe('sluice plan', () => {
  it('prints the order, conditions and commands', () => {
    const dir = copyExample('dbt-metric');
    const result = sluice(dir, 'plan', 'full');
    expect(result.code).toBe(0);
    const order = ['run', 'saveState', 'docs', 'upload', 'notify'].map((id) => result.stdout.indexOf(`. ${id} `));
    expect(order.every((position, index) => position > 0 && (index === 0 || position > (order[index - 1] as number)))).toBe(true);
    expect(result.stdout).toContain('runs if always()');
    expect(result.stdout).toContain('dbt build --exclude tag:deprecated --target prod');
  });

  it('--json shows what each step receives per trigger; --input values arrive as data, defaults fill the rest', () => {
    const result = sluice(copyExample('dbt-metric'), 'plan', 'backfill', '--json', '--input', 'select=tag:nightly $(SNOWFLAKE_PASSWORD)', '--input', 'fullRefresh=true');
    expect(result.code, result.stderr).toBe(0);
    const plan = JSON.parse(result.stdout) as { receives: { trigger: string; ok: boolean; steps: { id: string; argv: string[]; env: Record<string, string>; cwd: string; refused?: string }[] }[] };
    const manual = plan.receives.find((entry) => entry.trigger === 'manual');
    const run = manual?.steps.find((step) => step.id === 'run');
    expect(run?.argv.slice(0, 5)).toEqual(['dbt', 'build', '--select', 'tag:nightly $(SNOWFLAKE_PASSWORD)', '--full-refresh']);
    expect(run?.env).toMatchObject({ SNOWFLAKE_PASSWORD: '<secret SNOWFLAKE_PASSWORD>', SLUICE_INPUT_select: 'tag:nightly $(SNOWFLAKE_PASSWORD)', SLUICE_INPUT_exclude: '' });
    expect(run?.refused).toBe('input select is not a dbt selection');
    const missing = JSON.parse(sluice(copyExample('dbt-metric'), 'plan', 'backfill', '--json').stdout) as typeof plan;
    expect(missing.receives).toEqual([{ trigger: 'manual', ok: false, refused: "input 'select' is required" }]);
  });

  it('an unknown pipeline is a usage error naming the pipelines', () => {
    const result = sluice(copyExample('dbt-metric'), 'plan', 'nightly');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('SLUICE_E_UNKNOWN_PIPELINE');
    expect(result.stderr).toContain('backfill, emergency, full, retry, slim');
  });
});

describe('sluice run: the example pipelines end to end against stand-in commands', () => {
  const secrets = {
    SNOWFLAKE_ACCOUNT: 'acme',
    SNOWFLAKE_USER: 'ci',
    SNOWFLAKE_PASSWORD: 'pw',
    SLACK_WEBHOOK: 'https://hooks.invalid/x',
  };
  // Stand-ins that keep state (a bucket is a directory; dbt writes its artifacts where --target-path says).
  function run(pipelineName: string, args: string[], failing: string[] = [], prepare?: (standIns: DbtStandIns) => void) {
    const dir = copyExample('dbt-metric');
    const standIns = makeDbtStandIns();
    standIns.project({ nodes: { stg_orders: ['fct_orders'], fct_orders: [] }, failing });
    prepare?.(standIns);
    const result = spawnSync(process.execPath, [SLUICE_BIN, 'run', pipelineName, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: standIns.path, HOME: dir, SLUICE_NOTIFY_DRY_RUN: '1', SLUICE_RETRY_DELAY: '0', ...secrets },
    });
    const calls = standIns.calls().map((call) => [call.command, ...call.argv].join(' '));
    return { code: result.status, stdout: result.stdout, stderr: result.stderr, calls };
  }

  it('full: build, save state, docs, upload, then the notifier', () => {
    const result = run('full', []);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.calls).toEqual([
      'dbt build --exclude tag:deprecated --target prod --target-path target/sluice/run',
      'aws s3 cp --only-show-errors target/sluice/run/manifest.json s3://acme-dbt-state/metric/last-run/manifest.json',
      'aws s3 cp --only-show-errors target/sluice/run/run_results.json s3://acme-dbt-state/metric/last-run/run_results.json',
      'aws s3 cp --only-show-errors target/sluice/run/manifest.json s3://acme-dbt-state/metric/manifest.json',
      'aws s3 cp --only-show-errors target/sluice/run/run_results.json s3://acme-dbt-state/metric/run_results.json',
      'dbt docs generate --static --target prod --target-path target/sluice/docs',
      'aws s3 cp target/sluice/docs/static_index.html s3://acme-dbt-docs/metric/index.html',
    ]);
    expect(result.stdout).toContain(':white_check_mark: *full* succeeded');
  });

  it('full with a failing build: retried once, its results saved for dbt retry (not as the baseline), nothing else downstream, the notifier says failed, exit 1', () => {
    const result = run('full', [], ['fct_orders']);
    expect(result.code).toBe(1);
    expect(result.calls).toEqual([
      'dbt build --exclude tag:deprecated --target prod --target-path target/sluice/run',
      'dbt build --exclude tag:deprecated --target prod --target-path target/sluice/run',
      'aws s3 cp --only-show-errors target/sluice/run/manifest.json s3://acme-dbt-state/metric/last-run/manifest.json',
      'aws s3 cp --only-show-errors target/sluice/run/run_results.json s3://acme-dbt-state/metric/last-run/run_results.json',
    ]);
    expect(result.stdout).toContain(':x: *full* failed');
    expect(result.stdout).toContain('`fct_orders` error');
  });

  it('slim, first run: no production manifest yet, so a full build, said in the log and the notification', () => {
    const result = run('slim', []);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.calls.slice(0, 3)).toEqual(['aws s3api head-bucket --bucket acme-dbt-state', 'aws s3api head-object --bucket acme-dbt-state --key metric/manifest.json', 'dbt build --fail-fast --target ci --target-path target/sluice/run']);
    expect(result.stderr).toContain('no saved manifest in s3://acme-dbt-state/metric yet (the store answered: not found): running without state');
    expect(result.stdout).toContain('Note: `no saved manifest in s3 :// acme-dbt-state/metric yet');
  });

  it('slim with a production manifest: state:modified+ deferred to it', () => {
    const result = run('slim', [], [], (standIns) => {
      standIns.put('s3://acme-dbt-state/metric/manifest.json', '{}');
      standIns.put('s3://acme-dbt-state/metric/run_results.json', '{}');
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.calls).toContain('dbt build --select state:modified+ --defer --state prod-state --fail-fast --target ci --target-path target/sluice/run');
  });

  it("retry: restores the last run's results and runs dbt retry from them", () => {
    const result = run('retry', [], [], (standIns) => {
      standIns.put('s3://acme-dbt-state/metric/last-run/manifest.json', '{}');
      standIns.put('s3://acme-dbt-state/metric/last-run/run_results.json', JSON.stringify({ results: [{ unique_id: 'model.acme.fct_orders', status: 'error' }] }));
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.calls).toContain('aws s3 cp --only-show-errors s3://acme-dbt-state/metric/last-run/run_results.json last-run/run_results.json');
    expect(result.calls).toContain('dbt retry --state last-run --target prod --target-path target/sluice/run');
  });

  it('backfill: inputs become flags; --dry-run runs nothing', () => {
    const result = run('backfill', ['--input', 'select=fct_orders+', '--input', 'fullRefresh=true']);
    expect(result.code).toBe(0);
    expect(result.calls).toEqual(['dbt build --select fct_orders+ --full-refresh --target prod --target-path target/sluice/run']);
    const dry = run('backfill', ['--dry-run', '--input', 'select=fct_orders+']);
    expect(dry.code).toBe(0);
    expect(dry.calls).toEqual([]);
    expect(dry.stdout).toContain('would run: dbt build --select fct_orders+ --target prod --target-path target/sluice/run');
  });

  it('a missing required input is a usage error before anything runs', () => {
    const result = run('backfill', []);
    expect(result.code).toBe(2);
    expect(result.calls).toEqual([]);
  });
});

describe('sluice graph', () => {
  it('prints a Mermaid flowchart with conditions on the edges', () => {
    const result = sluice(copyExample('dbt-metric'), 'graph', 'full');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('flowchart TD');
    expect(lines).toContain('  s_run --> s_docs');
    expect(lines).toContain('  s_upload -.->|"always()"| s_notify');
    expect(result.stdout).toContain('s_run["run<br/><small>dbt build --exclude tag:deprecated --target prod --target-path target/sluice/run</small>"]');
  });
  it('escapes labels so they stay data', async () => {
    const { mermaidFlowchart } = await import('@sluice/compiler');
    const { irOf } = await import('./helpers/ir.js');
    const { pipeline, shell, trigger } = await import('@sluice/sdk');
    const ir = irOf(pipeline('p', { triggers: [trigger.manual()], steps: () => ({ x: shell(['echo', '"]--> injected<br/>#']) }) }));
    const chart = mermaidFlowchart(ir.pipelines[0]!);
    expect(chart).toContain('#quot;]--#gt; injected#lt;br/#gt;#35;');
    expect(chart.split('\n').filter((line) => line.includes('-->'))).toEqual([]);
  });
  it('compile writes PIPELINES.md with a diagram per pipeline when the config asks', () => {
    const dir = copyExample('dbt-metric');
    const page = readFileSync(join(dir, 'PIPELINES.md'), 'utf8');
    expect(page).toContain('Generated by Sluice');
    expect(page.match(/```mermaid/g)).toHaveLength(5);
  });
});

describe('sluice check', () => {
  const broken = "import { dbt, pipeline, trigger } from '@sluice/sdk';\nexport const daily = pipeline('daily', {\n  triggers: [trigger.schedule('0 6 * * *')],\n  steps: () => ({ build: dbt.build({ retries: 'two' }) }),\n});\n";

  it('type-checks the example and finds nothing', () => {
    const result = sluice(copyExample('dbt-metric'), 'check');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('No problems found.\n');
  });

  it('reports type errors and validation errors with code frames, writing nothing', () => {
    const dir = copyExample('minimal');
    writeFileSync(join(dir, 'pipeline.ts'), broken);
    const before = snapshotTree(dir);
    const result = sluice(dir, 'check');
    expect(result.code).toBe(1);
    const line = broken.split('\n')[3] as string;
    const column = line.indexOf('retries') + 1;
    expect(result.stderr).toContain(`pipeline.ts:4:${column}: error SLUICE_E_TYPE_ERROR: Type 'string' is not assignable to type 'number'. (TS2322)`);
    expect(result.stderr).toContain(`  4 | ${line}\n    | ${' '.repeat(column - 1)}^`);
    expect(result.stderr).toContain('SLUICE_E_INVALID_RETRIES');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('annotates the pull request inside GitHub Actions, and prints JSON with --json', () => {
    const dir = copyExample('minimal');
    writeFileSync(join(dir, 'pipeline.ts'), broken);
    const annotated = spawnSync(process.execPath, [SLUICE_BIN, 'check'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GITHUB_ACTIONS: 'true' } });
    const column = (broken.split('\n')[3] as string).indexOf('retries') + 1;
    expect(annotated.stdout).toContain(`::error file=pipeline.ts,line=4,col=${column},title=SLUICE_E_TYPE_ERROR::Type `);
    const json = sluice(dir, 'check', '--json');
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { ok: boolean; diagnostics: { code: string; location?: { line: number } }[] };
    expect(parsed.ok).toBe(false);
    expect(parsed.diagnostics.map((d) => d.code).sort()).toEqual(['SLUICE_E_INVALID_RETRIES', 'SLUICE_E_TYPE_ERROR']);
    expect(parsed.diagnostics.every((d) => d.location?.line === 4)).toBe(true);
  });
});

describe('sluice init', () => {
  function dbtProject(extra: Record<string, string> = {}): string {
    const dir = makeProject({
      'dbt_project.yml': 'name: shop\nprofile: shop\n',
      'profiles.yml': 'shop:\n  target: dev\n  outputs:\n    dev: { type: duckdb }\n    production: { type: duckdb }\n',
      'requirements.txt': 'dbt-duckdb\n',
      ...extra,
    });
    rmSync(join(dir, 'sluice.config.ts'));
    return dir;
  }

  it('writes pipeline.ts, sluice.config.ts and package.json adapted to the project; they compile', () => {
    const dir = dbtProject({ 'package.json': '{\n  "name": "shop",\n  "scripts": { "lint": "sqlfluff lint" }\n}\n' });
    const result = sluice(dir, 'init');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("full builds 'production', slim builds 'dev'");
    expect(result.stdout).toContain('Next:\n  npm install\n  npm run compile\n');
    expect(readFileSync(join(dir, 'pipeline.ts'), 'utf8')).toContain('dbt.build({ target: "production" })');
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(manifest.scripts).toEqual({ lint: 'sqlfluff lint', compile: 'sluice compile', check: 'sluice check' });
    expect(Object.keys(manifest.devDependencies)).toEqual(['@sluice/compiler', '@sluice/sdk']);
    expect(sluice(dir, 'compile').code).toBe(0);
    expect(sluice(dir, 'check').stdout).toBe('No problems found.\n');
  });

  it('never overwrites pipeline.ts without --force', () => {
    const dir = dbtProject({ 'pipeline.ts': '// mine\n' });
    expect(sluice(dir, 'init').stdout).toContain('kept pipeline.ts');
    expect(readFileSync(join(dir, 'pipeline.ts'), 'utf8')).toBe('// mine\n');
    expect(sluice(dir, 'init', '--force').code).toBe(0);
    expect(readFileSync(join(dir, 'pipeline.ts'), 'utf8')).toContain("pipeline('full'");
  });

  it('outside a dbt project: a usage error, nothing written', () => {
    const dir = makeProject({});
    const before = snapshotTree(dir);
    const result = sluice(dir, 'init');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('SLUICE_E_NOT_A_DBT_PROJECT');
    expect(snapshotTree(dir)).toEqual(before);
  });
});

describe('sluice compile --watch', () => {
  it('recompiles when pipeline.ts or a module it imports changes, printing what changed', async () => {
    const dir = makeProject({
      'selections.ts': "export const nightly = ['tag:nightly'];\n",
      'pipeline.ts': "import { dbt, pipeline, trigger } from '@sluice/sdk';\nimport { nightly } from './selections';\nexport const daily = pipeline('daily', { triggers: [trigger.manual()], runtime: { kind: 'image', image: 'dbt:1' }, steps: () => ({ run: dbt.build({ select: nightly }) }) });\n",
    });
    const child = spawn(process.execPath, [SLUICE_BIN, 'compile', '--watch'], { cwd: dir });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    const waitFor = async (text: string, from: number): Promise<void> => {
      for (let i = 0; i < 100 && !output.slice(from).includes(text); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(output.slice(from)).toContain(text);
    };
    await waitFor('watching 3 file(s)', 0);
    let mark = output.length;
    writeFileSync(join(dir, 'selections.ts'), "export const nightly = ['tag:nightly', 'tag:daily'];\n");
    await waitFor('updated .github/workflows/daily.yml', mark);
    expect(readFileSync(join(dir, '.github/workflows/daily.yml'), 'utf8')).toContain('dbt build --select tag:nightly tag:daily');
    mark = output.length;
    writeFileSync(join(dir, 'pipeline.ts'), readFileSync(join(dir, 'pipeline.ts'), 'utf8').replace("'daily'", "'daily'").replace('dbt.build({', 'dbt.build({ failFast: true,'));
    await waitFor('1 changed', mark);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
  });
});

describe('sluice types', () => {
  const SHARED_MANIFEST = join(REPO_ROOT, '../shared/fixtures/dbt/jaffle_shop.manifest.v12.json');
  const manifests = [
    { name: 'the project fixture', path: join(REPO_ROOT, 'test/fixtures/dbt/manifest.small.json'), models: ['dim_customers', 'fct_orders'], use: 'fct_orders', typo: 'fct_ordrs' },
    ...(existsSync(SHARED_MANIFEST) ? [{ name: 'the real jaffle_shop manifest', path: SHARED_MANIFEST, models: ['customers', 'orders', 'stg_orders'], use: 'orders', typo: 'ordrs' }] : []),
  ];

  it.each(manifests)('$name: a deterministic module that type-checks, where a typo is a type error', ({ path, models, use, typo }) => {
    const dir = makeProject({ 'target/manifest.json': readFileSync(path, 'utf8') });
    const first = sluice(dir, 'types');
    expect(first.code, first.stderr).toBe(0);
    const module = readFileSync(join(dir, 'dbt-names.ts'), 'utf8');
    for (const model of models) expect(module).toContain(JSON.stringify(model));
    expect(sluice(dir, 'types').stdout).toContain('unchanged dbt-names.ts');
    expect(readFileSync(join(dir, 'dbt-names.ts'), 'utf8')).toBe(module);
    if (path === SHARED_MANIFEST) expect(module.match(/^export type Model = (.*);$/m)?.[1]?.split(' | ')).toHaveLength(13);

    const pipelineSource = (name: string) => `import { dbt, pipeline, trigger } from '@sluice/sdk';\nimport { model } from './dbt-names';\nexport const p = pipeline('p', { triggers: [trigger.manual()], runtime: { kind: 'image', image: 'dbt:1' }, steps: () => ({ run: dbt.build({ select: [model('${name}').plus()] }) }) });\n`;
    writeFileSync(join(dir, 'pipeline.ts'), pipelineSource(use));
    expect(sluice(dir, 'check').stdout).toBe('No problems found.\n');
    expect(sluice(dir, 'compile').code).toBe(0);
    expect(readFileSync(join(dir, '.github/workflows/p.yml'), 'utf8')).toContain(`dbt build --select ${use}+`);
    writeFileSync(join(dir, 'pipeline.ts'), pipelineSource(typo));
    const check = sluice(dir, 'check');
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('SLUICE_E_TYPE_ERROR');
    expect(check.stderr).toContain(`'"${typo}"' is not assignable`);
  });

  it('without a manifest: a clear error naming dbt parse', () => {
    const result = sluice(makeProject({}), 'types');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SLUICE_E_MANIFEST_UNREADABLE');
    expect(result.stderr).toContain('dbt parse');
  });
});
