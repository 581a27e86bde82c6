/**
 * `compile --watch` as editors save and as users break things: vim, VS Code and JetBrains IDEs write a
 * temporary file and rename it over the original; vim may instead rename the original to a backup
 * and write a new file; files get deleted and recreated. Every such save must recompile, a compile
 * that fails (a broken config, a broken imported module) must leave the watcher alive and listening
 * to every file involved, and the watcher must end with 0 on SIGINT and SIGTERM.
 *
 * Real processes and real renames; no sleep is an assertion: each step waits for an output line,
 * with a deadline.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, SLUICE_BIN } from './helpers/project.js';

const pipelineWith = (select: string, module = './selections'): string =>
  `import { dbt, pipeline, trigger } from '@sluice/sdk';\nimport { nightly } from '${module}';\nexport const daily = pipeline('daily', { triggers: [trigger.manual()], runtime: { kind: 'image', image: 'dbt:1' }, steps: () => ({ run: dbt.build({ select: [...nightly, ${JSON.stringify(select)}] }) }) });\n`;

const GOOD_CONFIG = "import { defineConfig } from '@sluice/sdk';\nexport default defineConfig({ target: 'github' });\n";
const BROKEN_CONFIG = "import { defineConfig } from '@sluice/sdk';\nexport default defineConfig({ target: 'github' ;\n";

/** Writes beside the file, then renames over it: a new inode each time. */
function atomicSave(path: string, content: string): void {
  writeFileSync(`${path}.swp`, content);
  renameSync(`${path}.swp`, path);
}

interface Watch {
  child: ChildProcessWithoutNullStreams;
  /** stdout and stderr as they arrived. */
  output: () => string;
  /** Waits until `text` appears after `from` (an earlier output length), failing after 20 s (a loaded machine). */
  waitFor: (text: string, from: number) => Promise<void>;
  /** Does `action` (a save), then waits for `text` in what follows it; resolves with where that began. */
  after: (action: () => void, text: string) => Promise<number>;
  /** Sends the signal and resolves with the exit code. */
  stop: (signal: NodeJS.Signals) => Promise<number | null>;
}

