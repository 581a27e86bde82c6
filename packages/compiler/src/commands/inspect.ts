/** `sluice plan` and `sluice graph`: a pipeline, read. */
import { mermaidFlowchart } from '../mermaid.js';
import { applyChanges, planChanges } from '../output.js';
import { planJson, renderPlan } from '../plan.js';
import { EXIT, loadPipeline, report, type CliIO } from './io.js';

export async function planCommand(name: string, options: { config?: string; json?: boolean; input?: string[] }, io: CliIO): Promise<number> {
  const found = await loadPipeline(name, options, io, 'no plan.');
  if ('exit' in found) return found.exit;
  // `--input name=value`: split at the first '=' (a value may contain more).
  const inputs = Object.fromEntries((options.input ?? []).map((assignment) => [assignment.split('=', 1)[0] as string, assignment.slice(assignment.indexOf('=') + 1)]));
  io.stdout(options.json ? `${JSON.stringify(planJson(found.pipeline, found.project.ir.dbtProjectDir, inputs), null, 2)}\n` : renderPlan(found.pipeline));
  return EXIT.ok;
}

export async function graphCommand(name: string, options: { out?: string; config?: string; json?: boolean }, io: CliIO): Promise<number> {
  const found = await loadPipeline(name, options, io, 'no graph.');
  if ('exit' in found) return found.exit;
  const chart = mermaidFlowchart(found.pipeline);
  if (!options.out) {
    io.stdout(chart);
    return EXIT.ok;
  }
  const path = options.out;
  const { changes, refusals } = planChanges(io.cwd, [{ path, content: `# ${found.pipeline.name}\n\n\`\`\`mermaid\n${chart}\`\`\`\n` }], []);
  if (refusals.length > 0) return report(refusals, io, 'nothing was written.');
  applyChanges(io.cwd, changes);
  io.stdout(`wrote ${path}\n`);
  return EXIT.ok;
}
