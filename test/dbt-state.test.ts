/**
 * State stores, retry and per-step artifacts, end to end: the generated entrypoint (and GitHub's
 * state-artifact step) executed under bash with stand-ins that behave like aws, gcloud, gh and dbt
 * (exit codes, messages, the files they read and write; see helpers/dbt-standins.ts).
 */
import { dbt, input, notify, pipeline, secret, selector, state, trigger, when, type StateStore } from '@sluice/sdk/ir';
import { emitArgo, emitEntrypoint, emitGithub } from '@sluice/targets';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildIR, renderPlan } from '@sluice/compiler';
import { makeDbtStandIns, type DbtStandIns } from './helpers/dbt-standins.js';
import { kubernetesExpand } from './oracles/dataflow.js';
import { asProcessStep } from '../packages/targets/src/shared/process-step.js';
import type { Pipeline, SluiceIR } from '@sluice/sdk/ir';

const s3 = state.s3('s3://acme-state/metric');
const gcs = state.gcs('gs://acme-state/metric');
const slack = secret('SLACK_WEBHOOK');
const PROJECT = { nodes: { stg_orders: ['fct_orders'], fct_orders: ['rpt_revenue'], rpt_revenue: [], stg_customers: ['dim_customers'], dim_customers: [] } };

function slim(name: string, store: StateStore, whenNoState?: Parameters<typeof dbt.build>[0] extends infer O ? (O extends { whenNoState?: infer W } ? W : never) : never): Pipeline {
  return pipeline(name, {
    triggers: [trigger.manual()],
    steps: () => {
      const prod = store.load();
      const run = dbt.build({ select: ['state:modified+'], defer: true, state: prod, fullRefresh: true, target: 'ci', ...(whenNoState ? { whenNoState } : {}) });
      const alert = notify.slack({ webhook: slack, needs: run, if: when.always() });
      return { prod, run, notify: alert };
    },
  });
}

function ir(...pipelines: Pipeline[]): SluiceIR {
  const built = buildIR(pipelines, { dbtVersion: '1.10.2' });
  if (built.diagnostics.length > 0) throw new Error(built.diagnostics.map((d) => `${d.code} ${d.message}`).join('; '));
  return built.ir;
}

function writeEntrypoint(built: SluiceIR): string {
  const file = emitEntrypoint(built).files[0];
  if (!file) throw new Error('no script');
  const path = join(mkdtempSync(join(tmpdir(), 'sluice-state-')), 'entrypoint.sh');
  writeFileSync(path, file.content, { mode: 0o755 });
  return path;
}

interface Run {
  code: number | null;
  out: string;
  workdir: string;
}

function run(script: string, name: string, standIns: DbtStandIns, options: { workdir?: string; args?: string[] } = {}): Run {
  const workdir = options.workdir ?? mkdtempSync(join(tmpdir(), 'sluice-work-'));
  const result = spawnSync('bash', [script, name, ...(options.args ?? [])], {
    cwd: workdir,
    env: { PATH: standIns.path, HOME: workdir, SLUICE_RETRY_DELAY: '0', SLUICE_NOTIFY_DRY_RUN: '1', SLACK_WEBHOOK: 'https://hooks.invalid/x' },
    encoding: 'utf8',
  });
  return { code: result.status, out: `${result.stdout}\n${result.stderr}`, workdir };
}

