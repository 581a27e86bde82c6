/**
 * The reference example of semantics.md, row by row, on the reference interpreter and on the
 * emitted GitHub workflow (each `if:` evaluated by GitHub's expression engine). Plus the traps the
 * page lists, as their own scenarios.
 */
import { dbt, notify, pipeline, secret, shell, trigger, upload, when, type PipelineIR, type StepStatus } from '@sluice/sdk/ir';
import { simulatePipeline, type Faults } from '@sluice/compiler';
import { describe, expect, it } from 'vitest';
import { irOf } from './helpers/ir.js';
import { runScenario } from './oracles/entrypoint.js';
import { argoRefusals, onArgo, onGithub } from './oracles/targets.js';

const reference = pipeline('reference', {
  triggers: [trigger.manual()],
  steps: () => {
    const run = dbt.build();
    const docs = dbt.docs({ needs: run });
    const publish = upload.s3({ from: docs.site, to: 's3://bucket/docs/' });
    const alert = notify.slack({ webhook: secret('SLACK_WEBHOOK'), needs: [run, publish], if: when.always() });
    return { run, docs, upload: publish, notify: alert };
  },
});

interface Row {
  name: string;
  faults: Faults;
  executed: string[];
  statuses: Record<string, StepStatus>;
  result: 'succeeded' | 'failed' | 'cancelled';
}

const ok = 'succeeded';
const TABLE: Row[] = [
  { name: 'all succeed', faults: {}, executed: ['run', 'docs', 'upload', 'notify'], statuses: { run: ok, docs: ok, upload: ok, notify: ok }, result: 'succeeded' },
  { name: 'run fails', faults: { fail: { run: 'always' } }, executed: ['run', 'notify'], statuses: { run: 'failed', docs: 'skipped', upload: 'skipped', notify: ok }, result: 'failed' },
  { name: 'docs fails', faults: { fail: { docs: 'always' } }, executed: ['run', 'docs', 'notify'], statuses: { run: ok, docs: 'failed', upload: 'skipped', notify: ok }, result: 'failed' },
  { name: 'upload fails', faults: { fail: { upload: 'always' } }, executed: ['run', 'docs', 'upload', 'notify'], statuses: { run: ok, docs: ok, upload: 'failed', notify: ok }, result: 'failed' },
  { name: 'cancelled while run runs', faults: { cancelAt: 'run' }, executed: ['run', 'notify'], statuses: { run: 'cancelled', docs: 'skipped', upload: 'skipped', notify: ok }, result: 'cancelled' },
];

describe('semantics.md reference example', () => {
  const pipelineIR = irOf(reference).pipelines[0] as PipelineIR;

  it.each(TABLE)('reference interpreter: $name', (row) => {
    const simulation = simulatePipeline(pipelineIR, row.faults);
    expect(simulation.executed).toEqual(row.executed);
    expect(simulation.statuses).toEqual(row.statuses);
    expect(simulation.result).toBe(row.result);
  });

  it.each(TABLE)('GitHub Actions workflow: $name', (row) => {
    const run = onGithub(pipelineIR, row.faults);
    expect(run.statuses).toEqual(row.statuses);
    expect(run.result).toBe(row.result);
  });

  it.each(TABLE)('Argo Workflows manifest: $name', (row) => {
    const run = onArgo(pipelineIR, row.faults);
    expect(run.statuses).toEqual(row.statuses);
    expect(run.result).toBe(row.result);
  });

  it.each(TABLE)('entrypoint script under bash: $name', async (row) => {
    const run = await runScenario(pipelineIR, row.faults);
    expect(run.statuses, run.stdout + run.stderr).toEqual(row.statuses);
    expect(run.result).toBe(row.result);
    const started = run.standIns.calls().filter((call) => !call.started).map((call) => call.argv?.[0]);
    expect(started).toEqual(row.executed);
  });
});

