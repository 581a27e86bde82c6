/**
 * The `sluice` command line: a thin layer over compile(). Handlers return exit codes (0 ok,
 * 1 pipeline errors or drift, 2 usage); nothing here calls process.exit.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUsageError, type Diagnostic } from '@sluice/sdk';
import { Command, CommanderError } from 'commander';
import { compileProject, emitFor, loadProject } from './compile.js';
import { codeFrame, diagnosticsJson, formatDiagnostics, githubAnnotation } from './format.js';
import { applyChanges, planChanges, unifiedDiff } from './output.js';
import { mermaidFlowchart } from './mermaid.js';
import { renderPlan } from './plan.js';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

const defaultIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
};

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export async function main(argv: readonly string[], io: CliIO = defaultIO): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('sluice')
    .description('Pipeline-as-code for dbt: one pipeline.ts, compiled for GitHub Actions, Argo Workflows or a container entrypoint.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command('compile')
    .description('Generate the target files from pipeline.ts')
    .option('-t, --target <target>', 'github, argo or entrypoint (default: the config)')
    .option('-c, --config <file>', 'path to sluice.config.ts', undefined)
    .option('--check', 'write nothing; exit 1 and print a diff when the committed files are stale')
    .option('-w, --watch', 'compile again whenever pipeline.ts, the config or a module they import changes')
    .option('--json', 'print diagnostics as JSON')
    .action(async (options: { target?: string; config?: string; check?: boolean; watch?: boolean; json?: boolean }) => {
      exitCode = options.watch ? await watchCommand(options, io) : await compileCommand(options, io);
    });

  program
    .command('plan')
    .description('Show what a pipeline would run, in order, with conditions and commands')
    .argument('<pipeline>', 'pipeline name')
    .option('-c, --config <file>', 'path to sluice.config.ts')
    .option('--json', 'print diagnostics as JSON')
    .action(async (name: string, options: { config?: string; json?: boolean }) => {
      exitCode = await planCommand(name, options, io);
    });

  program
    .command('init')
    .description('Start Sluice in this dbt project: pipeline.ts, sluice.config.ts, package.json scripts')
    .option('--force', 'overwrite pipeline.ts and sluice.config.ts if they exist')
    .action(async (options: { force?: boolean }) => {
      exitCode = await initCommand(options, io);
    });

  program
    .command('types')
    .description("Generate a TypeScript module of the dbt project's names (models, seeds, sources, tags) from the manifest")
    .option('-m, --manifest <file>', 'dbt manifest', 'target/manifest.json')
    .option('-o, --out <file.ts>', 'module to write', 'dbt-names.ts')
    .option('--json', 'print diagnostics as JSON')
    .action(async (options: { manifest: string; out: string; json?: boolean }) => {
      exitCode = await typesCommand(options, io);
    });

  program
    .command('import')
    .description('Turn a hand-written GitHub Actions workflow into pipeline.ts (printed, or written with --out)')
    .argument('<workflow.yml>', 'the workflow to import')
    .option('-o, --out <file.ts>', 'write the pipeline here (never over an existing file)')
    .action(async (workflow: string, options: { out?: string }) => {
      exitCode = await importCommand(workflow, options, io);
    });

  program
    .command('check')
    .description('Type-check pipeline.ts and sluice.config.ts and run every validation; writes nothing')
    .option('-c, --config <file>', 'path to sluice.config.ts')
    .option('--json', 'print diagnostics as JSON')
    .action(async (options: { config?: string; json?: boolean }) => {
      exitCode = await checkCommand(options, io);
    });

  program
    .command('graph')
    .description('Print a pipeline as a Mermaid flowchart (or write it into a Markdown file)')
    .argument('<pipeline>', 'pipeline name')
    .option('-o, --out <file.md>', 'write a Markdown file instead of printing')
    .option('-c, --config <file>', 'path to sluice.config.ts')
    .option('--json', 'print diagnostics as JSON')
    .action(async (name: string, options: { out?: string; config?: string; json?: boolean }) => {
      exitCode = await graphCommand(name, options, io);
    });

  program
    .command('run')
    .description('Run a pipeline on this machine through the generated entrypoint script')
    .argument('<pipeline>', 'pipeline name')
    .option('-i, --input <name=value>', 'an input value (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--dry-run', 'print the commands that would run, run nothing')
    .option('-c, --config <file>', 'path to sluice.config.ts')
    .option('--json', 'print diagnostics as JSON')
    .action(async (name: string, options: { input: string[]; dryRun?: boolean; config?: string; json?: boolean }) => {
      exitCode = await runCommand(name, options, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? EXIT.ok : EXIT.usage;
    }
    throw error;
  }
  return exitCode;
}

async function compileCommand(options: { target?: string; config?: string; check?: boolean; json?: boolean }, io: CliIO, onInputs?: (inputs: string[]) => void): Promise<number> {
  const result = await compileProject({ cwd: io.cwd, ...definedOnly({ target: options.target, config: options.config }) });
  onInputs?.(result.inputs);
  if (!result.ok || !result.config) return report(result.diagnostics, io, 'nothing was written.', options.json);
  const { changes: planned, refusals } = planChanges(result.config.root, result.files, result.outputDirs);
  const changes = planned.filter((change) => !change.stale);
  if (refusals.length > 0) return report(refusals, io, 'nothing was written.', options.json);
  if (options.check) {
    if (changes.length === 0) {
      io.stdout(`${result.files.length} file(s) for ${result.targets.join(', ')} are up to date.\n`);
      return EXIT.ok;
    }
    const diffs = await Promise.all(changes.map(unifiedDiff));
    io.stdout(diffs.join(''));
    io.stderr(`${changes.length} generated file(s) are stale: ${changes.map((change) => change.path).join(', ')}. Run \`sluice compile\` and commit the result.\n`);
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
 */
