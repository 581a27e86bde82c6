/** Builds IR straight from DSL objects, in-process (no loader), for tests of semantics and targets. */
import type { Pipeline, SluiceIR } from '@sluice/sdk';
import { lower, validate } from '@sluice/compiler';

export function irOf(...pipelines: Pipeline[]): SluiceIR {
  const { ir, diagnostics } = lower(pipelines, {
    source: 'pipeline.ts',
    dbtProjectDir: '.',
    hasDbtPackages: false,
    mapLocation: () => undefined,
    locateError: () => undefined,
  });
  const problems = [...diagnostics, ...validate(ir)];
  if (problems.length > 0) throw new Error(`invalid test pipeline: ${problems.map((p) => `${p.code} ${p.message}`).join('; ')}`);
  return ir;
}
