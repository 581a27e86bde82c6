/**
 * Unused code check: knip (its CLI, JSON reporter) over the whole workspace, with the entry points
 * declared in knip.jsonc (package.json `exports` and `bin`, scripts/, bench/, tests, the examples'
 * pipeline.ts and sluice.config.ts). Every unused file, export, type and dependency it reports fails
 * the test, each listed by file and name. Fix by deleting the dead code or un-exporting what only its
 * own module uses; configure knip (by name, with the reason) only where it cannot see a real use.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/project.js';

// knip's package `exports` hide its bin and package.json: the bin by its path in the workspace.
const KNIP_BIN = join(REPO_ROOT, 'node_modules/knip/bin/knip.js');

/** The issue kinds of knip's JSON report (each an array of `{ name, line?, col? }` per file). */
type KnipIssue = { name: string; line?: number; col?: number };
type KnipFileReport = { file: string } & Record<string, unknown>;

interface KnipRun {
  /** One line per finding: `file:line kind name`. */
  findings: string[];
  /** 0: nothing found; 1: findings or configuration hints (treatConfigHintsAsErrors); 2: knip failed. */
  status: number | null;
  stderr: string;
}

function runKnip(cwd: string, reporter: 'json' | 'symbols' = 'json'): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(process.execPath, [KNIP_BIN, '--no-progress', '--reporter', reporter], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

function unusedCode(cwd: string): KnipRun {
  const { stdout, stderr, status } = runKnip(cwd);
  if (status === 2 || !stdout.trim().startsWith('{')) throw new Error(`knip did not run (exit ${status}):\n${stderr}\n${stdout}`);
  const report = JSON.parse(stdout) as { issues: KnipFileReport[] };
  const findings = report.issues.flatMap(({ file, ...kinds }) =>
    Object.entries(kinds).flatMap(([kind, issues]) => {
      if (!Array.isArray(issues)) return [];
      return (issues as KnipIssue[]).map((issue) => `${file}${issue.line === undefined ? '' : `:${issue.line}`} ${kind} ${issue.name}`);
    }),
  );
  return { findings: findings.sort(), status, stderr };
}

describe('unused code (knip)', () => {
  it('reports an unused file, export, type and dependency in a project made to have them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-knip-'));
    try {
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'knip-probe', private: true, type: 'module', exports: './src/index.ts', dependencies: { 'left-pad': '1.3.0' } }));
      writeFileSync(join(dir, 'src/index.ts'), "import { used } from './lib.js';\nexport const api = used;\n");
      writeFileSync(join(dir, 'src/lib.ts'), 'export const used = 1;\nexport const forgotten = 2;\nexport type ForgottenType = string;\n');
      writeFileSync(join(dir, 'src/orphan.ts'), 'export const nobody = 3;\n');
      const { findings, status } = unusedCode(dir);
      expect(status).toBe(1);
      expect(findings).toEqual(['package.json dependencies left-pad', 'src/lib.ts:2 exports forgotten', 'src/lib.ts:3 types ForgottenType', 'src/orphan.ts files src/orphan.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('finds nothing unused in the workspace, and no stale line in knip.jsonc', () => {
    const { findings, status, stderr } = unusedCode(REPO_ROOT);
    expect(findings, 'unused code: delete it, un-export it, or (only if knip is wrong) configure knip.jsonc by name').toEqual([]);
    // With no finding, a non-zero exit is a configuration hint (a redundant entry, an ignore that ignores nothing).
    const hints = status === 0 ? '' : runKnip(REPO_ROOT, 'symbols').stdout;
    expect({ status, hints, stderr }).toEqual({ status: 0, hints: '', stderr: '' });
  }, 120_000);
});