async function watchCommand(options: { target?: string; config?: string }, io: CliIO): Promise<number> {
  const { watch } = await import('node:fs');
  const watchers = new Map<string, ReturnType<typeof watch>>();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const rewatch = (inputs: string[]): void => {
    for (const [file, watcher] of watchers) if (!inputs.includes(file)) (watcher.close(), watchers.delete(file));
    for (const file of inputs) {
      if (watchers.has(file)) continue;
      try {
        watchers.set(file, watch(file, () => schedule()));
      } catch {
        // A file that vanished is watched again once a compile reads it.
      }
    }
  };
  const run = (): void => {
    running = running.then(async () => {
      await compileCommand(options, io, rewatch);
      io.stdout(`watching ${watchers.size} file(s) for changes\n`);
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

async function planCommand(name: string, options: { config?: string; json?: boolean }, io: CliIO): Promise<number> {
  const project = await loadProject({ cwd: io.cwd, ...definedOnly({ config: options.config }) });
  if (!project.ok) return report(project.diagnostics, io, 'no plan.', options.json);
  const pipeline = project.ir.pipelines.find((candidate) => candidate.name === name);
  if (!pipeline) {
    io.stderr(`error SLUICE_E_UNKNOWN_PIPELINE: No pipeline named '${name}'. Pipelines: ${project.ir.pipelines.map((p) => p.name).join(', ')}.\n`);
    return EXIT.usage;
  }
  io.stdout(renderPlan(pipeline));
  return EXIT.ok;
}

async function initCommand(options: { force?: boolean }, io: CliIO): Promise<number> {
  const { planInit } = await import('./init.js');
  const plan = await planInit(io.cwd, options.force === true);
  if (plan.diagnostics.length > 0) return report(plan.diagnostics, io, 'nothing was written.');
  applyChanges(io.cwd, plan.changes);
  for (const change of plan.changes) io.stdout(`${change.before === undefined ? 'created' : 'updated'} ${change.path}\n`);
  for (const path of plan.kept) io.stdout(`kept ${path} (it exists; --force replaces it)\n`);
  for (const note of plan.notes) io.stdout(`note: ${note}\n`);
  io.stdout('\nNext:\n  npm install\n  npm run compile\n');
  return EXIT.ok;
}

async function typesCommand(options: { manifest: string; out: string; json?: boolean }, io: CliIO): Promise<number> {
  const { readDbtNames, renderTypesModule } = await import('./types.js');
  const { names, diagnostics } = readDbtNames(join(io.cwd, options.manifest));
  if (!names) return report(diagnostics, io, 'nothing was written.', options.json);
  const content = await renderTypesModule(names, options.manifest);
  const { changes, refusals } = planChanges(io.cwd, [{ path: options.out, content }], []);
  if (refusals.length > 0) return report(refusals, io, 'nothing was written.', options.json);
  applyChanges(io.cwd, changes);
  io.stdout(`${changes.length > 0 ? 'wrote' : 'unchanged'} ${options.out}: ${names.models.length} models, ${names.seeds.length} seeds, ${names.snapshots.length} snapshots, ${names.sources.length} sources, ${names.tags.length} tags\n`);
  return EXIT.ok;
}

async function importCommand(workflow: string, options: { out?: string }, io: CliIO): Promise<number> {
  let source: string;
  try {
    source = readFileSync(join(io.cwd, workflow), 'utf8');
  } catch {
    io.stderr(`error SLUICE_E_IMPORT_UNREADABLE: Cannot read ${workflow}.\n`);
    return EXIT.usage;
  }
  const { importWorkflow } = await import('./import.js');
  const { code, todos } = await importWorkflow(workflow, source);
  if (!options.out) {
    io.stdout(code);
  } else {
    const target = join(io.cwd, options.out);
    try {
      readFileSync(target);
      io.stderr(`error SLUICE_E_NOT_GENERATED: ${options.out} exists; choose another --out.\n`);
      return EXIT.failed;
    } catch {
      applyChanges(io.cwd, [{ path: options.out, after: code }]);
      io.stdout(`wrote ${options.out}\n`);
    }
  }
  io.stderr(`${todos} TODO(s) to review.\n`);
  return EXIT.ok;
}

async function checkCommand(options: { config?: string; json?: boolean }, io: CliIO): Promise<number> {
  const { checkProject } = await import('./check.js');
  const { diagnostics, typeChecked } = await checkProject(io.cwd, options.config);
  if (options.json) {
    if (diagnostics.length === 0) io.stdout(diagnosticsJson(diagnostics));
    return diagnostics.length === 0 ? EXIT.ok : report(diagnostics, io, '', true);
  }
  if (process.env.GITHUB_ACTIONS === 'true') for (const diagnostic of diagnostics) io.stdout(`${githubAnnotation(diagnostic)}\n`);
  if (diagnostics.length === 0) {
    io.stdout(`No problems found${typeChecked ? '' : ' (not type-checked: install typescript in this project to type-check)'}.\n`);
    return EXIT.ok;
  }
  const readSource = (file: string): string | undefined => {
    try {
      return readFileSync(join(io.cwd, file), 'utf8');
    } catch {
      return undefined;
    }
  };
  const count = `${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'}`;
  io.stderr(`${diagnostics.map((diagnostic) => codeFrame(diagnostic, readSource)).join('\n\n')}\n\n${count}; nothing was written.\n`);
  return diagnostics.every(isUsageError) ? EXIT.usage : EXIT.failed;
}

async function graphCommand(name: string, options: { out?: string; config?: string; json?: boolean }, io: CliIO): Promise<number> {
  const project = await loadProject({ cwd: io.cwd, ...definedOnly({ config: options.config }) });
  if (!project.ok) return report(project.diagnostics, io, 'no graph.', options.json);
  const pipeline = project.ir.pipelines.find((candidate) => candidate.name === name);
  if (!pipeline) {
    io.stderr(`error SLUICE_E_UNKNOWN_PIPELINE: No pipeline named '${name}'. Pipelines: ${project.ir.pipelines.map((p) => p.name).join(', ')}.\n`);
    return EXIT.usage;
  }
  const chart = mermaidFlowchart(pipeline);
  if (!options.out) {
    io.stdout(chart);
    return EXIT.ok;
  }
  const path = options.out;
  const { changes, refusals } = planChanges(io.cwd, [{ path, content: `# ${pipeline.name}\n\n\`\`\`mermaid\n${chart}\`\`\`\n` }], []);
  if (refusals.length > 0) return report(refusals, io, 'nothing was written.');
  applyChanges(io.cwd, changes);
  io.stdout(`wrote ${path}\n`);
  return EXIT.ok;
}

/**
 * `sluice run`: the embedded engine. Compiles the entrypoint script to a private temp file and runs
 * it with bash in the project root, output streaming live; its exit code is ours. SIGINT and SIGTERM
 * are passed on to the script, which cancels the running step and still notifies.
 */
async function runCommand(name: string, options: { input: string[]; dryRun?: boolean; config?: string; json?: boolean }, io: CliIO): Promise<number> {
  const project = await loadProject({ cwd: io.cwd, ...definedOnly({ config: options.config }) });
  if (!project.ok) return report(project.diagnostics, io, 'nothing ran.', options.json);
  if (!project.ir.pipelines.some((pipeline) => pipeline.name === name)) {
    io.stderr(`error SLUICE_E_UNKNOWN_PIPELINE: No pipeline named '${name}'. Pipelines: ${project.ir.pipelines.map((p) => p.name).join(', ')}.\n`);
    return EXIT.usage;
  }
  const emitted = await emitFor(project.ir, 'entrypoint', project.config);
  const script = emitted.files[0];
  if (!emitted.ok || !script) return report(emitted.diagnostics, io, 'nothing ran.');
  const dir = mkdtempSync(join(tmpdir(), 'sluice-run-'));
  const path = join(dir, 'entrypoint.sh');
  writeFileSync(path, script.content, { mode: 0o700 });
  const args = [path, name, ...options.input.flatMap((assignment) => ['--input', assignment]), ...(options.dryRun ? ['--dry-run'] : [])];
  try {
    return await new Promise<number>((resolve) => {
      const child = spawn('bash', args, { cwd: project.config.root, stdio: 'inherit' });
      const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
      const onInt = forward('SIGINT');
      const onTerm = forward('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      child.on('close', (code, signal) => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
        resolve(code ?? (signal === 'SIGINT' ? 130 : 143));
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(diagnostics: readonly Diagnostic[], io: CliIO, consequence: string, json = false): number {
  if (json) io.stdout(diagnosticsJson(diagnostics));
  else io.stderr(formatDiagnostics(diagnostics, consequence));
  return diagnostics.every(isUsageError) ? EXIT.usage : EXIT.failed;
}

function definedOnly<T extends object>(options: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
