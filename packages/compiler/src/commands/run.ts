/** `sluice run`: the embedded engine. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitFor } from '../compile.js';
import { loadPipeline, report, type CliIO } from './io.js';

/**
 * `sluice run`: the embedded engine. Compiles the entrypoint script to a private temp file and runs
 * it with bash in the project root, output streaming live; its exit code is ours. SIGINT and SIGTERM
 * are passed on to the script, which cancels the running step and still notifies.
 */
export async function runCommand(name: string, options: { input: string[]; dryRun?: boolean; config?: string; json?: boolean }, io: CliIO): Promise<number> {
  const found = await loadPipeline(name, options, io, 'nothing ran.');
  if ('exit' in found) return found.exit;
  const project = found.project;
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
