/** `sluice compile`, with --check and --watch. */
import { DIAGNOSTIC_CODES } from '@sluice/sdk/ir';
import { compileProject } from '../compile.js';
import { applyChanges, planChanges, unifiedDiff } from '../output.js';
import { EXIT, report, definedOnly, type CliIO } from './io.js';

export async function compileCommand(options: { target?: string; config?: string; check?: boolean; json?: boolean; timeout?: string }, io: CliIO, onInputs?: (inputs: string[], ok: boolean) => void): Promise<number> {
  const timeoutSeconds = options.timeout === undefined ? undefined : Number(options.timeout);
  if (timeoutSeconds !== undefined && !(timeoutSeconds > 0 && timeoutSeconds <= 600)) {
    io.stderr(`--timeout must be a number of seconds between 0 and 600, not '${options.timeout}'.\n`);
    return EXIT.usage;
  }
  const result = await compileProject({ cwd: io.cwd, ...definedOnly({ target: options.target, config: options.config, timeoutSeconds }) });
  onInputs?.(result.inputs, result.ok && result.config !== undefined);
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

/** Files that may be a module an import is waiting for (a new module while the compile fails). */
const MODULE_FILE = /\.(?:[cm]?[jt]sx?|json)$/;

/**
 * `compile --watch`: compiles, then again whenever a file the compiles read changes, is created,
 * deleted or replaced by a rename (pipeline.ts, the config, every module they import), printing only
 * what changed. Ends with 0 on SIGINT or SIGTERM (stopping it is its normal end).
 *
 * After a failed compile it keeps watching the union of what the last compiles read and what the
 * failure names (a broken config still names itself and the default pipeline.ts; a syntax error
 * names its module), and also recompiles when a new module file appears in a watched directory (an
 * import that could not be resolved). A successful compile narrows the set to what it read.
 */
export async function watchCommand(options: { target?: string; config?: string; timeout?: string }, io: CliIO): Promise<number> {
  const { createFileWatcher } = await import('../file-watcher.js');
  let failing = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const schedule = (): void => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    // Editors save in several steps (write, rename, chmod): one compile after the last of them.
    timer = setTimeout(run, 100);
  };
  const watcher = createFileWatcher(schedule, (path) => failing && MODULE_FILE.test(path));
  const onInputs = (inputs: string[], ok: boolean): void => {
    if (stopped) return;
    failing = !ok;
    watcher.watch(ok ? inputs : [...watcher.files, ...inputs]);
  };
  const run = (): void => {
    running = running.then(async () => {
      try {
        await compileCommand(options, io, onInputs);
      } catch (error) {
        // A bug of ours must not end the watch: say so, keep watching what was watched.
        io.stderr(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        onInputs([], false);
      }
      if (!stopped) io.stdout(`watching ${watcher.files.size} file(s) for changes\n`);
    });
  };
  // Watches do not keep node alive once none is open (a config unreadable from the start, a
  // directory gone): this interval does, until a signal ends the watch.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  run();
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  stopped = true;
  if (timer) clearTimeout(timer);
  watcher.close();
  // A compile under way finishes its writes (the evaluation timeout bounds it); a second signal,
  // with no handler left, ends the process at once.
  await running;
  clearInterval(keepAlive);
  return EXIT.ok;
}
