/** Temporary projects on disk, for tests that go through the loader or the real CLI. */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SLUICE_BIN = join(REPO_ROOT, 'packages/compiler/bin/sluice.js');

const DEFAULT_CONFIG = "import { defineConfig } from '@sluice/sdk';\nexport default defineConfig({ target: 'github' });\n";

/** A fresh project with the given files; node_modules links to the repository's so imports resolve. */
export function makeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-test-'));
  for (const [path, content] of Object.entries({ 'sluice.config.ts': DEFAULT_CONFIG, ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** A copy of an example (without node_modules), for CLI tests that change files. */
export function copyExample(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sluice-${name}-`));
  cpSync(join(REPO_ROOT, 'examples', name), dir, { recursive: true, filter: (source) => !source.includes('node_modules') });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Every file below `dir` (except node_modules) with its content: to prove a command wrote nothing. */
export function snapshotTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string): void => {
    for (const name of readdirSync(current)) {
      if (name === 'node_modules') continue;
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

export function examplesWithConfig(): string[] {
  return readdirSync(join(REPO_ROOT, 'examples'))
    .filter((name) => {
      try {
        return statSync(join(REPO_ROOT, 'examples', name, 'sluice.config.ts')).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}
