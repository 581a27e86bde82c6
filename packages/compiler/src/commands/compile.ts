/** `sluice compile`, with --check and --watch. */
import { DIAGNOSTIC_CODES } from '@sluice/sdk/ir';
import { compileProject } from '../compile.js';
import { applyChanges, planChanges, unifiedDiff } from '../output.js';
import { EXIT, report, definedOnly, type CliIO } from './io.js';

export async function compileCommand(options: { target?: string; config?: string; check?: boolean; json?: boolean; timeout?: string }, io: CliIO, onInputs?: (inputs: string[]) => void): Promise<number> {
  const timeoutSeconds = options.timeout === undefined ? undefined : Number(options.timeout);
  if (timeoutSeconds !== undefined && !(timeoutSeconds > 0 && timeoutSeconds <= 600)) {
    io.stderr(`--timeout must be a number of seconds between 0 and 600, not '${options.timeout}'.\n`);
    return EXIT.usage;
  }
  const result = await compileProject({ cwd: io.cwd, ...definedOnly({ target: options.target, config: options.config, timeoutSeconds }) });
  onInputs?.(result.inputs);
  if (!result.ok || !result.config) return report(result.diagnostics, io, 'nothing was written.', options.json);
  if (!options.json) for (const note of result.notes ?? []) io.stderr(`note: ${note}\n`);
  const owners = [...result.targets, ...(result.config.pipelinesMarkdown && options.target === undefined ? (['docs'] as const) : [])];
  const { changes: planned, refusals } = planChanges(result.config.root, result.files, result.outputDirs, { owners });
  const changes = planned.filter((change) => !change.stale);
  if (refusals.length > 0) return report(refusals, io, 'nothing was written.', options.json);
  if (options.check) {
    if (changes.length === 0) {
      io.stdout(`${result.files.length} file(s) for ${result.targets.join(', ')} are up to date.\n`);
      return EXIT.ok;
    }
    const diffs = await Promise.all(changes.map(unifiedDiff));
    io.stdout(diffs.join(''));
    io.stderr(`error ${DIAGNOSTIC_CODES.STALE_OUTPUT}: ${changes.length} generated file(s) are stale: ${changes.map((change) => change.path).join(', ')}. Run \`sluice compile\` and commit the result.\n`);
    return EXIT.failed;
  }
  applyChanges(result.config.root, planned);
  const verb = (change: (typeof changes)[number]): string => (change.after === undefined ? 'deleted' : change.before === undefined ? 'created' : 'updated');
  for (const change of changes) io.stdout(`${verb(change)} ${change.path}\n`);
  io.stdout(`${result.files.length} file(s) for ${result.targets.join(', ')}: ${changes.length} changed.\n`);
  return EXIT.ok;
}

/**
 * `compile --watch`: compiles, then again whenever one of the files the last compile read changes
 * (pipeline.ts, the config, every module they import), printing only what changed. Ends on SIGINT.
 *
 * It watches the directories that hold those files, not the files: an editor's atomic save writes a
 * temporary file and renames it over the original, which replaces the inode a file watcher follows
 * (and a watch on the file goes quiet after the first save). A directory watch sees the rename.
 */
export async function watchCommand(options: { target?: string; config?: string; timeout?: string }, io: CliIO): Promise<number> {
  const { watch } = await import('node:fs');
  const { dirname, join } = await import('node:path');
  const watchers = new Map<string, ReturnType<typeof watch>>();
  let inputs = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const rewatch = (files: string[]): void => {
    inputs = new Set(files);
    const directories = new Set(files.map((file) => dirname(file)));
    for (const [directory, watcher] of watchers) if (!directories.has(directory)) (watcher.close(), watchers.delete(directory));
    for (const directory of directories) {
      if (watchers.has(directory)) continue;
      try {
        // Only the files a compile read count: our own writes elsewhere in the directory do not.
        watchers.set(directory, watch(directory, (_event, name) => (name === null || inputs.has(join(directory, name.toString())) ? schedule() : undefined)));
      } catch {
        // A directory that vanished is watched again once a compile reads a file in it.
      }
    }
  };
  const run = (): void => {
    running = running.then(async () => {
      await compileCommand(options, io, rewatch);
      io.stdout(`watching ${inputs.size} file(s) for changes\n`);
    });
  };
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, 100);
  };
  run();
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  for (const watcher of watchers.values()) watcher.close();
  if (timer) clearTimeout(timer);
  return EXIT.ok;
}