function startWatch(dir: string): Watch {
  const child = spawn(process.execPath, [SLUICE_BIN, 'compile', '--watch'], { cwd: dir });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const watch: Watch = {
    child,
    output: () => output,
    waitFor: async (text, from) => {
      const deadline = Date.now() + 20_000;
      while (!output.slice(from).includes(text) && Date.now() < deadline && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(output.slice(from), `waiting for ${text} (exit code ${child.exitCode})`).toContain(text);
    },
    after: async (action, text) => {
      const mark = output.length;
      action();
      await watch.waitFor(text, mark);
      return mark;
    },
    stop: (signal) => {
      if (child.exitCode === null) child.kill(signal);
      return closed;
    },
  };
  return watch;
}

/** Runs `scenario` against a watching `sluice compile --watch`, which must then end with 0 on SIGINT. */
async function watching(dir: string, scenario: (watch: Watch) => Promise<void>): Promise<void> {
  const watch = startWatch(dir);
  try {
    await scenario(watch);
  } finally {
    expect(await watch.stop('SIGINT')).toBe(0);
  }
}

const workflowOf = (dir: string): string => readFileSync(join(dir, '.github/workflows/daily.yml'), 'utf8');

it('recompiles after every write-then-rename save, of pipeline.ts and of a module it imports', async () => {
  const dir = makeProject({ 'selections.ts': "export const nightly = ['tag:nightly'];\n", 'pipeline.ts': pipelineWith('a') });
  const watch = startWatch(dir);
  try {
    await watch.waitFor('watching 3 file(s)', 0);
    for (const select of ['b', 'c', 'd']) {
      await watch.after(() => atomicSave(join(dir, 'pipeline.ts'), pipelineWith(select)), 'updated .github/workflows/daily.yml');
      expect(workflowOf(dir)).toContain(`tag:nightly ${select}`);
    }
    await watch.after(() => atomicSave(join(dir, 'selections.ts'), "export const nightly = ['tag:hourly'];\n"), 'updated .github/workflows/daily.yml');
    expect(workflowOf(dir)).toContain('tag:hourly d');
    // A file in the same directory that no compile read does not trigger one.
    const quiet = watch.output().length;
    writeFileSync(join(dir, 'notes.md'), 'unrelated\n');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(watch.output().slice(quiet)).toBe('');
  } finally {
    expect(await watch.stop('SIGINT')).toBe(0);
  }
});

describe('a compile that fails leaves the watcher alive and listening', () => {
  it('a config with a syntax error: reported, then fixing it compiles again', async () => {
    const dir = makeProject({ 'selections.ts': "export const nightly = ['tag:nightly'];\n", 'pipeline.ts': pipelineWith('a') });
    await watching(dir, async (watch) => {
      await watch.waitFor('watching 3 file(s)', 0);
      const mark = await watch.after(() => atomicSave(join(dir, 'sluice.config.ts'), BROKEN_CONFIG), 'SLUICE_E_SYNTAX');
      // Still the union of what the last good compile read: the config, pipeline.ts, selections.ts.
      await watch.waitFor('watching 3 file(s)', mark);
      // A module the pipeline imports still triggers a compile while the config is broken.
      await watch.after(() => atomicSave(join(dir, 'selections.ts'), "export const nightly = ['tag:hourly'];\n"), 'SLUICE_E_SYNTAX');
      await watch.after(() => atomicSave(join(dir, 'sluice.config.ts'), GOOD_CONFIG), 'updated .github/workflows/daily.yml');
      expect(workflowOf(dir)).toContain('tag:hourly a');
    });
  });

  it('a config broken from the start: the config and the default pipeline.ts are watched', async () => {
    const dir = makeProject({ 'sluice.config.ts': BROKEN_CONFIG, 'selections.ts': "export const nightly = ['tag:nightly'];\n", 'pipeline.ts': pipelineWith('a') });
    await watching(dir, async (watch) => {
      await watch.waitFor('SLUICE_E_SYNTAX', 0);
      await watch.waitFor('watching 2 file(s)', 0);
      const mark = await watch.after(() => atomicSave(join(dir, 'sluice.config.ts'), GOOD_CONFIG), 'created .github/workflows/daily.yml');
      await watch.waitFor('watching 3 file(s)', mark);
    });
  });

  it('an imported module with a syntax error: fixing it with an atomic save compiles again', async () => {
    const dir = makeProject({ 'lib/steps.ts': "export const nightly = ['tag:nightly'];\n", 'pipeline.ts': pipelineWith('a', './lib/steps') });
    await watching(dir, async (watch) => {
      await watch.waitFor('watching 3 file(s)', 0);
      const mark = await watch.after(() => atomicSave(join(dir, 'lib/steps.ts'), "export const nightly = ['tag:nightly';\n"), 'SLUICE_E_SYNTAX');
      await watch.waitFor('watching 3 file(s)', mark);
      await watch.after(() => atomicSave(join(dir, 'lib/steps.ts'), "export const nightly = ['tag:fixed'];\n"), 'updated .github/workflows/daily.yml');
      expect(workflowOf(dir)).toContain('tag:fixed a');
    });
  });

  it('an imported module broken from the start: the file named by the error is watched', async () => {
    const dir = makeProject({ 'lib/steps.ts': "export const nightly = ['tag:nightly';\n", 'pipeline.ts': pipelineWith('a', './lib/steps') });
    await watching(dir, async (watch) => {
      await watch.waitFor('SLUICE_E_SYNTAX', 0);
      await watch.waitFor('watching 3 file(s)', 0);
      await watch.after(() => atomicSave(join(dir, 'lib/steps.ts'), "export const nightly = ['tag:fixed'];\n"), 'created .github/workflows/daily.yml');
    });
  });
});

describe('other ways editors and users change files', () => {
  it('a module the config imports: saving it recompiles with the new settings', async () => {
    const dir = makeProject({
      'settings.ts': "export const settings = { target: 'github' } as const;\n",
      'sluice.config.ts': "import { defineConfig } from '@sluice/sdk';\nimport { settings } from './settings';\nexport default defineConfig({ ...settings });\n",
      'selections.ts': "export const nightly = ['tag:nightly'];\n",
      'pipeline.ts': pipelineWith('a'),
    });
    await watching(dir, async (watch) => {
      await watch.waitFor('watching 4 file(s)', 0);
      await watch.after(() => atomicSave(join(dir, 'settings.ts'), "export const settings = { target: 'github', pipelinesMarkdown: 'PIPELINES.md' } as const;\n"), 'created PIPELINES.md');
    });
  });

  it('pipeline.ts deleted, then created again', async () => {
    const dir = makeProject({ 'selections.ts': "export const nightly = ['tag:nightly'];\n", 'pipeline.ts': pipelineWith('a') });
    await watching(dir, async (watch) => {
      await watch.waitFor('watching 3 file(s)', 0);
      await watch.after(() => unlinkSync(join(dir, 'pipeline.ts')), 'SLUICE_E_ENTRY_NOT_FOUND');
      await watch.after(() => writeFileSync(join(dir, 'pipeline.ts'), pipelineWith('again')), 'updated .github/workflows/daily.yml');
      expect(workflowOf(dir)).toContain('tag:nightly again');
    });
  });

  it("vim's backup-then-rename: the original renamed away, a new file written, the backup removed", async () => {
    const dir = makeProject({ 'selections.ts': "export const nightly = ['tag:nightly'];\n", 'pipeline.ts': pipelineWith('a') });
    await watching(dir, async (watch) => {
      await watch.waitFor('watching 3 file(s)', 0);
      for (const select of ['b', 'c']) {
        const mark = watch.output().length;
        renameSync(join(dir, 'pipeline.ts'), join(dir, 'pipeline.ts~'));
        writeFileSync(join(dir, 'pipeline.ts'), pipelineWith(select));
        unlinkSync(join(dir, 'pipeline.ts~'));
        await watch.waitFor('updated .github/workflows/daily.yml', mark);
        expect(workflowOf(dir)).toContain(`tag:nightly ${select}`);
      }
    });
  });

  it('a new module: created then imported, or imported (failing) then created; later saves of it recompile', async () => {
    const dir = makeProject({ 'selections.ts': "export const nightly = ['tag:nightly'];\n", 'pipeline.ts': pipelineWith('a') });
    await watching(dir, async (watch) => {
      await watch.waitFor('watching 3 file(s)', 0);
      // Created first: no compile (nothing imports it yet), then imported.
      writeFileSync(join(dir, 'hourly.ts'), "export const nightly = ['tag:hourly'];\n");
      await watch.after(() => atomicSave(join(dir, 'pipeline.ts'), pipelineWith('a', './hourly')), 'updated .github/workflows/daily.yml');
      await watch.after(() => atomicSave(join(dir, 'hourly.ts'), "export const nightly = ['tag:hourly2'];\n"), 'updated .github/workflows/daily.yml');
      expect(workflowOf(dir)).toContain('tag:hourly2 a');
      // Imported first (the compile fails: it does not exist), then created.
      await watch.after(() => atomicSave(join(dir, 'pipeline.ts'), pipelineWith('a', './weekly')), 'SLUICE_E_SYNTAX');
      await watch.after(() => writeFileSync(join(dir, 'weekly.ts'), "export const nightly = ['tag:weekly'];\n"), 'updated .github/workflows/daily.yml');
      expect(workflowOf(dir)).toContain('tag:weekly a');
    });
  });

  it('the directory of an imported module deleted, then created again', async () => {
    const dir = makeProject({ 'lib/steps.ts': "export const nightly = ['tag:nightly'];\n", 'pipeline.ts': pipelineWith('a', './lib/steps') });
    await watching(dir, async (watch) => {
      await watch.waitFor('watching 3 file(s)', 0);
      await watch.after(() => rmSync(join(dir, 'lib'), { recursive: true }), 'SLUICE_E_SYNTAX');
      const mark = watch.output().length;
      mkdirSync(join(dir, 'lib'));
      writeFileSync(join(dir, 'lib/steps.ts'), "export const nightly = ['tag:back'];\n");
      await watch.waitFor('updated .github/workflows/daily.yml', mark);
      expect(workflowOf(dir)).toContain('tag:back a');
      await watch.after(() => atomicSave(join(dir, 'lib/steps.ts'), "export const nightly = ['tag:again'];\n"), 'updated .github/workflows/daily.yml');
    });
  });

  it('the directory of an imported module deleted and created again at once (the same inode number, on Linux)', async () => {
    const dir = makeProject({ 'lib/steps.ts': "export const nightly = ['tag:nightly'];\n", 'pipeline.ts': pipelineWith('a', './lib/steps') });
    await watching(dir, async (watch) => {
      await watch.waitFor('watching 3 file(s)', 0);
      let mark = watch.output().length;
      rmSync(join(dir, 'lib'), { recursive: true });
      mkdirSync(join(dir, 'lib'));
      writeFileSync(join(dir, 'lib/steps.ts'), "export const nightly = ['tag:back'];\n");
      await watch.waitFor('updated .github/workflows/daily.yml', mark);
      await watch.waitFor('watching 3 file(s)', mark);
      // The new directory is watched, not the deleted one.
      await watch.after(() => atomicSave(join(dir, 'lib/steps.ts'), "export const nightly = ['tag:again'];\n"), 'updated .github/workflows/daily.yml');
      expect(workflowOf(dir)).toContain('tag:again a');
    });
  });
});

/** The directories the process holds inotify watches on (Linux: one `inotify wd:` line per watch). */
function inotifyWatchCount(pid: number): number {
  let count = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== 'anon_inode:inotify') continue;
      count += readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8').split('\n').filter((line) => line.startsWith('inotify wd:')).length;
    } catch {
      // The descriptor closed meanwhile.
    }
  }
  return count;
}

