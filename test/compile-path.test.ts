/**
 * The compile path stays light: `sluice compile` never loads TypeScript's compiler or ts-morph
 * (those belong to `sluice check` and code generation), nor zod (the generated IR check answers
 * first), and `sluice --help` loads the CLI's entry file and nothing of the compiler.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { REPO_ROOT, SLUICE_BIN } from './helpers/project.js';

it('sluice compile loads neither typescript nor ts-morph', () => {
  const log = join(mkdtempSync(join(tmpdir(), 'sluice-modules-')), 'modules.log');
  const result = spawnSync(process.execPath, ['--import', join(REPO_ROOT, 'test/helpers/record-modules.mjs'), SLUICE_BIN, 'compile', '--check'], {
    cwd: join(REPO_ROOT, 'examples/dbt-metric'),
    env: { ...process.env, SLUICE_MODULE_LOG: log },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  const modules = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  expect(modules.some((url) => url.includes('/packages/compiler/'))).toBe(true);
  expect(modules.some((url) => url.includes('/esbuild/'))).toBe(true);
  expect(modules.filter((url) => /node_modules\/(typescript|ts-morph|@ts-morph|zod)\//.test(url))).toEqual([]);
});

function modulesLoadedBy(args: string[], cwd: string): string[] {
  const log = join(mkdtempSync(join(tmpdir(), 'sluice-modules-')), 'modules.log');
  const result = spawnSync(process.execPath, ['--import', join(REPO_ROOT, 'test/helpers/record-modules.mjs'), SLUICE_BIN, ...args], { cwd, env: { ...process.env, SLUICE_MODULE_LOG: log }, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

it('sluice compile --help loads no command, no SDK, no target and no dependency', () => {
  const modules = modulesLoadedBy(['compile', '--help'], REPO_ROOT).filter((url) => !url.startsWith('node:'));
  expect(modules.filter((url) => !/packages\/compiler\/(bin\/sluice\.js|dist\/cli\/)/.test(url))).toEqual([]);
  // The entry and only the small chunks it shares with the commands (version, exit codes, helpers).
  expect(modules.filter((url) => url.includes('/dist/cli/chunks/')).length).toBeLessThanOrEqual(3);
});

it('sluice --help and --version print what the CLI itself prints, loading nothing but the bin', async () => {
  const { main } = (await import(pathToFileURL(join(REPO_ROOT, 'packages/compiler/dist/cli/sluice.js')).href)) as { main: (argv: string[], io: { stdout: (t: string) => void; stderr: (t: string) => void; cwd: string }) => Promise<number> };
  for (const flag of ['--help', '-h', '--version', '-V']) {
    let expected = '';
    expect(await main([flag], { stdout: (text) => (expected += text), stderr: (text) => (expected += text), cwd: REPO_ROOT })).toBe(0);
    const printed = spawnSync(process.execPath, [SLUICE_BIN, flag], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(printed.status).toBe(0);
    expect(printed.stdout, flag).toBe(expected);
    expect(expected).toMatch(flag.includes('h') ? /^Usage: sluice / : /^\d+\.\d+\.\d+/);
  }
  const modules = modulesLoadedBy(['--help'], REPO_ROOT).filter((url) => !url.startsWith('node:'));
  expect(modules.map((url) => url.replace(/^.*\/packages\//, 'packages/'))).toEqual(['packages/compiler/bin/sluice.js']);
});

it('a failing pipeline loads zod, to say exactly which value is wrong', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-zod-'));
  cpSync(join(REPO_ROOT, 'test/corpus/bad/description-is-a-number.ts'), join(dir, 'pipeline.ts'));
  writeFileSync(join(dir, 'sluice.config.ts'), "import { defineConfig } from '@sluice/sdk';\nexport default defineConfig({ target: 'github' });\n");
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const log = join(dir, 'modules.log');
  const result = spawnSync(process.execPath, ['--import', join(REPO_ROOT, 'test/helpers/record-modules.mjs'), SLUICE_BIN, 'compile'], { cwd: dir, env: { ...process.env, SLUICE_MODULE_LOG: log }, encoding: 'utf8' });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('SLUICE_E_WRONG_TYPE');
  expect(readFileSync(log, 'utf8')).toMatch(/node_modules\/zod\//);
});
