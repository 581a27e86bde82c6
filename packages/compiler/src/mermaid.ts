/**
 * Pipelines as Mermaid flowcharts, the diagrams teams already draw in design notes (GitHub renders
 * them in Markdown). Edges carry the condition when it is not the default success().
 */
import { executionOrder, type PipelineIR } from '@sluice/sdk/ir';
import { describeCommand } from '@sluice/targets';
import { describeCondition } from './simulate.js';

export function mermaidFlowchart(pipeline: PipelineIR): string {
  const lines = ['flowchart TD'];
  const node = (id: string): string => `s_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
  for (const step of executionOrder(pipeline)) {
    lines.push(`  ${node(step.id)}["${escape(step.id)}<br/><small>${escape(describeCommand(step.command))}</small>"]`);
  }
  for (const step of executionOrder(pipeline)) {
    const condition = step.condition.op === 'success' ? undefined : describeCondition(step.condition);
    for (const need of step.needs) {
      lines.push(condition ? `  ${node(need)} -.->|"${escape(condition)}"| ${node(step.id)}` : `  ${node(need)} --> ${node(step.id)}`);
    }
    if (step.needs.length === 0 && condition) lines.push(`  %% ${step.id} runs if ${condition.replace(/[\r\n]/g, ' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A Markdown page with one diagram per pipeline. */
export function pipelinesMarkdown(pipelines: readonly PipelineIR[], header: string): string {
  const sections = pipelines.map((pipeline) => [`## ${pipeline.name}`, '', ...(pipeline.description ? [pipeline.description, ''] : []), '```mermaid', mermaidFlowchart(pipeline).trimEnd(), '```', ''].join('\n'));
  return `${header}\n# Pipelines\n\n${sections.join('\n')}`;
}

/** Mermaid's entity escapes: labels are data, never markup. */
function escape(text: string): string {
  return text.replace(/[&"<>#\r\n]/g, (character) => ({ '&': '#amp;', '"': '#quot;', '<': '#lt;', '>': '#gt;', '#': '#35;', '\r': ' ', '\n': ' ' })[character] as string);
}
