/** How diagnostics read in a terminal: location first (editors link it), code, message, path, hint. */
import type { Diagnostic } from '@sluice/sdk';

export function formatDiagnostic(diagnostic: Diagnostic): string {
  const where = diagnostic.location ? `${diagnostic.location.file}:${diagnostic.location.line}:${diagnostic.location.column}: ` : '';
  const lines = [`${where}error ${diagnostic.code}: ${diagnostic.message}`];
  if (diagnostic.path.length > 0) lines.push(`  in ${diagnostic.path.join(' > ')}`);
  if (diagnostic.hint) lines.push(`  hint: ${diagnostic.hint}`);
  return lines.join('\n');
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[], consequence: string): string {
  const count = `${diagnostics.length} error${diagnostics.length === 1 ? '' : 's'}`;
  return `${diagnostics.map(formatDiagnostic).join('\n\n')}\n\n${count}; ${consequence}\n`;
}