const dbtCalls = (standIns: DbtStandIns): string[] => standIns.calls().filter((call) => call.command === 'dbt').map((call) => call.argv.join(' '));
/** The Slack message as a reader sees it: data code spans and defanged URLs (` :// `) undone. */
const slackText = (out: string): string => {
  const line = out.split('\n').find((candidate) => candidate.startsWith('{"text"'));
  return line ? (JSON.parse(line) as { text: string }).text.replace(/`/g, '').replace(/ :\/\/ /g, '://') : '';
};

describe('state load outcomes: present, absent, error (entrypoint, real execution)', () => {
  const script = writeEntrypoint(ir(slim('slim-s3', s3), slim('slim-gcs', gcs), slim('slim-skip', s3, 'skip'), slim('slim-fail', s3, 'fail'), slim('slim-daily', s3, { select: 'tag:daily' })));

  const fresh = (): DbtStandIns => {
    const standIns = makeDbtStandIns();
    standIns.project(PROJECT);
    return standIns;
  };

  it('present: the slim build with state, --defer, --state and the user\'s --full-refresh', () => {
    const standIns = fresh();
    standIns.put('s3://acme-state/metric/manifest.json', '{}');
    standIns.put('s3://acme-state/metric/run_results.json', '{}');
    const result = run(script, 'slim-s3', standIns);
    expect(result.code, result.out).toBe(0);
    expect(dbtCalls(standIns)).toEqual(['build --select state:modified+ --defer --state prod-state --full-refresh --target ci --target-path target/sluice/run']);
  });

  it('absent on S3 (head-object 404): the explicit fallback, never --full-refresh, same --target; in the log and the notification', () => {
    const standIns = fresh();
    const result = run(script, 'slim-s3', standIns);
    expect(result.code, result.out).toBe(0);
    expect(dbtCalls(standIns)).toEqual(['build --target ci --target-path target/sluice/run']);
    expect(result.out).toContain('state absent: no manifest.json at s3://acme-state/metric');
    expect(result.out).toContain('sluice: no saved manifest in s3://acme-state/metric yet');
    expect(slackText(result.out)).toContain('Note: no saved manifest in s3://acme-state/metric yet (the store answered: not found): running without state (state selectors, --defer, --state and --full-refresh left out)');
  });

  it.each([
    ['denied', '(403) when calling the HeadBucket operation: Forbidden'],
    ['network', 'Could not connect to the endpoint URL'],
  ] as const)('error on S3 (%s): the load fails with the store\'s message, dbt never runs, the run fails', (mode, message) => {
    const standIns = fresh();
    standIns.mode('aws', mode);
    const result = run(script, 'slim-s3', standIns);
    expect(result.code, result.out).toBe(1);
    expect(dbtCalls(standIns)).toEqual([]);
    expect(result.out).toContain(message);
    expect(result.out).toMatch(/prod: +failed/);
    expect(slackText(result.out)).toContain('failed');
  });

  it.each([
    ['network404', 'Could not connect to the endpoint URL: "https://x/(404)"'],
    ['nobucket', 'An error occurred (404) when calling the HeadBucket operation: Not Found'],
  ] as const)('red team: "(404)" elsewhere than a missing key (%s) is an error, not "absent"', (mode, message) => {
    const standIns = fresh();
    standIns.mode('aws', mode);
    const result = run(script, 'slim-s3', standIns);
    expect(result.code, result.out).toBe(1);
    expect(dbtCalls(standIns)).toEqual([]);
    expect(result.out).toContain(message);
    expect(result.out).not.toContain('state absent');
  });

  it('red team: a gcloud error that merely mentions "not found: 404" is an error', () => {
    const standIns = fresh();
    standIns.mode('gcloud', 'network404');
    const result = run(script, 'slim-gcs', standIns);
    expect(result.code, result.out).toBe(1);
    expect(dbtCalls(standIns)).toEqual([]);
    expect(result.out).not.toContain('state absent');
  });

  it('absent on GCS (objects describe: not found: 404): the fallback', () => {
    const standIns = fresh();
    const result = run(script, 'slim-gcs', standIns);
    expect(result.code, result.out).toBe(0);
    expect(dbtCalls(standIns)).toEqual(['build --target ci --target-path target/sluice/run']);
  });

  it.each(['denied', 'network'] as const)('error on GCS (%s): the load fails loudly', (mode) => {
    const standIns = fresh();
    standIns.mode('gcloud', mode);
    const result = run(script, 'slim-gcs', standIns);
    expect(result.code, result.out).toBe(1);
    expect(dbtCalls(standIns)).toEqual([]);
    expect(result.out).toContain('ERROR: (gcloud.storage.objects.describe)');
  });

  it('whenNoState: skip builds nothing and succeeds; fail fails; a selection replaces the slim one', () => {
    const skip = fresh();
    expect(run(script, 'slim-skip', skip).code).toBe(0);
    expect(dbtCalls(skip)).toEqual([]);
    const failing = fresh();
    expect(run(script, 'slim-fail', failing).code).toBe(1);
    expect(dbtCalls(failing)).toEqual([]);
    const daily = fresh();
    expect(run(script, 'slim-daily', daily).code).toBe(0);
    expect(dbtCalls(daily)).toEqual(['build --select tag:daily --target ci --target-path target/sluice/run']);
  });

  it('a state file left by an earlier run never passes for this run\'s state', () => {
    const standIns = fresh();
    const workdir = mkdtempSync(join(tmpdir(), 'sluice-work-'));
    mkdirSync(join(workdir, 'prod-state'));
    writeFileSync(join(workdir, 'prod-state/manifest.json'), '{}');
    run(script, 'slim-s3', standIns, { workdir });
    expect(dbtCalls(standIns)).toEqual(['build --target ci --target-path target/sluice/run']);
  });
});

describe('GitHub-artifact state: absent and error from gh', () => {
  const artifactState = state.githubArtifact({ pipeline: 'nightly-gh' });
  const loading = pipeline('pr-gh', {
    triggers: [trigger.pullRequest()],
    steps: () => {
      const prodState = artifactState.load();
      return { prodState, run: dbt.build({ select: 'state:modified+', defer: true, state: prodState }) };
    },
  });
  const workflow = parse(emitGithub(ir(loading)).files.find((f) => f.path.endsWith('pr-gh.yml'))?.content ?? '') as { jobs: Record<string, { steps: { id?: string; run?: string; env?: Record<string, string> }[] }> };
  const load = Object.values(workflow.jobs)[0]?.steps.find((step) => step.id === 'prodState');
  const runLoad = (setup: (standIns: DbtStandIns) => void) => {
    const standIns = makeDbtStandIns();
    setup(standIns);
    const dir = mkdtempSync(join(tmpdir(), 'sluice-gh-'));
    const env = Object.fromEntries(Object.entries(load?.env ?? {}).filter(([key]) => key.startsWith('SLUICE_')));
    // The loader asks the REST API about this repository (GH_REPO = github.repository) through gh.
    const result = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', load?.run ?? ''], { cwd: dir, env: { PATH: `${standIns.path}:/usr/bin:/bin`, GH_REPO: 'acme/analytics', ...env }, encoding: 'utf8' });
    return { code: result.status, out: result.stdout + result.stderr, dir };
  };

  it('present: the last successful run\'s artifact lands in the state directory', () => {
    const result = runLoad((s) => (s.ghRuns(['4242']), s.ghArtifact('4242', 'sluice-state', { 'manifest.json': '{"m":1}' })));
    expect(result.code, result.out).toBe(0);
    expect(readFileSync(join(result.dir, 'prod-state/manifest.json'), 'utf8')).toBe('{"m":1}');
  });
  it('absent: no successful run yet, or its artifact expired', () => {
    for (const setup of [(_: DbtStandIns) => undefined, (s: DbtStandIns) => s.ghRuns(['4242'])]) {
      const result = runLoad(setup);
      expect(result.code, result.out).toBe(0);
      expect(result.out).toContain('state absent');
      expect(existsSync(join(result.dir, 'prod-state/manifest.json'))).toBe(false);
    }
  });
  it.each(['denied', 'network'] as const)('error (%s): the load fails with gh\'s message', (mode) => {
    const result = runLoad((s) => (s.ghRuns(['4242']), s.mode('gh', mode)));
    expect(result.code, result.out).toBe(1);
    expect(result.out).toMatch(/GH_TOKEN|error connecting to api.github.com/);
  });
});

describe('retry: a failed night, then the retry pipeline re-runs exactly what failed and its children', () => {
  const nightly = pipeline('nightly', {
    triggers: [trigger.manual()],
    steps: () => {
      const run = dbt.build({ target: 'prod' });
      return { run, save: s3.save({ needs: run }) };
    },
  });
  const retry = pipeline('retry', {
    triggers: [trigger.manual()],
    steps: () => {
      const lastRun = s3.load({ from: 'last-run', into: 'last-run' });
      const run = dbt.retry({ state: lastRun, target: 'prod' });
      return { lastRun, run, save: s3.save({ needs: run }) };
    },
  });

  const night = (standIns: DbtStandIns, script: string): Run => {
    standIns.project({ ...PROJECT, failing: ['fct_orders'] });
    const result = run(script, 'nightly', standIns);
    standIns.project(PROJECT);
    standIns.clearCalls();
    return result;
  };

  it('dbt >= 1.6: dbt retry --state last-run runs fct_orders and rpt_revenue only; the failed manifest never becomes the baseline', () => {
    const script = writeEntrypoint(ir(nightly, retry));
    const standIns = makeDbtStandIns();
    const failed = night(standIns, script);
    expect(failed.code, failed.out).toBe(1);
    expect(standIns.has('s3://acme-state/metric/last-run/run_results.json')).toBe(true);
    expect(standIns.has('s3://acme-state/metric/manifest.json')).toBe(false);
    expect(failed.out).toContain('the slim-CI baseline at s3://acme-state/metric/ is left as it was');

    const retried = run(script, 'retry', standIns);
    expect(retried.code, retried.out).toBe(0);
    const call = standIns.calls().find((c) => c.command === 'dbt');
    expect(call?.argv).toEqual(['retry', '--state', 'last-run', '--target', 'prod', '--target-path', 'target/sluice/run']);
    expect(call?.ran).toEqual(['fct_orders', 'rpt_revenue']);
    // Now every retried node succeeded: the retry's manifest is promoted as the baseline.
    expect(standIns.has('s3://acme-state/metric/manifest.json')).toBe(true);
  });

  it('dbt 1.5: the older equivalent (result:error+ result:fail+ --state) runs the same nodes', () => {
    const built = buildIR([nightly, retry], { dbtVersion: '1.5.4' });
    expect(built.diagnostics).toEqual([]);
    const script = writeEntrypoint(built.ir);
    const standIns = makeDbtStandIns();
    night(standIns, script);
    const retried = run(script, 'retry', standIns);
    expect(retried.code, retried.out).toBe(0);
    const call = standIns.calls().find((c) => c.command === 'dbt');
    expect(call?.argv).toEqual(['build', '--select', 'result:error+', 'result:fail+', '--state', 'last-run', '--target', 'prod', '--target-path', 'target/sluice/run']);
    expect(call?.ran).toEqual(['fct_orders', 'rpt_revenue']);
  });

  it('no last run saved yet: the retry fails saying there is nothing to retry, dbt never runs', () => {
    const script = writeEntrypoint(ir(nightly, retry));
    const standIns = makeDbtStandIns();
    standIns.project(PROJECT);
    const result = run(script, 'retry', standIns);
    expect(result.code, result.out).toBe(1);
    expect(dbtCalls(standIns)).toEqual([]);
    expect(result.out).toContain('no last run saved in s3://acme-state/metric: nothing to retry');
  });

  it('a night where dbt stops before running a node clears last-run/: the retry says there is nothing to retry, never repeats the night before', () => {
    const script = writeEntrypoint(ir(nightly, retry));
    const standIns = makeDbtStandIns();
    night(standIns, script);
    expect(standIns.has('s3://acme-state/metric/last-run/run_results.json')).toBe(true);
    standIns.project({ ...PROJECT, crash: ['build'] });
    const crashed = run(script, 'nightly', standIns);
    expect(crashed.code, crashed.out).toBe(1);
    expect(crashed.out).toContain('nothing to save');
    expect(standIns.has('s3://acme-state/metric/last-run/run_results.json')).toBe(false);
    expect(standIns.has('s3://acme-state/metric/last-run/manifest.json')).toBe(false);
    standIns.project(PROJECT);
    standIns.clearCalls();
    const retried = run(script, 'retry', standIns);
    expect(retried.code, retried.out).toBe(1);
    expect(dbtCalls(standIns)).toEqual([]);
    expect(retried.out).toContain('no last run saved in s3://acme-state/metric: nothing to retry');
  });

  it('clearing last-run/ is an error when the store does not answer (denied), never a silent pass', () => {
    const script = writeEntrypoint(ir(nightly, retry));
    const standIns = makeDbtStandIns();
    night(standIns, script);
    standIns.project({ ...PROJECT, crash: ['build'] });
    standIns.mode('aws', 'denied');
    const crashed = run(script, 'nightly', standIns);
    expect(crashed.code, crashed.out).toBe(1);
    expect(crashed.out).toContain('the state store did not answer');
    expect(standIns.has('s3://acme-state/metric/last-run/run_results.json')).toBe(true);
  });

  it('a successful night promotes its manifest as the slim-CI baseline', () => {
    const script = writeEntrypoint(ir(nightly, retry));
    const standIns = makeDbtStandIns();
    standIns.project(PROJECT);
    expect(run(script, 'nightly', standIns).code).toBe(0);
    expect(JSON.parse(standIns.read('s3://acme-state/metric/run_results.json')).results).toHaveLength(5);
  });
});

describe('each dbt step keeps its artifacts; the notifier reports every dbt step of this run only', () => {
  const twoSteps = pipeline('two-steps', {
    triggers: [trigger.manual()],
    steps: () => {
      const orders = dbt.build({ select: 'fct_orders' });
      const customers = dbt.build({ select: 'dim_customers' });
      return { orders, customers, notify: notify.slack({ webhook: slack, needs: [orders, customers], if: when.always() }) };
    },
  });
  const script = writeEntrypoint(ir(twoSteps));

  it('a failure in an earlier dbt step is still reported when a later one passes', () => {
    const standIns = makeDbtStandIns();
    standIns.project({ ...PROJECT, failing: ['fct_orders'] });
    const result = run(script, 'two-steps', standIns);
    expect(result.code, result.out).toBe(1);
    expect(existsSync(join(result.workdir, 'target/sluice/orders/run_results.json'))).toBe(true);
    expect(existsSync(join(result.workdir, 'target/sluice/customers/run_results.json'))).toBe(true);
    const text = slackText(result.out);
    expect(text).toContain('error 1, success 1');
    expect(text).toContain('fct_orders error (models/fct_orders.sql): Database Error in model fct_orders');
  });

  it('a stale passing run_results.json and old notes from an earlier run are not reported (clean slate)', () => {
    const standIns = makeDbtStandIns();
    standIns.project({ ...PROJECT, crash: ['build'] });
    const workdir = mkdtempSync(join(tmpdir(), 'sluice-work-'));
    mkdirSync(join(workdir, 'target/sluice/orders'), { recursive: true });
    writeFileSync(join(workdir, 'target/sluice/orders/run_results.json'), JSON.stringify({ metadata: { generated_at: '2026-01-01T00:00:00Z' }, results: [{ unique_id: 'model.acme.fct_orders', status: 'success' }] }));
    mkdirSync(join(workdir, '.sluice'));
    writeFileSync(join(workdir, '.sluice/notes'), 'an old note\n');
    const result = run(script, 'two-steps', standIns, { workdir });
    expect(result.code, result.out).toBe(1);
    const text = slackText(result.out);
    expect(text).toContain('failed');
    expect(text).toContain('dbt wrote no run_results.json');
    expect(text).not.toContain('success');
    expect(text).not.toContain('an old note');
  });

  it('--dry-run leaves no notes and clears those of earlier runs', () => {
    const standIns = makeDbtStandIns();
    standIns.project(PROJECT);
    const slimScript = writeEntrypoint(ir(slim('slim-s3', s3)));
    const workdir = mkdtempSync(join(tmpdir(), 'sluice-work-'));
    mkdirSync(join(workdir, '.sluice'));
    writeFileSync(join(workdir, '.sluice/notes'), 'an old note\n');
    const result = run(slimScript, 'slim-s3', standIns, { workdir, args: ['--dry-run'] });
    expect(result.code, result.out).toBe(0);
    expect(existsSync(join(workdir, '.sluice/notes'))).toBe(false);
  });

  it('the notifier ignores run results written before the run started', () => {
    const program = emitEntrypoint(ir(twoSteps)).files[0]?.content.split("<<'SLUICE_NOTIFIER'\n")[1]?.split('\nSLUICE_NOTIFIER\n')[0] ?? '';
    const dir = mkdtempSync(join(tmpdir(), 'sluice-notify-'));
    for (const [step, at, status] of [['old', '2026-11-30T10:00:00Z', 'error'], ['new', '2026-11-30T12:00:01.5Z', 'success']] as const) {
      mkdirSync(join(dir, 'target/sluice', step), { recursive: true });
      writeFileSync(join(dir, 'target/sluice', step, 'run_results.json'), JSON.stringify({ metadata: { generated_at: at }, results: [{ unique_id: `model.acme.${step}`, status }] }));
    }
    const result = spawnSync('python3', ['-c', program], { cwd: dir, env: { PATH: process.env.PATH ?? '', SLUICE_NOTIFY_DRY_RUN: '1', SLUICE_RUN_STATUS: 'succeeded', SLUICE_RUN_STARTED: '2026-11-30T12:00:00Z' }, encoding: 'utf8' });
    const text = (JSON.parse(result.stdout) as { text: string }).text;
    expect(text).toContain('success 1');
    expect(text).not.toContain('error');
  });
});

describe('emergency run: a model and its children from an input', () => {
  const emergency = pipeline('emergency', {
    triggers: [trigger.manual()],
    inputs: { model: input.string({ required: true }) },
    steps: ({ inputs }) => ({ run: dbt.build({ select: selector.children(inputs.model), exclude: selector.node('rpt_revenue').parents(1), target: 'prod' }) }),
  });
  const built = ir(emergency);
  const script = writeEntrypoint(built);

  it('dbt builds exactly the model given and its descendants', () => {
    const standIns = makeDbtStandIns();
    standIns.project(PROJECT);
    const result = run(script, 'emergency', standIns, { args: ['--input', 'model=stg_orders'] });
    expect(result.code, result.out).toBe(0);
    const call = standIns.calls().find((c) => c.command === 'dbt');
    expect(call?.argv).toEqual(['build', '--select', 'stg_orders+', '--exclude', '1+rpt_revenue', '--target', 'prod', '--target-path', 'target/sluice/run']);
    expect(call?.ran).toEqual(['stg_orders', 'fct_orders', 'rpt_revenue']);
  });

  it.each(['fct_orders --full-refresh', '-x', 'a+', 'tag:x b', '', '$(touch pwned)', '@x'])('a value that is not one node name (%j) is a usage error (exit 2) before any step', (value) => {
    const standIns = makeDbtStandIns();
    standIns.project(PROJECT);
    const result = run(script, 'emergency', standIns, { args: ['--input', `model=${value}`] });
    expect(result.code, result.out).toBe(2);
    expect(result.out).toMatch(/must be one node name|is required/);
    expect(dbtCalls(standIns)).toEqual([]);
    expect(existsSync(join(result.workdir, 'pwned'))).toBe(false);
  });

  it('GitHub: the same argument from the same literal operators, the value only through env', () => {
    const workflow = emitGithub(built).files.find((f) => f.path.endsWith('emergency.yml'))?.content ?? '';
    expect(workflow).toContain(`sluice_cmd+=("\${SLUICE_INPUT_model:-}"+)`);
    expect(workflow).toContain('SLUICE_INPUT_model: ${{ inputs.model }}');
    expect(workflow).not.toContain('object Object');
  });
});

describe('the state programs pass shellcheck', () => {
  // The IR says what (state-load, state-save); the targets' shared lowering says how: our bash programs.
  const built = ir(
    pipeline('programs', {
      triggers: [trigger.manual()],
      steps: () => {
        const run = dbt.build();
        return { s3Load: s3.load(), gcsLoad: gcs.load({ into: 'gcs-state' }), lastRun: s3.load({ from: 'last-run', into: 'last-run' }), run, s3Save: s3.save({ needs: run }), gcsSave: gcs.save({ needs: run }) };
      },
    }),
  );
  const programs = (built.pipelines[0]?.steps ?? []).filter((step) => step.id !== 'run').map((step) => {
    const lowered = asProcessStep(step).command;
    return [step.id, lowered.kind === 'script' ? lowered.script : ''] as const;
  });
  it.each(programs)('%s', (_id, program) => {
    expect(program.length).toBeGreaterThan(0);
    const result = spawnSync('shellcheck', ['-s', 'bash', '-f', 'gcc', '-'], { input: program, encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('the same load outcomes on GitHub and Argo (their emitted programs executed)', () => {
  const built = ir(slim('slim-s3', s3));
  const github = parse(emitGithub(built).files.find((f) => f.path.endsWith('slim-s3.yml'))?.content ?? '') as { jobs: Record<string, { steps: { id?: string; run?: string; env?: Record<string, string> }[] }> };
  const githubLoad = Object.values(github.jobs)[0]?.steps.find((step) => step.id === 'prod');
  const argo = parse(emitArgo(built, { image: 'dbt:1.10' }).files[0]?.content ?? '') as { spec: { templates: { name: string; container?: { command: string[]; env?: { name: string; value?: string }[] } }[] } };
  const argoLoad = argo.spec.templates.find((template) => template.name === 'step-prod')?.container;
  const programs = {
    github: { program: githubLoad?.run ?? '', env: githubLoad?.env ?? {} },
    // The kubelet expands $(NAME) of defined env vars in command and args and turns $$ into $ (the
    // emitter escapes every $ that would start either): the program as the container receives it.
    argo: {
      program: kubernetesExpand(argoLoad?.command[4] ?? '', new Map((argoLoad?.env ?? []).map((v) => [v.name, v.value ?? '']))),
      env: Object.fromEntries((argoLoad?.env ?? []).map((v) => [v.name, v.value ?? ''])),
    },
  };

  it.each(Object.entries(programs))('%s: present copies, absent succeeds with nothing, denied and network fail loudly', (_target, { program, env }) => {
    expect(program).toContain('s3api head-object');
    expect(program).not.toMatch(/\$\((SLUICE_[A-Z_]+)\)/);
    const exec = (setup: (standIns: DbtStandIns) => void) => {
      const standIns = makeDbtStandIns();
      setup(standIns);
      const dir = mkdtempSync(join(tmpdir(), 'sluice-load-'));
      const result = spawnSync('bash', ['-eo', 'pipefail', '-c', program], { cwd: dir, env: { PATH: standIns.path, ...env }, encoding: 'utf8' });
      return { code: result.status, out: result.stdout + result.stderr, has: existsSync(join(dir, 'prod-state/manifest.json')) };
    };
    expect(exec((s) => s.put('s3://acme-state/metric/manifest.json', '{}'))).toMatchObject({ code: 0, has: true });
    expect(exec(() => undefined)).toMatchObject({ code: 0, has: false });
    const denied = exec((s) => s.mode('aws', 'denied'));
    expect(denied).toMatchObject({ code: 1, has: false });
    expect(denied.out).toContain('(403)');
    expect(exec((s) => s.mode('aws', 'network'))).toMatchObject({ code: 1, has: false });
    expect(exec((s) => s.mode('aws', 'network404'))).toMatchObject({ code: 1, has: false });
    expect(exec((s) => s.mode('aws', 'nobucket'))).toMatchObject({ code: 1, has: false });
  });
});

describe('sluice plan shows the state outcomes, the fallback and the save', () => {
  it('slim: the load\'s outcomes and the dbt step\'s fallback without --full-refresh', () => {
    const plan = renderPlan(ir(slim('slim-s3', s3)).pipelines[0] as SluiceIR['pipelines'][number]);
    expect(plan).toContain('load state from s3: s3://acme-state/metric -> prod-state (absent: readers fall back; any other answer fails this step)');
    expect(plan).toContain('dbt build [--select state:modified+ --defer --state prod-state --full-refresh --target ci if prod-state/manifest.json exists; when the store has no state: --target ci] --target-path target/sluice/run');
  });
  it('nightly: the save runs after a failed build too', () => {
    const nightly = pipeline('nightly', { triggers: [trigger.manual()], steps: () => { const run = dbt.build(); return { run, save: s3.save({ needs: run }) }; } });
    const plan = renderPlan(ir(nightly).pipelines[0] as SluiceIR['pipelines'][number]);
    expect(plan).toContain('save state to s3: target/sluice/run -> s3://acme-state/metric/last-run/ always, and as the slim-CI baseline only when every node succeeded');
    expect(plan).toContain('runs if or(success(), failure())');
  });
});
