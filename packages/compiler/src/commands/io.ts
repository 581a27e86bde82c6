/** What every command shares: where it writes, its exit codes, and how it reports problems. */
import { isUsageError, type Diagnostic } from '@sluice/sdk';
import { diagnosticsJson, formatDiagnostics } from '../format.js';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export function report(diagnostics: readonly Diagnostic[], io: CliIO, consequence: string, json = false): number {
  if (json) io.stdout(diagnosticsJson(diagnostics));
  else io.stderr(formatDiagnostics(diagnostics, consequence));
  return diagnostics.every(isUsageError) ? EXIT.usage : EXIT.failed;
}

export function definedOnly<T extends object>(options: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
