/**
 * What every part of lowering one pipeline shares: the pipeline, where it is, the inputs it
 * declares, and where its translation failures go.
 */
import { DIAGNOSTIC_CODES, type Diagnostic, type InputRef, type Pipeline, type SourceLocation } from '@sluice/sdk/ir';

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

/**
 * A translation failure: an input reference must be one of this pipeline's own (`steps` is given
 * them). The IR names inputs, so a reference borrowed from another pipeline (captured in a closure)
 * would read whatever this pipeline calls by that name, or nothing. Identity, not the name: two
 * pipelines may both declare `model`, with other types.
 */
export function checkOwnInput(scope: PipelineScope, ref: InputRef, path: string[], location: SourceLocation | undefined): void {
  const own = scope.pipeline.inputRefs as Readonly<Record<string, InputRef | undefined>>;
  if (own[ref.name] === ref) return;
  const names = Object.keys(own);
  scope.report({
    code: DIAGNOSTIC_CODES.UNKNOWN_INPUT,
    message: names.includes(ref.name)
      ? `This reference to input '${ref.name}' belongs to another pipeline; '${scope.pipeline.name}' declares its own '${ref.name}'.`
      : `Input '${ref.name}' is not declared by this pipeline. Inputs: ${names.join(', ') || '(none)'}.`,
    hint: 'Use the `inputs` given to this pipeline\'s `steps` (declare the input under its `inputs`), never another pipeline\'s.',
    path,
    ...at(location),
  });
}

export function at(location: SourceLocation | undefined): { location?: SourceLocation } {
  return location ? { location } : {};
}

export function sourceAt(location: SourceLocation | undefined): { source?: SourceLocation } {
  return location ? { source: location } : {};
}
