/** `sluice init`, `sluice check`, `sluice types`, `sluice import`: the analyst's commands. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGNOSTIC_CODES, isUsageError, type Diagnostic } from '@sluice/sdk/ir';
import { codeFrame, diagnosticsJson, githubAnnotation } from '../format.js';
import { applyChanges, planChanges } from '../output.js';
import { EXIT, report, type CliIO } from './io.js';

export async function initCommand(options: { force?: boolean }, io: CliIO): Promise<number> {
  const { planInit } = await import('../init.js');
  const plan = await planInit(io.cwd, options.force === true);
  if (plan.diagnostics.length > 0) return report(plan.diagnostics, io, 'nothing was written.');
  applyChanges(io.cwd, plan.changes);
  for (const change of plan.changes) io.stdout(`${change.before === undefined ? 'created' : 'updated'} ${change.path}\n`);
  for (const path of plan.kept) io.stdout(`kept ${path} (it exists; --force replaces it)\n`);
  for (const note of plan.notes) io.stdout(`note: ${note}\n`);
  io.stdout('\nNext:\n  npm install\n  npm run compile\n');
  return EXIT.ok;
}

export async function checkCommand(options: { config?: string; json?: boolean }, io: CliIO): Promise<number> {
  const { checkProject } = await import('../check.js');
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

export async function typesCommand(options: { manifest: string; out: string; json?: boolean }, io: CliIO): Promise<number> {
  const { readDbtNames, renderTypesModule } = await import('../types.js');
  const { names, diagnostics } = readDbtNames(join(io.cwd, options.manifest));
  if (!names) return report(diagnostics, io, 'nothing was written.', options.json);
  let content: string;
  try {
    content = await renderTypesModule(names, options.manifest);
  } catch (error) {
    if (!isMissing(error, 'ts-morph')) throw error;
    return report([missingTsMorph('types')], io, 'nothing was written.', options.json);
  }
  const { changes, refusals } = planChanges(io.cwd, [{ path: options.out, content }], []);
  if (refusals.length > 0) return report(refusals, io, 'nothing was written.', options.json);
  applyChanges(io.cwd, changes);
  io.stdout(`${changes.length > 0 ? 'wrote' : 'unchanged'} ${options.out}: ${names.models.length} models, ${names.seeds.length} seeds, ${names.snapshots.length} snapshots, ${names.sources.length} sources, ${names.tags.length} tags\n`);
  return EXIT.ok;
}

export async function importCommand(workflow: string, options: { out?: string; json?: boolean }, io: CliIO): Promise<number> {
  let source: string;
  try {
    source = readFileSync(join(io.cwd, workflow), 'utf8');
  } catch {
    io.stderr(`error SLUICE_E_IMPORT_UNREADABLE: Cannot read ${workflow}.\n`);
    return EXIT.usage;
  }
  const { importWorkflow, formatReport } = await import('../import/index.js');
  let imported: Awaited<ReturnType<typeof importWorkflow>>;
  try {
    imported = await importWorkflow(workflow, source);
  } catch (error) {
    if (isMissing(error, 'ts-morph')) return report([missingTsMorph('import')], io, 'nothing was written.', options.json);
    io.stderr(`error SLUICE_E_IMPORT_UNREADABLE: ${workflow} is not a readable workflow: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    return EXIT.usage;
  }
  const { code, report: migration } = imported;
  if (options.out) {
    try {
      readFileSync(join(io.cwd, options.out));
      io.stderr(`error SLUICE_E_NOT_GENERATED: ${options.out} exists; choose another --out.\n`);
      return EXIT.failed;
    } catch {
      applyChanges(io.cwd, [{ path: options.out, after: code }]);
    }
  }
  if (options.json) {
    io.stdout(`${JSON.stringify({ ...migration, ...(options.out ? { out: options.out } : { code }) }, null, 2)}\n`);
    return EXIT.ok;
  }
  if (options.out) io.stdout(`wrote ${options.out}\n${formatReport(migration)}`);
  else {
    io.stdout(code);
    io.stderr(formatReport(migration));
  }
  return EXIT.ok;
}

/**
 * ts-morph (about 15 MB) is an optional peer dependency of the compiler: only `types` and `import`
 * use it, so a project that never runs them does not install it.
 */
function isMissing(error: unknown, dependency: string): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && typeof message === 'string' && message.includes(`'${dependency}'`);
}

function missingTsMorph(command: string): Diagnostic {
  return {
    code: DIAGNOSTIC_CODES.MISSING_DEPENDENCY,
    message: `\`sluice ${command}\` needs the ts-morph package, which is not installed.`,
    hint: 'Run `npm install --save-dev ts-morph`, then run the command again.',
    path: [],
  };
}
