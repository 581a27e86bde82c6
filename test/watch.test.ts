/**
 * `compile --watch` as editors save: vim, VS Code and JetBrains IDEs write a temporary file and rename
 * it over the original. Every such save must recompile, not only the first.
 */
import { spawn } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { makeProject, SLUICE_BIN } from './helpers/project.js';

const pipelineWith = (select: string): string =>
  `import { dbt, pipeline, trigger } from '@sluice/sdk';\nimport { nightly } from './selections';\nexport const daily = pipeline('daily', { triggers: [trigger.manual()], runtime: { kind: 'image', image: 'dbt:1' }, steps: () => ({ run: dbt.build({ select: [...nightly, ${JSON.stringify(select)}] }) }) });\n`;

/** Writes beside the file, then renames over it: a new inode each time. */
function atomicSave(path: string, content: string): void {
  writeFileSync(`${path}.swp`, content);
  renameSync(`${path}.swp`, path);
}

it('recompiles after every write-then-rename save, of pipeline.ts and of a module it imports', async () => {
  const dir = makeProject({ 'selections.ts': "export const nightly = ['tag:nightly'];\n", 'pipeline.ts': pipelineWith('a') });
  const child = spawn(process.execPath, [SLUICE_BIN, 'compile', '--watch'], { cwd: dir });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const waitFor = async (text: string, from: number): Promise<void> => {
    for (let i = 0; i < 200 && !output.slice(from).includes(text); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(output.slice(from), `waiting for ${text}`).toContain(text);
  };
  const workflow = (): string => readFileSync(join(dir, '.github/workflows/daily.yml'), 'utf8');
  try {
    await waitFor('watching 3 file(s)', 0);
    for (const select of ['b', 'c', 'd']) {
      const mark = output.length;
      atomicSave(join(dir, 'pipeline.ts'), pipelineWith(select));
      await waitFor('updated .github/workflows/daily.yml', mark);
      expect(workflow()).toContain(`tag:nightly ${select}`);
    }
    const mark = output.length;
    atomicSave(join(dir, 'selections.ts'), "export const nightly = ['tag:hourly'];\n");
    await waitFor('updated .github/workflows/daily.yml', mark);
    expect(workflow()).toContain('tag:hourly d');
    // A file in the same directory that no compile read does not trigger one.
    const quiet = output.length;
    writeFileSync(join(dir, 'notes.md'), 'unrelated\n');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(output.slice(quiet)).toBe('');
  } finally {
    child.kill('SIGINT');
  }
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code).toBe(0);
});
