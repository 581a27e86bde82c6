/** The migration report: what was mapped, what became a TODO and why, notes on known mistakes. */
import type { TodoItem } from './steps.js';

export interface ImportReport {
  source: string;
  pipeline: string;
  /** `what -> how`, in workflow order. */
  mapped: string[];
  todos: TodoItem[];
  /** Known mistakes in the workflow, with the condition that was probably meant. */
  notes: string[];
  /** Each workflow step that is not set-up, with its step id in the pipeline (`imported: false`: a TODO). */
  steps: { where: string; id: string; label: string; imported: boolean }[];
}

/** The migration report for people: what was mapped, each TODO and why, notes on known mistakes. */
export function formatReport(report: ImportReport): string {
  const lines = [`\nMigration report for ${report.source} (pipeline '${report.pipeline}'):`, '', `Mapped (${report.mapped.length}):`, ...report.mapped.map((line) => `  ${line}`)];
  lines.push('', `TODO (${report.todos.length})${report.todos.length > 0 ? ': `sluice check` fails until each todo(...) in the pipeline is handled and deleted' : ''}`);
  for (const item of report.todos) lines.push(`  - ${item.what}`, ...(item.original ? item.original.split('\n').map((line) => `      ${line}`) : []));
  if (report.notes.length > 0) lines.push('', `Notes (${report.notes.length}):`, ...report.notes.map((note) => `  - ${note}`));
  return `${lines.join('\n')}\n`;
}
