/**
 * The container entrypoint: judged by shellcheck and by bash itself. Every test runs the generated
 * script against stand-in commands that record their argv and exit as told.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dbt, input, notify, pipeline, secret, shell, trigger, upload, when, type SluiceIR } from '@sluice/sdk';
import { emitEntrypoint } from '@sluice/targets';
import { compileProject } from '@sluice/compiler';
import { describe, expect, it } from 'vitest';
import { irOf } from '../../../test/helpers/ir.js';
import { examplesWithConfig, REPO_ROOT } from '../../../test/helpers/project.js';
import { entrypointChecklist } from '../../../test/helpers/checklists.js';
import { runScript, writeScript } from '../../../test/oracles/entrypoint.js';

const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;
if (!hasShellcheck) console.warn('shellcheck is not installed: the shellcheck tests are skipped (apt-get install -y shellcheck; CI installs it).');

const nightly = pipeline('nightly', {
  triggers: [trigger.manual()],
  env: { WAREHOUSE_PASSWORD: secret('WAREHOUSE_PASSWORD') },
  steps: () => {
    const run = dbt.build({ exclude: ['tag:deprecated'], target: 'prod' });
    const docs = dbt.docs({ needs: run });
    const publish = upload.s3({ from: docs.site, to: 's3://docs/' });
    const alert = notify.slack({ webhook: secret('SLACK_WEBHOOK'), needs: [run, publish], if: when.always() });
    return { run, docs, upload: publish, notify: alert };
  },
});

const backfill = pipeline('backfill', {
  triggers: [trigger.manual()],
  inputs: {
    select: input.string({ required: true }),
    fullRefresh: input.boolean({ default: false }),
    threads: input.number({ default: 4 }),
    mode: input.choice({ options: ['fast', 'safe'], default: 'safe' }),
    note: input.string(),
  },
  steps: ({ inputs }) => ({
    run: dbt.build({ select: inputs.select, fullRefresh: inputs.fullRefresh, retries: 2 }),
    report: shell(['dbt', 'ls', '--select', inputs.select, inputs.mode, inputs.note], { needs: [] }),
  }),
});

const ir = irOf(nightly, backfill);
const script = writeScript(ir);
const secrets = { WAREHOUSE_PASSWORD: 'hunter2', SLACK_WEBHOOK: 'https://hooks.invalid/x' };

async function allScripts(): Promise<{ name: string; content: string }[]> {
  const scripts = [{ name: 'fixture', content: emitEntrypoint(ir).files[0]?.content ?? '' }];
  for (const example of examplesWithConfig()) {
    const result = await compileProject({ cwd: join(REPO_ROOT, 'examples', example), target: 'entrypoint' });
    scripts.push(...result.files.map((file) => ({ name: `${example}/${file.path}`, content: file.content })));
  }
  return scripts;
}

describe('every emitted script', async () => {
  const scripts = await allScripts();
  it.each(scripts)('$name: bash -n', ({ content }) => {
    expect(spawnSync('bash', ['-n'], { input: content }).status).toBe(0);
  });
  it.skipIf(!hasShellcheck).each(scripts)('$name: shellcheck -S style finds nothing', ({ content }) => {
    const result = spawnSync('shellcheck', ['-S', 'style', '-s', 'bash', '-'], { input: content, encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
  // The launcher only finds the project and execs the entrypoint: test/launcher.test.ts covers it.
  const entrypoints = scripts.filter(({ name }) => !name.endsWith('/sluice-launch.sh'));
  it.each(entrypoints)('$name: every property of the checklist holds (exit trap first, SIGINT to steps, ...)', ({ content }) => {
    expect(entrypointChecklist(content)).toEqual([]);
  });
});

describe('signals: PID-1 safe cancellation', () => {
  it('SIGTERM while dbt runs: dbt gets SIGINT, the notifier runs, exit 143, within 5 s', async () => {
    const run = await runScript(script, 'nightly', { env: secrets, rules: [{ match: 'dbt build', sleep: 30 }], interrupt: { match: 'dbt build', signal: 'SIGTERM' } });
    expect(run.code, run.stdout + run.stderr).toBe(143);
    expect(run.shutdownMs).toBeLessThan(5000);
    const dbtCalls = run.standIns.calls().filter((call) => call.command === 'dbt' && !call.started);
    expect(dbtCalls).toEqual([{ command: 'dbt', argv: ['build', '--exclude', 'tag:deprecated', '--target', 'prod', '--target-path', 'target/sluice/run'], signal: 'SIGINT' }]);
    expect(run.statuses).toEqual({ run: 'cancelled', docs: 'skipped', upload: 'skipped', notify: 'succeeded' });
    expect(run.stdout).toContain('"text": ":no_entry_sign: *nightly* cancelled');
  });

  it('SIGINT gives exit 130', async () => {
    const run = await runScript(script, 'nightly', { env: secrets, rules: [{ match: 'dbt build', sleep: 30 }], interrupt: { match: 'dbt build', signal: 'SIGINT' } });
    expect(run.code).toBe(130);
    expect(run.statuses.notify).toBe('succeeded');
  });

  const canUnshare = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;
  if (!canUnshare) console.warn('unshare --pid is not permitted here: the PID 1 signal test is skipped.');
  it.skipIf(!canUnshare)('as PID 1 of a new PID namespace, SIGTERM still delivers the notification', async () => {
    const run = await runScript(script, 'nightly', { asPid1: true, env: secrets, rules: [{ match: 'dbt build', sleep: 30 }], interrupt: { match: 'dbt build', signal: 'SIGTERM' } });
    expect(run.stdout + run.stderr).toContain('received SIGTERM');
    expect(run.code).toBe(143);
    expect(run.standIns.calls().find((call) => call.command === 'dbt' && !call.started)?.signal).toBe('SIGINT');
    expect(run.statuses.notify).toBe('succeeded');
  });
});

describe('inputs reach dbt as data', () => {
  const HOSTILE = ['a; rm -rf / $(touch pwned) `id` | cat & > out < in', 'new\nline', `'single' "double" * ? [x] ~ $HOME`, '-leading --dash'];
  it.each(HOSTILE)('a selection input %j is refused before dbt runs (exit 2)', async (value) => {
    const run = await runScript(script, 'backfill', { args: ['--input', `select=${value}`] });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("input 'select' is not a dbt selection");
    expect(run.standIns.calls().filter((call) => call.argv?.[0] === 'build')).toEqual([]);
  });
  it.each(['tag:nightly fct_orders+', 'path:models/marts', '1+orders,config.materialized:incremental'])('a valid selection %j arrives as exactly one argument', async (value) => {
    const run = await runScript(script, 'backfill', { args: ['--input', `select=${value}`, '--input', 'fullRefresh=true'] });
    expect(run.code, run.stderr).toBe(0);
    expect(run.standIns.calls()).toContainEqual({ command: 'dbt', argv: ['build', '--select', value, '--full-refresh', '--target-path', 'target/sluice/run'] });
  });
  it.each(HOSTILE)('any other input %j arrives as exactly one argument', async (value) => {
    const run = await runScript(script, 'backfill', { args: ['--input', 'select=x', '--input', `note=${value}`] });
    expect(run.code, run.stderr).toBe(0);
    expect(run.standIns.calls()).toContainEqual({ command: 'dbt', argv: ['ls', '--select', 'x', 'safe', value] });
  });
  it('inputs also come from SLUICE_INPUT_<name>; --input wins', async () => {
    const run = await runScript(script, 'backfill', { env: { SLUICE_INPUT_select: 'from-env', SLUICE_INPUT_mode: 'fast' }, args: ['--input=mode=safe'] });
    expect(run.standIns.calls()).toContainEqual({ command: 'dbt', argv: ['ls', '--select', 'from-env', 'safe', ''] });
  });
});

describe('mistakes stop the run before any step', () => {
  it.each([
    ['an unknown pipeline', 'nope', []],
    ['an unknown input', 'backfill', ['--input', 'select=x', '--input', 'colour=red']],
    ['a missing required input', 'backfill', []],
    ['a boolean that is not one', 'backfill', ['--input', 'select=x', '--input', 'fullRefresh=yes']],
    ['a number that is not one', 'backfill', ['--input', 'select=x', '--input', 'threads=4; ls']],
    ['a choice outside its options', 'backfill', ['--input', 'select=x', '--input', 'mode=reckless']],
    ['an argument it does not know', 'backfill', ['--frobnicate']],
    ['a missing secret', 'nightly', []],
  ] as const)('%s: exit 2 and nothing runs', async (_name, pipelineName, args) => {
    const run = await runScript(script, pipelineName, { args: [...args] });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^entrypoint\.sh: /);
    expect(run.standIns.calls()).toEqual([]);
  });
  it('--help lists pipelines and inputs, exit 0', () => {
    const result = spawnSync('bash', [script, '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('backfill');
    expect(result.stdout).toContain('--input select=...');
  });
});

describe('runs', () => {
  it('retries: two failures then a success', async () => {
    const run = await runScript(script, 'backfill', { args: ['--input', 'select=x'], rules: [{ match: 'dbt build', fail: 2 }] });
    expect(run.code, run.stdout).toBe(0);
    expect(run.standIns.calls().filter((call) => call.argv?.[0] === 'build')).toHaveLength(3);
  });
  it('--dry-run prints the commands and runs nothing', async () => {
    const run = await runScript(script, 'backfill', { args: ['--dry-run', '--input', 'select=a b'] });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("would run: dbt build --select a\\ b");
    expect(run.standIns.calls()).toEqual([]);
  });
  it('secrets reach steps through the environment, never the script', async () => {
    const content = emitEntrypoint(ir).files[0]?.content ?? '';
    expect(content).not.toContain('hunter2');
    const run = await runScript(script, 'nightly', { env: secrets });
    expect(run.code).toBe(0);
  });
  it('a failing model is named, with its message, in the notification', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-notify-'));
    mkdirSync(join(dir, 'target/sluice/run'), { recursive: true });
    copyFileSync(join(REPO_ROOT, 'test/fixtures/dbt/run_results.failed.json'), join(dir, 'target/sluice/run/run_results.json'));
    copyFileSync(join(REPO_ROOT, 'test/fixtures/dbt/manifest.small.json'), join(dir, 'target/sluice/run/manifest.json'));
    const program = join(dir, 'notify.py');
    writeFileSync(program, execFileSync('bash', ['-c', `sed -n "/^SLUICE_NOTIFIER_PROGRAM=/,/^SLUICE_NOTIFIER$/p" ${script} | sed '1d;$d'`], { encoding: 'utf8' }));
    const output = execFileSync('python3', [program], { cwd: dir, env: { SLUICE_NOTIFY_DRY_RUN: '1', SLUICE_PIPELINE: 'nightly', SLUICE_RUN_STATUS: 'failed', PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
    const text = (JSON.parse(output) as { text: string }).text;
    expect(text).toContain(':x: *nightly* failed');
    expect(text).toContain('`fct_orders` error (models/marts/fct_orders.sql) owner: @data-platform: Database Error in model fct_orders');
    expect(text).toContain('`unique_dim_customers_customer_id` fail');
    expect(text).not.toContain('not_null_stg_orders_status');
    expect(text).toContain('error 1, fail 1, no-op 1, partial success 1, pass 1, reused 1, runtime error 1, skipped 1, success 1, warn 1');
  });
});

it('one script serves every pipeline', () => {
  const content = emitEntrypoint(ir as SluiceIR).files[0]?.content ?? '';
  expect(content).toMatch(/nightly\) sluice_p\d_run ;;/);
  expect(content).toMatch(/backfill\) sluice_p\d_run ;;/);
});
