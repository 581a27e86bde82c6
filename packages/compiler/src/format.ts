/** How diagnostics read in a terminal: location first (editors link it), code, message, path, hint. */
import type { Diagnostic } from '@sluice/sdk/ir';

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

/** A code frame: the location, the source line and a caret under the column. */
export function codeFrame(diagnostic: Diagnostic, readSource: (file: string) => string | undefined): string {
  const location = diagnostic.location;
  const text = formatDiagnostic(diagnostic);
  if (!location) return text;
  const line = readSource(location.file)?.split('\n')[location.line - 1];
  if (line === undefined) return text;
  const gutter = String(location.line);
  const frame = [`  ${gutter} | ${line}`, `  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, location.column - 1))}^`];
  const [first, ...rest] = text.split('\n');
  return [first, ...frame, ...rest].join('\n');
}

/** GitHub Actions workflow commands, so diagnostics annotate the pull request. */
export function githubAnnotation(diagnostic: Diagnostic): string {
  const escapeData = (value: string): string => value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const escapeProperty = (value: string): string => escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const where = diagnostic.location
    ? ` file=${escapeProperty(diagnostic.location.file)},line=${diagnostic.location.line},col=${diagnostic.location.column},title=${escapeProperty(diagnostic.code)}`
    : ` title=${escapeProperty(diagnostic.code)}`;
  return `::error${where}::${escapeData(`${diagnostic.message}${diagnostic.hint ? ` ${diagnostic.hint}` : ''}`)}`;
}

/** Machine-readable diagnostics (`--json`). */
export function diagnosticsJson(diagnostics: readonly Diagnostic[]): string {
  return `${JSON.stringify({ ok: diagnostics.length === 0, diagnostics }, null, 2)}\n`;
}
