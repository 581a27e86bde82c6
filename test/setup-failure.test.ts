/**
 * A failed set-up (checkout, Python, `pip install`, `dbt deps`, cloud login; Argo's `sluice-prepare`)
 * has one meaning on every engine: set-up is an implicit upstream of every step, so the run is
 * `failed`, the steps that wait for it skip, and the steps whose condition still holds run (the
 * reviewer's three cases: `skipped(a)` of a skipped root, a root `not(success())`, an `always()`
 * notifier; and `failure()`). Checked on the interpreter, GitHub, Argo, the entrypoint and GitLab,
 * then once for real: a GitLab job whose `pip install` fails still notifies and exits 1.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dbt, notify, pipeline, secret, shell, trigger, when, type PipelineIR, type RunResult, type StepStatus } from '@sluice/sdk/ir';
import { emitGitlab } from '../packages/targets/src/gitlab/index.js';
import { simulatePipeline, type Faults } from '@sluice/compiler';
import { describe, expect, it } from 'vitest';
import { irOf } from './helpers/ir.js';
import { makeStandIns } from './helpers/standins.js';
import { runScenario } from './oracles/entrypoint.js';
import { onGitlab } from './oracles/gitlab.js';
import { onArgo, onGithub } from './oracles/targets.js';

const cases = pipeline('setupcases', {
  triggers: [trigger.manual()],
  steps: () => {
    const a = shell(['echo', 'a']);
    return {
      a,
      afterSkippedA: shell(['echo', 'a was skipped'], { needs: a, if: when.skipped(a) }),
      notSuccess: shell(['echo', 'not success'], { if: when.not(when.success()) }),
      onFailure: shell(['echo', 'something failed'], { needs: a, if: when.failure() }),
      notify: notify.slack({ webhook: secret('SLACK_WEBHOOK'), needs: a, if: when.always() }),
    };
  },
});
const casesIR = irOf(cases).pipelines[0] as PipelineIR;

interface Row {
  name: string;
  faults: Faults;
  statuses: Record<string, StepStatus>;
  result: RunResult;
}

const ok = 'succeeded';
const ROWS: Row[] = [
  {
    name: 'set-up fails',
    faults: { setupFails: true },
    statuses: { a: 'skipped', afterSkippedA: ok, notSuccess: ok, onFailure: ok, notify: ok },
    result: 'failed',
  },
  // The same pipeline when the set-up succeeds: none of the set-up-failure branches runs.
  { name: 'set-up succeeds', faults: {}, statuses: { a: ok, afterSkippedA: 'skipped', notSuccess: 'skipped', onFailure: 'skipped', notify: ok }, result: 'succeeded' },
  // A cancellation still wins over a failed set-up: only always() runs, the run is cancelled.
  {
    name: 'set-up fails, cancelled at a step',
    faults: { setupFails: true, cancelAt: 'afterSkippedA' },
    statuses: { a: 'skipped', afterSkippedA: 'cancelled', notSuccess: 'skipped', onFailure: 'skipped', notify: ok },
    result: 'cancelled',
  },
];

describe('a failed set-up on every target', () => {
  it.each(ROWS)('reference interpreter: $name', (row) => {
    const simulation = simulatePipeline(casesIR, row.faults);
    expect(simulation.statuses).toEqual(row.statuses);
    expect(simulation.result).toBe(row.result);
  });

  it.each(ROWS)('GitHub Actions (sluice-setup fails): $name', (row) => {
    const run = onGithub(casesIR, row.faults);
    expect(run.statuses).toEqual(row.statuses);
    expect(run.result).toBe(row.result);
  });

  it.each(ROWS)('Argo Workflows (sluice-prepare fails): $name', (row) => {
    // Argo runs always() steps last (exit handler): a cancellation at a main-DAG step is the same.
    const run = onArgo(casesIR, row.faults);
    expect(run.statuses).toEqual(row.statuses);
    expect(run.result).toBe(row.result);
  });

  it.each(ROWS)('entrypoint under bash (the launcher reports a failed dbt deps): $name', async (row) => {
    const run = await runScenario(casesIR, row.faults);
    expect(run.statuses, run.stdout + run.stderr).toEqual(row.statuses);
    expect(run.result).toBe(row.result);
    if (row.faults.setupFails) expect(run.stdout).toContain('[sluice] set-up failed: dbt deps failed;');
  });

  it.each(ROWS.filter((row) => !row.faults.cancelAt))('GitLab job under bash (a failing pip install): $name', async (row) => {
    const run = await onGitlab(casesIR, row.faults);
    expect(run.statuses, run.stdout).toEqual(row.statuses);
    expect(run.result).toBe(row.result);
    if (row.faults.setupFails) {
      expect(run.stdout).toContain('[sluice] set-up failed: pip install failed;');
      expect(Object.values(run.exitCodes)).toEqual([1]);
    }
  });
});

describe('a failed pip install, for real: the notifier still tells the team, the script exits 1', () => {
  const nightly = irOf(
    pipeline('nightly', {
      triggers: [trigger.manual()],
      steps: () => {
        const run = dbt.build({ select: 'tag:nightly' });
        return { run, notify: notify.slack({ webhook: secret('SLACK_WEBHOOK'), needs: run, if: when.always() }) };
      },
    }),
  );
  const pipelineIR = nightly.pipelines[0] as PipelineIR;
  const ir = { ...nightly, pipelines: [{ ...pipelineIR, runtime: { kind: 'python' as const, version: '3.12', requirements: 'requirements.txt', dbtDeps: true } }] };
  const runner = emitGitlab(ir).files.find((file) => file.path.endsWith('.sh'));

  function runJob(pipFails: boolean) {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-setup-'));
    writeFileSync(join(dir, 'run.sh'), runner?.content as string);
    const standIns = makeStandIns(['dbt', 'python', 'curl']);
    if (pipFails) standIns.rules([{ match: 'python -m pip install -r requirements.txt', fail: 'always' }]);
    const env = { PATH: standIns.path, HOME: dir, SLACK_WEBHOOK: 'https://hooks.slack.com/services/T/B/x', SLUICE_NOTIFY_DRY_RUN: '1', SLUICE_RETRY_DELAY: '0' };
    const result = spawnSync('bash', [join(dir, 'run.sh'), 'nightly'], { cwd: dir, env, encoding: 'utf8' });
    return { ...result, calls: standIns.calls().filter((call) => !call.started) };
  }

  it('pip exits 1: dbt deps and the build are skipped, the notifier reports the failed run, exit 1', () => {
    const result = runJob(true);
    expect(result.status, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain('[sluice] set-up failed: pip install failed; steps that need it are skipped, failure() and always() steps still run');
    // The rest of the set-up and the build never ran; only pip was called.
    expect(result.calls.map((call) => [call.command, ...(call.argv ?? [])].join(' '))).toEqual(['python -m pip install -r requirements.txt']);
    expect(result.stdout).toMatch(/^\[sluice\] {3}run\s+skipped$/m);
    expect(result.stdout).toMatch(/^\[sluice\] {3}notify\s+succeeded$/m);
    expect(result.stdout).toMatch(/^\[sluice\] result: failed$/m);
    // The notifier (the real one, python3, dry run: it prints what it would post) says the run failed.
    const payload = result.stdout.split('\n').find((line) => line.startsWith('{'));
    expect(payload, result.stdout).toBeDefined();
    expect(payload).toMatch(/failed/);
  });

  it('the same job with a working pip runs dbt deps, the build and the notifier, exit 0', () => {
    const result = runJob(false);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.calls.map((call) => [call.command, ...(call.argv ?? [])].slice(0, 2).join(' '))).toEqual(['python -m', 'dbt deps', 'dbt build']);
    expect(result.stdout).not.toContain('set-up failed');
  });

  it('a usage error still exits 2 before any set-up or step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-setup-'));
    writeFileSync(join(dir, 'run.sh'), runner?.content as string);
    const standIns = makeStandIns(['dbt', 'python']);
    const result = spawnSync('bash', [join(dir, 'run.sh'), 'nightly', '--input', 'nope=1'], { cwd: dir, env: { PATH: standIns.path, SLACK_WEBHOOK: 'x' }, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(standIns.calls()).toEqual([]);
  });
});
