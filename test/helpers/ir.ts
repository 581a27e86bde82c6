/** Builds IR straight from DSL objects, in-process (no loader), for tests of semantics and targets. */
import type { Pipeline, SluiceIR } from '@sluice/sdk/ir';
import { buildIR } from '@sluice/compiler';

export function irOf(...pipelines: Pipeline[]): SluiceIR {
  const { ir, diagnostics } = buildIR(pipelines);
  if (diagnostics.length > 0) throw new Error(`invalid test pipeline: ${diagnostics.map((p) => `${p.code} ${p.message}`).join('; ')}`);
  return ir;
}