it.skipIf(process.platform !== 'linux')('closes the watch on a directory no compile reads any more (no leak)', async () => {
  const dir = makeProject({ 'lib/steps.ts': "export const nightly = ['tag:nightly'];\n", 'selections.ts': "export const nightly = ['tag:root'];\n", 'pipeline.ts': pipelineWith('a', './lib/steps') });
  const watch = startWatch(dir);
  try {
    await watch.waitFor('watching 3 file(s)', 0);
    expect(inotifyWatchCount(watch.child.pid ?? 0)).toBe(2);
    await watch.after(() => atomicSave(join(dir, 'pipeline.ts'), pipelineWith('a', './selections')), 'watching 3 file(s)');
    expect(inotifyWatchCount(watch.child.pid ?? 0)).toBe(1);
  } finally {
    expect(await watch.stop('SIGINT')).toBe(0);
  }
});

it('ends with 0 on SIGTERM, also while the last compile failed', async () => {
  const dir = makeProject({ 'sluice.config.ts': BROKEN_CONFIG, 'pipeline.ts': pipelineWith('a') });
  const watch = startWatch(dir);
  await watch.waitFor('watching 2 file(s)', 0);
  // A failed compile writes nothing, so nothing it does starts another one.
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(watch.output().match(/watching/g)).toHaveLength(1);
  expect(await watch.stop('SIGTERM')).toBe(0);
});

it('a signal while a compile runs: the compile finishes its writes, then the process ends with 0', async () => {
  const dir = makeProject({ 'selections.ts': "export const nightly = ['tag:nightly'];\n", 'pipeline.ts': pipelineWith('a') });
  const watch = startWatch(dir);
  await watch.waitFor('watching 3 file(s)', 0);
  atomicSave(join(dir, 'pipeline.ts'), pipelineWith('b'));
  // Past the 100 ms debounce: the compile has started (on this machine it takes a few hundred ms).
  await new Promise((resolve) => setTimeout(resolve, 150));
  expect(await watch.stop('SIGINT')).toBe(0);
  // Whether the compile had reached its writes or not, the workflow is whole: the old or the new one.
  expect(workflowOf(dir)).toMatch(/tag:nightly [ab]/);
});
