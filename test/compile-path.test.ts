/**
 * The compile path stays light: `sluice compile` never loads TypeScript's compiler or ts-morph
 * (those belong to `sluice check` and code generation), whatever it compiles.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  expect(modules.filter((url) => /node_modules\/(typescript|ts-morph|@ts-morph)\//.test(url))).toEqual([]);
});
