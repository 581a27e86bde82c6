/** What every command shares: where it writes, its exit codes, and how it reports problems. */
import { DIAGNOSTIC_CODES, isUsageError, type Diagnostic, type PipelineIR } from '@sluice/sdk/ir';
import { loadProject, type ProjectResult } from '../compile.js';
import { diagnosticsJson, formatDiagnostics } from '../format.js';
import { EXIT, type CliIO } from './exit.js';

export { EXIT, type CliIO } from './exit.js';

export function report(diagnostics: readonly Diagnostic[], io: CliIO, consequence: string, json = false): number {
  if (json) io.stdout(diagnosticsJson(diagnostics));
  else io.stderr(formatDiagnostics(diagnostics, consequence));
  return diagnostics.every(isUsageError) ? EXIT.usage : EXIT.failed;
}

export function definedOnly<T extends object>(options: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

/** Loads the project and finds one pipeline by name, or reports why not (and returns the exit code). */
export async function loadPipeline(
  name: string,
  options: { config?: string; json?: boolean },
  io: CliIO,
  consequence: string,
): Promise<{ pipeline: PipelineIR; project: Extract<ProjectResult, { ok: true }> } | { exit: number }> {
  const project = await loadProject({ cwd: io.cwd, ...definedOnly({ config: options.config }) });
  if (!project.ok) return { exit: report(project.diagnostics, io, consequence, options.json) };
  const pipeline = project.ir.pipelines.find((candidate) => candidate.name === name);
  if (!pipeline) {
    const known = project.ir.pipelines.map((candidate) => candidate.name).join(', ');
    return { exit: report([{ code: DIAGNOSTIC_CODES.UNKNOWN_PIPELINE, message: `No pipeline named '${name}'. Pipelines: ${known}.`, path: [] }], io, consequence, options.json) };
  }
  return { pipeline, project };
}
