/** `sluice run`: the embedded engine. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitFor, loadProject } from '../compile.js';
import { EXIT, report, definedOnly, type CliIO } from './io.js';

/**
 * `sluice run`: the embedded engine. Compiles the entrypoint script to a private temp file and runs
 * it with bash in the project root, output streaming live; its exit code is ours. SIGINT and SIGTERM
 * are passed on to the script, which cancels the running step and still notifies.
 */
export async function runCommand(name: string, options: { input: string[]; dryRun?: boolean; config?: string; json?: boolean }, io: CliIO): Promise<number> {
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
