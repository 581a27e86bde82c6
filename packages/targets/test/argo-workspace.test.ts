/**
 * The per-run workspace volume on Argo (issue 12, item 4): pods that run at the same time may not
 * write the same dbt target path, and the ReadWriteOnce volume may not be mounted by two pods at once.
 * Judged by the controller model in test/oracles/argo.ts (`scheduleArgo`, `workspaceConflicts`) on
 * random pipelines with random step durations, on the examples, and on a fan-out that would overlap.
 */
import { dbt, pipeline, state, trigger, type PipelineIR, type SluiceIR } from '@sluice/sdk/ir';
import { emitArgo } from '@sluice/targets';
import { compileProject } from '@sluice/compiler';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pipelineArbitrary } from '../../../test/helpers/arbitraries.js';
import { argoSchemaProblems } from '../../../test/helpers/argo-checks.js';
import { irOf } from '../../../test/helpers/ir.js';
import { examplesWithConfig, REPO_ROOT } from '../../../test/helpers/project.js';
import { scheduleArgo, workspaceConflicts } from '../../../test/oracles/argo.js';

const options = { image: 'ghcr.io/acme/dbt:1.10.2' };
const manifestOf = (ir: SluiceIR): string => {
  const result = emitArgo(ir, options);
  expect(result.diagnostics).toEqual([]);
  return result.files[0]?.content ?? '';
};
const single = (pipelineIR: PipelineIR, dbtProjectDir = '.'): SluiceIR => ({ irVersion: 1, source: 'pipeline.ts', dbtProjectDir, pipelines: [pipelineIR] });

// After the build, saving state and generating docs have no order between them: the classic overlap.
const fanOut = irOf(
  pipeline('nightly', {
    triggers: [trigger.manual()],
    steps: () => {
      const run = dbt.build();
      return { run, save: state.s3('s3://acme/state').save({ needs: run }), docs: dbt.docs({ needs: run }) };
    },
  }),
);

describe('the workspace volume on Argo', () => {
  it('the oracle sees the overlap when pods may run at once (the manifest without its parallelism)', () => {
    const unlimited = manifestOf(fanOut).replace(/\n {2}parallelism: 1\n/, '\n');
    expect(unlimited).not.toContain('parallelism');
    const intervals = scheduleArgo(unlimited);
    expect(intervals.get('save')?.start).toBe(intervals.get('docs')?.start);
    // Each dbt step writes its own target path (target/sluice/<id>), so only the volume is shared.
    expect(workspaceConflicts(unlimited)).toEqual([
      'save and docs mount the ReadWriteOnce volume workspace at the same time',
    ]);
  });

  it('as emitted: one pod at a time, no conflict, and the schema accepts it', () => {
    const manifest = manifestOf(fanOut);
    expect(workspaceConflicts(manifest)).toEqual([]);
    expect(argoSchemaProblems(manifest)).toEqual([]);
  });

  it('random pipelines with random step durations: no two pods overlap on the volume', () => {
    fc.assert(
      fc.property(pipelineArbitrary(12, { argoExpressible: true }), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 16, maxLength: 16 }), fc.constantFrom('.', 'transform'), (generated, lengths, dir) => {
        const manifest = manifestOf(single(generated, dir));
        const tasks = [...scheduleArgo(manifest).keys()];
        const durations = new Map(tasks.map((task, index) => [task, lengths[index % lengths.length] as number]));
        expect(workspaceConflicts(manifest, durations)).toEqual([]);
      }),
      { numRuns: Number(process.env.SLUICE_PROPERTY_RUNS ?? 100) },
    );
  });

  it('the examples: no conflict', async () => {
    let checked = 0;
    for (const example of examplesWithConfig()) {
      const result = await compileProject({ cwd: `${REPO_ROOT}/examples/${example}`, target: 'argo' });
      for (const file of result.files) {
        expect(workspaceConflicts(file.content), file.path).toEqual([]);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
