/**
 * Sluice as a dbt team gets it: the three packages packed with `npm pack` (exactly what would be
 * published), checked by publint and Are the Types Wrong, then installed from the tarballs (no
 * workspace links) into a fresh dbt repository outside the workspace, following the README's
 * own-repository path: `npm install --save-dev`, `npx sluice init`, `npm run compile`,
 * `npx sluice check`, and the team's own `tsc` with strict settings and no @types/node.
 *
 * The install uses the npm cache that `npm ci` filled (`--prefer-offline`): every dependency of the
 * tarballs is a dependency of the workspace too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entrypointChecklist, githubChecklist } from './helpers/checklists.js';
import { PACKAGES, packPackages, type PackageName, type Packed } from './helpers/pack.js';
import { REPO_ROOT, snapshotTree } from './helpers/project.js';
import { actionlintFindings, githubParserErrors } from './helpers/validators.js';

const work = mkdtempSync(join(tmpdir(), 'sluice-adoption-'));
let packed: Record<PackageName, Packed>;

beforeAll(() => {
  packed = packPackages(work);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed tarballs', () => {
  it.each(PACKAGES)('@sluice/%s holds its built code, declarations, license and nothing of the tests', (name) => {
    const { files, version } = packed[name];
    expect(version).toBe((JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/index.d.ts.map']));
    expect(files.filter((file) => /\.test\.ts$|(^|\/)test\/|tsconfig/.test(file))).toEqual([]);
    if (name === 'compiler') expect(files).toEqual(expect.arrayContaining(['bin/sluice.js', 'dist/cli/sluice.js']));
  });

  it.each(PACKAGES)('@sluice/%s: publint finds nothing, not even a suggestion', async (name) => {
    const { publint } = await import('publint');
    const { formatMessage } = await import('publint/utils');
    const data = readFileSync(packed[name].tarball);
    const tarball = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
    const { messages, pkg } = await publint({ pack: { tarball }, level: 'suggestion', strict: true });
    expect(messages.map((message) => `${message.type}: ${formatMessage(message, pkg) ?? message.code}`)).toEqual([]);
  });

  it('publint does flag the mistake issue 14 found (types pointing at a file the tarball lacks)', async () => {
    const { publint } = await import('publint');
    const manifest = { name: '@sluice/sdk', version: '0.1.0', type: 'module', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } };
    const files = [
      { name: 'package/package.json', data: JSON.stringify(manifest) },
      { name: 'package/dist/index.js', data: 'export {};\n' },
    ];
    const { messages } = await publint({ pkgDir: 'package', pack: { files }, level: 'suggestion', strict: true });
    expect(messages.filter((message) => message.type === 'error').length).toBeGreaterThan(0);
  });

  it.each(PACKAGES)('@sluice/%s: Are the Types Wrong finds no problem for an ES module package', { timeout: 120_000 }, (name) => {
    // esm-only: these packages are ES modules with no CommonJS entry, so `require()` and node10
    // resolution are out of scope; every ESM and bundler resolution must find the types.
    const result = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js'), packed[name].tarball, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'json'], { encoding: 'utf8' });
    const report = JSON.parse(result.stdout) as { analysis: { problems?: { kind: string; resolutionKind?: string }[] } };
    const ignoredByProfile = ['node10', 'node16-cjs'];
    expect((report.analysis.problems ?? []).filter((problem) => !ignoredByProfile.includes(problem.resolutionKind ?? ''))).toEqual([]);
    expect(result.status, result.stderr).toBe(0);
  });
});

describe('a dbt repository adopting Sluice from the tarballs', () => {
  const repo = join(work, 'shop-dbt');
  const run = (command: string, args: string[]) => spawnSync(command, args, { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '' } });
  const npx = (...args: string[]) => run('npx', ['--no-install', ...args]);

  beforeAll(() => {
    mkdirSync(join(repo, 'models'), { recursive: true });
    writeFileSync(join(repo, 'dbt_project.yml'), "name: shop\nversion: '1.0.0'\nprofile: shop\n");
    writeFileSync(join(repo, 'profiles.yml'), 'shop:\n  target: dev\n  outputs:\n    dev: { type: duckdb, path: dev.duckdb }\n    prod: { type: duckdb, path: prod.duckdb }\n');
    writeFileSync(join(repo, 'requirements.txt'), 'dbt-core==1.10.2\ndbt-duckdb==1.9.4\n');
    writeFileSync(join(repo, 'models/orders.sql'), 'select 1 as id\n');
    writeFileSync(join(repo, 'package.json'), `${JSON.stringify({ name: 'shop-dbt', private: true }, null, 2)}\n`);
    // The README's install, from the tarballs; typescript is the team's own, for `sluice check` and tsc.
    const tarballs = PACKAGES.map((name) => packed[name].tarball);
    execFileSync('npm', ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, 'typescript@^7'], { cwd: repo, stdio: 'pipe' });
  }, 300_000);

  it('installs real copies outside the workspace, without @types/node and without ts-morph', () => {
    expect(relative(REPO_ROOT, repo).startsWith('..')).toBe(true);
    for (const name of PACKAGES) expect(lstatSync(join(repo, 'node_modules/@sluice', name)).isSymbolicLink()).toBe(false);
    expect(() => lstatSync(join(repo, 'node_modules/@types/node'))).toThrow();
    expect(() => lstatSync(join(repo, 'node_modules/ts-morph'))).toThrow();
  });

  it('init, compile and check succeed, and the team’s own strict tsc finds no error', { timeout: 240_000 }, async () => {
    const init = npx('sluice', 'init');
    expect(init.status, init.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
    expect(manifest.scripts.compile).toBe('sluice compile');
    // init keeps the tarball specs npm wrote (a registry range would break the next npm install).
    expect(manifest.devDependencies['@sluice/compiler']).toMatch(/^file:/);

    const compile = run('npm', ['run', 'compile', '--silent']);
    expect(compile.status, compile.stderr).toBe(0);
    const workflows = Object.entries(snapshotTree(repo)).filter(([path]) => path.startsWith('.github/workflows/'));
    expect(workflows.map(([path]) => path).sort()).toEqual(['.github/workflows/full.yml', '.github/workflows/slim.yml']);
    for (const [path, content] of workflows) {
      expect(await githubParserErrors(path, content), path).toEqual([]);
      expect(await actionlintFindings(path, content), path).toEqual([]);
      expect(githubChecklist(content), path).toEqual([]);
    }
    // init's production state is a GitHub artifact, which exists only on GitHub: compiling for the
    // container is refused, naming the way out and writing nothing; the team follows the hint.
    const beforeRefusal = snapshotTree(repo);
    const refused = npx('sluice', 'compile', '--target', 'entrypoint');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('SLUICE_E_TARGET_UNSUPPORTED');
    expect(refused.stderr).toContain("state.s3('s3://...')");
    expect(snapshotTree(repo)).toEqual(beforeRefusal);
    const pipelineSource = readFileSync(join(repo, 'pipeline.ts'), 'utf8');
    expect(pipelineSource).toContain("state.githubArtifact({ pipeline: 'full' })");
    writeFileSync(join(repo, 'pipeline.ts'), pipelineSource.replace("state.githubArtifact({ pipeline: 'full' })", "state.s3('s3://shop-dbt-state/prod')"));
    expect(run('npm', ['run', 'compile', '--silent']).status).toBe(0);
    const entrypoint = npx('sluice', 'compile', '--target', 'entrypoint');
    expect(entrypoint.status, entrypoint.stderr).toBe(0);
    const script = readFileSync(join(repo, 'docker/entrypoint.sh'), 'utf8');
    expect(entrypointChecklist(script)).toEqual([]);
    expect(spawnSync('bash', ['-n', join(repo, 'docker/entrypoint.sh')]).status).toBe(0);

    const upToDate = npx('sluice', 'compile', '--check');
    expect(upToDate.status, upToDate.stdout + upToDate.stderr).toBe(0);
    const check = npx('sluice', 'check');
    expect(check.stdout + check.stderr).toContain('No problems found.');
    expect(check.status).toBe(0);

    writeFileSync(join(repo, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', types: [] }, include: ['pipeline.ts', 'sluice.config.ts'] }));
    const tsc = npx('tsc', '-p', '.');
    expect(tsc.stdout).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('check reports a type error the SDK’s types find in the pipeline, where the team’s tsc finds it', { timeout: 120_000 }, () => {
    const pipeline = join(repo, 'pipeline.ts');
    const original = readFileSync(pipeline, 'utf8');
    const lines = original.split('\n');
    const index = lines.findIndex((line) => line.includes('const run = dbt.build({ target:'));
    expect(index).toBeGreaterThan(0);
    lines[index] = (lines[index] as string).replace('dbt.build({ target:', "dbt.build({ retries: 'two', target:");
    writeFileSync(pipeline, lines.join('\n'));
    try {
      const check = npx('sluice', 'check', '--json');
      expect(check.status).toBe(1);
      const report = JSON.parse(check.stdout) as { diagnostics: { code: string; location?: { file: string; line: number } }[] };
      expect(report.diagnostics).toContainEqual(expect.objectContaining({ code: 'SLUICE_E_TYPE_ERROR', location: expect.objectContaining({ file: 'pipeline.ts', line: index + 1 }) }));
      const tsc = npx('tsc', '-p', '.');
      expect(tsc.status).toBe(1);
      expect(tsc.stdout).toContain(`pipeline.ts(${index + 1},`);
      // compile does not type-check, but validation still refuses the value, writing nothing.
      const before = snapshotTree(repo);
      const compile = npx('sluice', 'compile');
      expect(compile.status).toBe(1);
      expect(compile.stderr).toContain('SLUICE_E_INVALID_RETRIES');
      expect(compile.stderr).not.toMatch(/\n\s+at /);
      expect(snapshotTree(repo)).toEqual(before);
    } finally {
      writeFileSync(pipeline, original);
    }
  });

  it('check reports a type error inside a dependency’s TypeScript sources instead of hiding it', { timeout: 120_000 }, () => {
    mkdirSync(join(repo, 'node_modules/shop-helpers'), { recursive: true });
    writeFileSync(join(repo, 'node_modules/shop-helpers/package.json'), JSON.stringify({ name: 'shop-helpers', version: '1.0.0', type: 'module', exports: { '.': './index.ts' } }));
    writeFileSync(join(repo, 'node_modules/shop-helpers/index.ts'), "export const nightly: string = 5;\n");
    const pipeline = join(repo, 'pipeline.ts');
    const original = readFileSync(pipeline, 'utf8');
    writeFileSync(pipeline, `import { nightly } from 'shop-helpers';\nvoid nightly;\n${original}`);
    try {
      const check = npx('sluice', 'check', '--json');
      const report = JSON.parse(check.stdout) as { diagnostics: { code: string; location?: { file: string } }[] };
      expect(report.diagnostics).toContainEqual(expect.objectContaining({ code: 'SLUICE_E_TYPE_ERROR', location: expect.objectContaining({ file: 'node_modules/shop-helpers/index.ts' }) }));
      expect(check.status).toBe(1);
    } finally {
      writeFileSync(pipeline, original);
      rmSync(join(repo, 'node_modules/shop-helpers'), { recursive: true, force: true });
    }
  });

  it('types says how to install ts-morph, the optional dependency it needs, with no stack trace', () => {
    mkdirSync(join(repo, 'target'), { recursive: true });
    writeFileSync(join(repo, 'target/manifest.json'), JSON.stringify({ metadata: { project_name: 'shop' }, nodes: { 'model.shop.orders': { resource_type: 'model', name: 'orders' } } }));
    const types = npx('sluice', 'types');
    expect(types.status).toBe(1);
    expect(types.stderr).toContain('SLUICE_E_MISSING_DEPENDENCY');
    expect(types.stderr).toContain('npm install --save-dev ts-morph');
    expect(types.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints the one version, the root package.json’s', () => {
    const version = npx('sluice', '--version');
    expect(version.stdout.trim()).toBe(packed.compiler.version);
  });
});
