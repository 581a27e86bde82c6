/**
 * Crash safety: `sluice compile` killed with SIGKILL at random moments while it writes never leaves
 * a truncated or mixed file: each generated file is the old version or the new one; the next
 * compile removes any temp file left behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, SLUICE_BIN, snapshotTree } from './helpers/project.js';

const RUNS = Number(process.env.SLUICE_CRASH_RUNS ?? 30);

describe('crash safety', () => {
  it(`killing compile at ${RUNS} random moments leaves every file old or new`, { timeout: 300_000 }, async () => {
    const dir = copyExample('dbt-metric');
    const generated = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).filter(([path]) => /^(\.github|argo|docker\/entrypoint)/.test(path)));
    const oldFiles = generated(snapshotTree(dir));
    const pipelineFile = join(dir, 'pipeline.ts');
    writeFileSync(pipelineFile, readFileSync(pipelineFile, 'utf8').replaceAll("target: 'prod'", "target: 'production'"));
    // The new versions, from a compile in a second copy.
    const reference = copyExample('dbt-metric');
    writeFileSync(join(reference, 'pipeline.ts'), readFileSync(pipelineFile, 'utf8'));
    expect(spawnSync(process.execPath, [SLUICE_BIN, 'compile'], { cwd: reference }).status).toBe(0);
    const newFiles = generated(snapshotTree(reference));
    expect(newFiles).not.toEqual(oldFiles);

    let killedMidway = 0;
    for (let run = 0; run < RUNS; run += 1) {
      const child = spawn(process.execPath, [SLUICE_BIN, 'compile'], { cwd: dir, stdio: 'ignore' });
      const delay = Math.floor(Math.random() * 900);
      const exit = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), delay);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
      if (exit === null) killedMidway += 1;
      const now = snapshotTree(dir);
      for (const [path, content] of Object.entries(generated(now))) {
        if (/\.sluice-tmp-\d+$/.test(path)) continue;
        expect([oldFiles[path], newFiles[path]], `${path} after a kill at ${delay} ms`).toContain(content);
      }
      // Start from the old files again so each kill can land mid-write.
      for (const [path, content] of Object.entries(oldFiles)) writeFileSync(join(dir, path), content);
    }
    console.log(`crash safety: ${RUNS} compiles, ${killedMidway} killed before they finished`);
    expect(spawnSync(process.execPath, [SLUICE_BIN, 'compile'], { cwd: dir }).status).toBe(0);
    const final = snapshotTree(dir);
    expect(Object.keys(final).filter((path) => path.includes('.sluice-tmp-'))).toEqual([]);
    expect(generated(final)).toEqual(newFiles);
    expect(existsSync(join(dir, 'argo/full.yaml'))).toBe(true);
  });
});
