/**
 * What every part of lowering one pipeline shares: the pipeline, where it is, the inputs it
 * declares, and where its translation failures go.
 */
import { type Diagnostic, type Pipeline, type SourceLocation } from '@sluice/sdk/ir';

export { describeValue as describe } from './checks/rule.js';

export interface LowerContext {
  /** pipeline.ts relative to the root. */
  source: string;
  dbtProjectDir: string;
  /** Whether the dbt project declares packages (packages.yml or dependencies.yml). */
  hasDbtPackages: boolean;
  /** The dbt version the pipelines run, when known (config, requirements pin, image tag). */
  dbtVersion?: string | undefined;
  /** Where that version was learnt, for messages (`requirements.txt`, `sluice.config.ts`). */
  dbtVersionSource?: string | undefined;
  mapLocation(location: SourceLocation | undefined): SourceLocation | undefined;
  locateError(error: unknown): SourceLocation | undefined;
}

export type Report = (diagnostic: Omit<Diagnostic, 'path'> & { path?: string[] }) => void;

export interface PipelineScope {
  pipeline: Pipeline;
  context: LowerContext;
  /** `['pipeline <name>']`, the start of every path in this pipeline. */
  path: string[];
  location: SourceLocation | undefined;
  /** Records a translation failure (at the pipeline unless the diagnostic says where). */
  report: Report;
}

export function pipelineScope(pipeline: Pipeline, context: LowerContext, diagnostics: Diagnostic[]): PipelineScope {
  const path = [`pipeline ${pipeline.name}`];
  const location = context.mapLocation(pipeline.location);
  const report: Report = (diagnostic) => {
    diagnostics.push({ ...diagnostic, path: diagnostic.path ?? path, ...at(diagnostic.location ?? location) });
  };
  return { pipeline, context, path, location, report };
}

export function at(location: SourceLocation | undefined): { location?: SourceLocation } {
  return location ? { location } : {};
}

export function sourceAt(location: SourceLocation | undefined): { source?: SourceLocation } {
  return location ? { source: location } : {};
}
