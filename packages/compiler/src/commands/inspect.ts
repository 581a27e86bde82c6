/** `sluice plan` and `sluice graph`: a pipeline, read. */
import { loadProject } from '../compile.js';
import { mermaidFlowchart } from '../mermaid.js';
import { applyChanges, planChanges } from '../output.js';
import { renderPlan } from '../plan.js';
import { EXIT, report, definedOnly, type CliIO } from './io.js';

export async function planCommand(name: string, options: { config?: string; json?: boolean }, io: CliIO): Promise<number> {
  const project = await loadProject({ cwd: io.cwd, ...definedOnly({ config: options.config }) });
  if (!project.ok) return report(project.diagnostics, io, 'no plan.', options.json);
  const pipeline = project.ir.pipelines.find((candidate) => candidate.name === name);
  if (!pipeline) {
    io.stderr(`error SLUICE_E_UNKNOWN_PIPELINE: No pipeline named '${name}'. Pipelines: ${project.ir.pipelines.map((p) => p.name).join(', ')}.\n`);
    return EXIT.usage;
  }
  io.stdout(renderPlan(pipeline));
  return EXIT.ok;
}

export async function graphCommand(name: string, options: { out?: string; config?: string; json?: boolean }, io: CliIO): Promise<number> {
  const project = await loadProject({ cwd: io.cwd, ...definedOnly({ config: options.config }) });
  if (!project.ok) return report(project.diagnostics, io, 'no graph.', options.json);
  const pipeline = project.ir.pipelines.find((candidate) => candidate.name === name);
  if (!pipeline) {
    io.stderr(`error SLUICE_E_UNKNOWN_PIPELINE: No pipeline named '${name}'. Pipelines: ${project.ir.pipelines.map((p) => p.name).join(', ')}.\n`);
    return EXIT.usage;
  }
  const chart = mermaidFlowchart(pipeline);
  if (!options.out) {
    io.stdout(chart);
    return EXIT.ok;
  }
  const path = options.out;
  const { changes, refusals } = planChanges(io.cwd, [{ path, content: `# ${pipeline.name}\n\n\`\`\`mermaid\n${chart}\`\`\`\n` }], []);
  if (refusals.length > 0) return report(refusals, io, 'nothing was written.');
  applyChanges(io.cwd, changes);
  io.stdout(`wrote ${path}\n`);
  return EXIT.ok;
}