describe('the traps semantics.md lists', () => {
  // failure() means a failure upstream, not any earlier failure in the job.
  const branches = pipeline('branches', {
    triggers: [trigger.manual()],
    steps: () => {
      const left = shell(['true']);
      const right = shell(['true']);
      const onLeftFailure = shell(['echo', 'left failed'], { needs: left, if: when.failure() });
      const afterRight = shell(['echo', 'right ok'], { needs: right });
      const cleanup = shell(['echo', 'cleanup'], { needs: right, if: when.not(when.failed(right)) });
      const report = shell(['echo', 'report'], { needs: [onLeftFailure, afterRight], if: when.always() });
      return { left, right, onLeftFailure, afterRight, cleanup, report };
    },
  });
  // always() combined with a status check: after a cancellation the check is false, not() makes it true.
  const rescue = pipeline('rescue', {
    triggers: [trigger.manual()],
    steps: () => {
      const right = shell(['true']);
      const rescueStep = shell(['echo', 'rescue'], { needs: right, if: when.and(when.always(), when.not(when.failed(right))) });
      return { right, rescue: rescueStep };
    },
  });
  const flaky = pipeline('flaky', {
    triggers: [trigger.manual()],
    steps: () => {
      const build = dbt.build({ retries: 2 });
      const docs = dbt.docs({ needs: build, allowFailure: true });
      const publish = upload.s3({ from: docs.site, to: 's3://b/' });
      const onDocsFailure = shell(['echo', 'docs broke'], { needs: docs, if: when.failed(docs) });
      return { build, docs, upload: publish, onDocsFailure };
    },
  });
  const ir = irOf(branches, flaky, rescue);
  const byName = (name: string) => ir.pipelines.find((p) => p.name === name) as PipelineIR;
  const [branchesIR, flakyIR, rescueIR] = [byName('branches'), byName('flaky'), byName('rescue')];

  const scenarios: { pipelineIR: PipelineIR; faults: Faults; expected: Partial<Record<string, StepStatus>>; result: string }[] = [
    // A failure on the right does not trigger the left branch's failure() step.
    { pipelineIR: branchesIR, faults: { fail: { right: 'always' } }, expected: { onLeftFailure: 'skipped', afterRight: 'skipped', cleanup: 'skipped', report: 'succeeded' }, result: 'failed' },
    { pipelineIR: branchesIR, faults: { fail: { left: 'always' } }, expected: { onLeftFailure: 'succeeded', afterRight: 'succeeded', cleanup: 'succeeded', report: 'succeeded' }, result: 'failed' },
    { pipelineIR: branchesIR, faults: { cancelAt: 'right' }, expected: { right: 'cancelled', afterRight: 'skipped', cleanup: 'skipped', report: 'succeeded' }, result: 'cancelled' },
    // not() of a status check is false after cancellation, unless always() is part of the expression.
    { pipelineIR: rescueIR, faults: { cancelAt: 'right' }, expected: { right: 'cancelled', rescue: 'succeeded' }, result: 'cancelled' },
    { pipelineIR: rescueIR, faults: { fail: { right: 'always' } }, expected: { right: 'failed', rescue: 'skipped' }, result: 'failed' },
    // Retries: two failing attempts and a third that succeeds is a success.
    { pipelineIR: flakyIR, faults: { fail: { build: 2 } }, expected: { build: 'succeeded', docs: 'succeeded' }, result: 'succeeded' },
    { pipelineIR: flakyIR, faults: { fail: { build: 3 } }, expected: { build: 'failed', docs: 'skipped' }, result: 'failed' },
    // allowFailure: the step is failed, dependents skip, failed() sees it, the run stays green.
    { pipelineIR: flakyIR, faults: { fail: { docs: 'always' } }, expected: { docs: 'failed', upload: 'skipped', onDocsFailure: 'succeeded' }, result: 'succeeded' },
  ];

  it.each(scenarios.map((scenario, index) => ({ ...scenario, index })))('scenario $index on the interpreter, GitHub, Argo and the entrypoint', async ({ pipelineIR, faults, expected, result }) => {
    const simulation = simulatePipeline(pipelineIR, faults);
    expect(simulation.statuses).toMatchObject(expected);
    expect(simulation.result).toBe(result);
    const github = onGithub(pipelineIR, faults);
    expect(github.statuses).toEqual(simulation.statuses);
    expect(github.result).toBe(simulation.result);
    if (pipelineIR === rescueIR) {
      // Argo's exit handler cannot see other steps' results: refused at compile time, by name.
      expect(argoRefusals(pipelineIR)).toEqual(['SLUICE_E_TARGET_UNSUPPORTED pipeline rescue > step rescue > target argo']);
    } else {
      const argo = onArgo(pipelineIR, faults);
      expect(argo.statuses).toEqual(simulation.statuses);
      expect(argo.result).toBe(simulation.result);
    }
    const script = await runScenario(pipelineIR, faults);
    expect(script.statuses, script.stdout + script.stderr).toEqual(simulation.statuses);
    expect(script.result).toBe(simulation.result);
  });
});
