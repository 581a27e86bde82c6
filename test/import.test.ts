/**
 * `sluice import`: structure, typed commands, TODOs and the CLI. The semantic round trip over the
 * whole corpus is in import-roundtrip.test.ts; hostile input in import-security.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importWorkflow } from '../packages/compiler/src/import/index.js';
import { makeProject, REPO_ROOT, SLUICE_BIN, snapshotTree } from './helpers/project.js';

const CORPUS = join(REPO_ROOT, 'test/fixtures/import');
const load = async (name: string) => importWorkflow(name, readFileSync(join(CORPUS, name), 'utf8'));
const stepLine = (code: string, id: string): string => code.split('\n').find((line) => line.trim().startsWith(`const ${id} = `)) ?? '';

describe('structure', () => {
  it("keeps jaffle-shop's three warehouse jobs parallel, each with its own job env", async () => {
    const { code, report } = await load('jaffle-shop-ci.yml');
    const ids = ['buildOnSnowflake', 'buildOnBigQuery', 'buildOnDatabricks'];
    for (const id of ids) expect(stepLine(code, id)).not.toContain('needs:');
    expect(stepLine(code, 'buildOnSnowflake')).toContain('DBT_PROJECT_ID: "70403103916814"');
    expect(stepLine(code, 'buildOnBigQuery')).toContain('DBT_PROJECT_ID: "70403103916815"');
    expect(stepLine(code, 'buildOnDatabricks')).toContain('DBT_API_KEY: secret("DBT_CI_DATABRICKS_KEY")');
    // The env value computed from github.head_ref is not copied as a literal: it is a TODO with its YAML.
    expect(code).not.toMatch(/DBT_JOB_SCHEMA_OVERRIDE: "/);
    expect(report.todos).toHaveLength(1);
    expect(report.todos[0]?.what).toContain('jobs.snowflake.env.DBT_JOB_SCHEMA_OVERRIDE');
    expect(report.todos[0]?.original).toContain('github.head_ref');
    expect(report.mapped.filter((line) => line.includes('pip install -q -r requirements.txt -> runtime.python'))).toHaveLength(3);
  });

  it('a notify job on always() stays always(), after failures and cancellations', async () => {
    const { code, report } = await load('run-docs-upload-notify.yml');
    expect(stepLine(code, 'slackGithubAction')).toContain('needs: [build, publishDocs], if: when.always()');
    expect(stepLine(code, 'dbtDocsGenerate')).toContain('needs: build');
    expect(stepLine(code, 'dbtDocsGenerate')).not.toContain('if:');
    expect(report.todos).toEqual([]);
  });

  it('needs.X.result and steps.X.outcome become status checks on the right steps', async () => {
    const { code } = await load('lint-and-build.yml');
    expect(stepLine(code, 'buildFailed')).toContain('if: when.and(when.always(), when.failed(build))');
    const { code: gated } = await load('freshness-gate.yml');
    expect(stepLine(gated, 'freshness')).toContain('allowFailure: true');
    expect(stepLine(gated, 'build')).not.toContain('if:');
    expect(stepLine(gated, 'staleSources')).toContain('when.failed(freshness)');
    // GitHub's step-level failure(): an earlier step of the job failed (freshness is continue-on-error).
    expect(stepLine(gated, 'buildFailed')).toContain('if: when.or(when.failed(build), when.failed(staleSources))');
  });

  it("contains(needs.*.result, 'failure') on an always() job: some needed job failed, even after a cancellation", async () => {
    const { code, report } = await load('notify-on-any-failure.yml');
    expect(stepLine(code, 'pageTheOnCall')).toContain('if: when.and(when.always(), when.or(when.failed(build), when.failed(freshness)))');
    expect(report.todos).toEqual([]);
  });

  it("always() && '!cancelled()' is always() (what the workflow does), with a note on what was meant", async () => {
    const { code, report } = await load('truthy-string-bug.yml');
    expect(stepLine(code, 'notifyStep')).toContain('if: when.always()');
    expect(report.notes.join('\n')).toMatch(/'!cancelled\(\)' is a string.*suggested: if: when\.or\(when\.succeeded\(build\), when\.failed\(build\), when\.skipped\(build\)\)/s);
  });

  it('a status check without a status function never runs on GitHub, and import keeps it so', async () => {
    const { code, report } = await importWorkflow('slim.yml', readFileSync(join(REPO_ROOT, 'test/fixtures/workflows/slim.yml'), 'utf8'));
    expect(stepLine(code, 'onFailure')).toContain('if: when.not(when.always())');
    expect(report.notes.join('\n')).toContain('can never be true');
  });
});

describe('commands', () => {
  const workflow = (run: string): string => `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - name: S\n        run: ${JSON.stringify(run)}\n`;

  it('splits words like bash does and types dbt flags', async () => {
    const { code } = await importWorkflow('w.yml', workflow('dbt build --select "tag:a tag:b" --exclude tag:slow -t prod --threads 4 --vars \'{"d": "2024-01-01"}\''));
    expect(stepLine(code, 's')).toContain('dbt.build({ select: ["tag:a", "tag:b"], exclude: ["tag:slow"], target: "prod", threads: 4, vars: { d: "2024-01-01" } })');
  });

  it('keeps an unknown dbt flag as an exact argv, and a line that needs a shell as a script', async () => {
    expect(stepLine((await importWorkflow('w.yml', workflow('dbt build --warn-error'))).code, 's')).toContain('shell(["dbt", "build", "--warn-error"])');
    // GitHub's default shell has no pipefail; Sluice's has: the import keeps the original's meaning.
    expect(stepLine((await importWorkflow('w.yml', workflow('dbt build | tee log.txt'))).code, 's')).toContain('shell.script("set +o pipefail\\ndbt build | tee log.txt\\n")');
    expect(stepLine((await importWorkflow('w.yml', workflow('dbt build || true'))).code, 's')).toContain('shell.script("dbt build || true\\n")');
    expect(stepLine((await importWorkflow('w.yml', workflow('dbt build --target $TARGET'))).code, 's')).toContain('shell.script(');
  });

  it("types a boolean input's `&& '--full-refresh' || ''` as fullRefresh, and only gives commands the options they take", async () => {
    const source = `on:\n  workflow_dispatch:\n    inputs:\n      fr: { type: boolean, default: false }\njobs:\n  a:\n    steps:\n      - name: S\n        run: dbt run \${{ inputs.fr && '--full-refresh' || '' }}\n      - name: T\n        run: dbt test --full-refresh\n`;
    const { code } = await importWorkflow('w.yml', source);
    expect(stepLine(code, 's')).toContain('dbt.run({ fullRefresh: inputs.fr })');
    expect(stepLine(code, 't')).toContain('shell(["dbt", "test", "--full-refresh"]');
  });

  it('recognises pip and dbt deps lines as set-up', async () => {
    const { code, report } = await importWorkflow('w.yml', workflow('python -m pip install --upgrade pip\npip install -q -r requirements/ci.txt\ndbt deps'));
    expect(code).toContain('runtime: runtime.python({ requirements: "requirements/ci.txt" })');
    expect(report.steps).toEqual([]);
    expect(report.todos.map((item) => item.what)).toEqual(['no step of the workflow could be imported; add steps by hand']);
  });
});

describe('nothing is dropped silently', () => {
  it('every construct Sluice does not represent is a todo(...) carrying its YAML', async () => {
    const { code, report } = await load('services-and-container.yml');
    const whats = report.todos.map((item) => item.what).join('\n');
    expect(report.mapped).toContain('concurrency -> { cancelInProgress: true }');
    expect(whats).toContain("'container'");
    expect(whats).toContain("'services'");
    expect(whats).toContain('steps[2].env.DBT_SCHEMA');
    expect(report.todos.find((item) => item.what.includes('DBT_SCHEMA'))?.original).toContain("format('pr_{0}', github.event.number)");
    expect(code.match(/todo\(/g)).toHaveLength(report.todos.length);
    const { report: pages } = await load('slim-ci-gh-pages.yml');
    expect(pages.todos[0]?.what).toContain('checks out with ref, path');
    expect(pages.todos[0]?.original).toContain('ref: gh-pages');
  });
});

describe('the CLI', () => {
  it('writes the pipeline, prints the report, and check fails on each todo at its line', () => {
    const dir = makeProject({ 'ci.yml': readFileSync(join(CORPUS, 'matrix-targets.yml'), 'utf8') });
    const imported = spawnSync(process.execPath, [SLUICE_BIN, 'import', 'ci.yml', '--out', 'pipeline.ts'], { cwd: dir, encoding: 'utf8' });
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('wrote pipeline.ts');
    expect(imported.stdout).toMatch(/Mapped \(\d+\):[\s\S]*dbt build --target \$\{\{ matrix.target \}\} -> shell.script[\s\S]*TODO \(2\)/);
    const check = spawnSync(process.execPath, [SLUICE_BIN, 'check', '--json'], { cwd: dir, encoding: 'utf8' });
    expect(check.status).toBe(1);
    const diagnostics = (JSON.parse(check.stdout) as { diagnostics: { code: string; location?: { file: string; line: number } }[] }).diagnostics;
    const lines = readFileSync(join(dir, 'pipeline.ts'), 'utf8').split('\n');
    expect(diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['SLUICE_E_IMPORT_TODO', 'SLUICE_E_IMPORT_TODO']);
    for (const diagnostic of diagnostics) expect(lines[(diagnostic.location?.line ?? 0) - 1]).toMatch(/^\s*todo\(/);
    const before = snapshotTree(dir);
    const compile = spawnSync(process.execPath, [SLUICE_BIN, 'compile'], { cwd: dir, encoding: 'utf8' });
    expect(compile.status).toBe(1);
    expect(compile.stderr).toContain('SLUICE_E_IMPORT_TODO');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('--json gives the same report, with the code when there is no --out', () => {
    const dir = makeProject({ 'ci.yml': readFileSync(join(CORPUS, 'nightly.yml'), 'utf8') });
    const result = spawnSync(process.execPath, [SLUICE_BIN, 'import', 'ci.yml', '--json'], { cwd: dir, encoding: 'utf8' });
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { pipeline: string; mapped: string[]; todos: unknown[]; code: string; steps: { id: string }[] };
    expect(report.pipeline).toBe('nightly');
    expect(report.todos).toEqual([]);
    expect(report.steps.map((step) => step.id)).toEqual(['seed', 'run', 'test', 'tellSlack']);
    expect(report.code).toContain("export const nightly = pipeline(");
  });

  it('a workflow whose only step runs a script imports and compiles', () => {
    const dir = makeProject({ 'ci.yml': readFileSync(join(CORPUS, 'script-only.yml'), 'utf8') });
    expect(spawnSync(process.execPath, [SLUICE_BIN, 'import', 'ci.yml', '--out', 'pipeline.ts'], { cwd: dir, encoding: 'utf8' }).status).toBe(0);
    expect(readFileSync(join(dir, 'pipeline.ts'), 'utf8')).toContain('shell(["./scripts/run_dbt.sh", "prod"])');
    const compile = spawnSync(process.execPath, [SLUICE_BIN, 'compile'], { cwd: dir, encoding: 'utf8' });
    expect(compile.status, compile.stderr).toBe(0);
  });

  it('refuses to write over an existing file, and reports unreadable YAML with a code', () => {
    const dir = makeProject({ 'w.yml': 'on: push\njobs: {}\n', 'bad.yml': 'on: [push\n', 'pipeline.ts': '// mine\n' });
    const result = spawnSync(process.execPath, [SLUICE_BIN, 'import', 'w.yml', '--out', 'pipeline.ts'], { cwd: dir, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(readFileSync(join(dir, 'pipeline.ts'), 'utf8')).toBe('// mine\n');
    const bad = spawnSync(process.execPath, [SLUICE_BIN, 'import', 'bad.yml'], { cwd: dir, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error SLUICE_E_IMPORT_UNREADABLE: bad\.yml is not a readable workflow/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
