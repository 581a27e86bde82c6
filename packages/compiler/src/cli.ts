/**
 * The `sluice` command line: a thin layer over compile(). This module declares the commands; each
 * one's handler lives in commands/. Handlers return exit codes (0 ok, 1 pipeline errors or drift,
 * 2 usage); nothing here calls process.exit.
 */
import { Command, CommanderError } from 'commander';
import { EXIT, type CliIO } from './commands/exit.js';
import { TARGET_NAMES } from './target-names.js';
import { SLUICE_VERSION } from './version.js';

export { EXIT, type CliIO } from './commands/exit.js';

// Each command's module (and the compiler, targets, zod, ts-morph behind it) loads only when that
// command runs: `sluice --help` reads commander and nothing else.
const commands = {
  compile: () => import('./commands/compile.js'),
  inspect: () => import('./commands/inspect.js'),
  project: () => import('./commands/project.js'),
  run: () => import('./commands/run.js'),
};

const HELP_WIDTH = 100;

const defaultIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
};

export async function main(argv: readonly string[], io: CliIO = defaultIO): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('sluice')
    .description('Pipeline-as-code for dbt: one pipeline.ts, compiled for GitHub Actions, Argo Workflows, GitLab CI/CD or a container entrypoint.')
    .version(SLUICE_VERSION)
    .exitOverride()
    // A fixed help width: the help reads the same in every terminal, so the build can capture
    // `sluice --help` once (bin/sluice.js prints that capture without loading any code).
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, getOutHelpWidth: () => HELP_WIDTH, getErrHelpWidth: () => HELP_WIDTH });

  program
    .command('compile')
    .description('Generate the target files from pipeline.ts')
    .option('-t, --target <target>', `${TARGET_NAMES.join(', ')} (default: the config)`)
    .option('-c, --config <file>', 'path to sluice.config.ts', undefined)
    .option('--check', 'write nothing; exit 1 and print a diff when the committed files are stale')
    .option('-w, --watch', 'compile again whenever pipeline.ts, the config or a module they import changes')
    .option('--json', 'print diagnostics as JSON')
    .option('--timeout <seconds>', 'time the config and pipeline.ts may take to evaluate (default: the config, SLUICE_EVALUATION_TIMEOUT, or 10)')
    .action(async (options: { target?: string; config?: string; check?: boolean; watch?: boolean; json?: boolean; timeout?: string }) => {
      const { compileCommand, watchCommand } = await commands.compile();
      exitCode = options.watch ? await watchCommand(options, io) : await compileCommand(options, io);
    });

  program
    .command('plan')
    .description('Show what a pipeline would run, in order, with conditions and commands')
    .argument('<pipeline>', 'pipeline name')
    .option('-c, --config <file>', 'path to sluice.config.ts')
    .option('--json', 'print the plan as JSON, with what each step receives per trigger (and diagnostics as JSON)')
    .option('--input <name=value>', 'a value submitted with a manual run, for --json (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .action(async (name: string, options: { config?: string; json?: boolean; input?: string[] }) => {
      exitCode = await (await commands.inspect()).planCommand(name, options, io);
    });

  program
    .command('init')
    .description('Start Sluice in this dbt project: pipeline.ts, sluice.config.ts, package.json scripts')
    .option('--force', 'overwrite pipeline.ts and sluice.config.ts if they exist')
    .action(async (options: { force?: boolean }) => {
      exitCode = await (await commands.project()).initCommand(options, io);
    });

  program
    .command('types')
    .description("Generate a TypeScript module of the dbt project's names (models, seeds, sources, tags) from the manifest")
    .option('-m, --manifest <file>', 'dbt manifest', 'target/manifest.json')
    .option('-o, --out <file.ts>', 'module to write', 'dbt-names.ts')
    .option('--json', 'print diagnostics as JSON')
    .action(async (options: { manifest: string; out: string; json?: boolean }) => {
      exitCode = await (await commands.project()).typesCommand(options, io);
    });

  program
    .command('import')
    .description('Turn a hand-written GitHub Actions workflow into pipeline.ts (printed, or written with --out)')
    .argument('<workflow.yml>', 'the workflow to import')
    .option('-o, --out <file.ts>', 'write the pipeline here (never over an existing file)')
    .option('--json', 'print the migration report (and the pipeline, without --out) as JSON')
    .action(async (workflow: string, options: { out?: string; json?: boolean }) => {
      exitCode = await (await commands.project()).importCommand(workflow, options, io);
    });

  program
    .command('check')
    .description('Type-check pipeline.ts and sluice.config.ts and run every validation; writes nothing')
    .option('-c, --config <file>', 'path to sluice.config.ts')
    .option('--json', 'print diagnostics as JSON')
    .action(async (options: { config?: string; json?: boolean }) => {
      exitCode = await (await commands.project()).checkCommand(options, io);
    });

  program
    .command('graph')
    .description('Print a pipeline as a Mermaid flowchart (or write it into a Markdown file)')
    .argument('<pipeline>', 'pipeline name')
    .option('-o, --out <file.md>', 'write a Markdown file instead of printing')
    .option('-c, --config <file>', 'path to sluice.config.ts')
    .option('--json', 'print diagnostics as JSON')
    .action(async (name: string, options: { out?: string; config?: string; json?: boolean }) => {
      exitCode = await (await commands.inspect()).graphCommand(name, options, io);
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
      exitCode = await (await commands.run()).runCommand(name, options, io);
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
