/**
 * The container entrypoint: judged by shellcheck and by bash itself. Every test runs the generated
 * script against stand-in commands that record their argv and exit as told.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dbt, input, notify, pipeline, secret, shell, trigger, upload, when, type SluiceIR } from '@sluice/sdk/ir';
import { emitEntrypoint } from '@sluice/targets';
import { compileProject } from '@sluice/compiler';
import { describe, expect, it } from 'vitest';
import { irOf } from '../../../test/helpers/ir.js';
import { examplesWithConfig, REPO_ROOT } from '../../../test/helpers/project.js';
import { entrypointChecklist } from '../../../test/helpers/checklists.js';
import { startHttpSink } from '../../../test/helpers/http-sink.js';
import { runScript, writeScript, type ScriptRun } from '../../../test/oracles/entrypoint.js';

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
    expect(text).toContain('`fct_orders` error (`models/marts/fct_orders.sql`) owner: `@data-platform`: `Database Error in model fct_orders');
    expect(text).toContain('`unique_dim_customers_customer_id` fail');
    expect(text).not.toContain('not_null_stg_orders_status');
    expect(text).toContain('error 1, fail 1, no-op 1, `partial success` 1, pass 1, reused 1, `runtime error` 1, skipped 1, success 1, warn 1');
  });
});

it('one script serves every pipeline', () => {
  const content = emitEntrypoint(ir as SluiceIR).files[0]?.content ?? '';
  expect(content).toMatch(/'?nightly'?\) run_function=sluice_p\d_run ;;/);
  expect(content).toMatch(/'?backfill'?\) run_function=sluice_p\d_run ;;/);
});

/** Bash's job notices ("[2]- Terminated  ( sleep 8 ...)") must never reach the log. */
const JOB_NOTICE = /\[\d+\][+-]?\s+(Terminated|Killed|Interrupt|Done|Exit|Stopped)\b/;
const canRunAsPid1 = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;

function shutdownBound(scriptPath: string, pipelineName: string, env: Record<string, string> = {}): number {
  const help = spawnSync('bash', [scriptPath, pipelineName, '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  const match = /shutdown on SIGTERM\/SIGINT: at most (\d+)s/.exec(help.stdout);
  if (!match) throw new Error(`no shutdown bound in --help:\n${help.stdout}${help.stderr}`);
  return Number(match[1]);
}

function log(run: ScriptRun): string {
  return run.stdout + run.stderr;
}

describe.skipIf(!canRunAsPid1)('shutdown as PID 1: nothing new starts, always() steps finish, bounded', () => {
  const flaky = pipeline('flaky', {
    triggers: [trigger.manual()],
    steps: () => {
      const run = dbt.build({ retries: 3 });
      const alert = notify.slack({ webhook: secret('SLACK_WEBHOOK'), needs: run, if: when.always() });
      return { run, notify: alert };
    },
  });
  const hooks = (count: number) =>
    pipeline(`hooks${count}`, {
      triggers: [trigger.manual()],
      steps: () => {
        const run = dbt.build();
        const steps: Record<string, ReturnType<typeof shell>> = {};
        for (let index = 1; index <= count; index += 1) steps[`hook${index}`] = shell(['sluice-step', `hook${index}`], { needs: run, if: when.always() });
        return { run, ...steps };
      },
    });
  const shutdownScript = writeScript(irOf(flaky, nightly, hooks(2), hooks(3)));

  it('SIGTERM during a retry back-off: no new attempt, the step is cancelled, the notifier runs', async () => {
    const run = await runScript(shutdownScript, 'flaky', {
      asPid1: true,
      env: { SLACK_WEBHOOK: 'https://hooks.invalid/x', SLUICE_RETRY_DELAY: '30' },
      rules: [{ match: 'dbt build', fail: 'always' }],
      interrupt: { ready: (stdout) => stdout.includes('run: attempt 1 of 4 failed (exit 1); retrying in 30s'), signal: 'SIGTERM' },
    });
    expect(run.code, log(run)).toBe(143);
    expect(run.standIns.calls().filter((call) => call.command === 'dbt')).toEqual([{ command: 'dbt', argv: ['build', '--target-path', 'target/sluice/run'] }]);
    expect(run.statuses).toEqual({ run: 'cancelled', notify: 'succeeded' });
    expect(run.stdout).toContain('run: cancelled during the back-off: no new attempt');
    expect(run.shutdownMs).toBeLessThan(5000);
    expect(log(run)).not.toMatch(JOB_NOTICE);
  });

  it('SIGTERM while the notifier posts: the post completes (the step counts as cancelled), the run exits 143', async () => {
    const sink = await startHttpSink([{ status: 200, delayMs: 1500 }]);
    try {
      const run = await runScript(shutdownScript, 'nightly', {
        asPid1: true,
        env: { ...secrets, SLACK_WEBHOOK: sink.url, SLUICE_NOTIFY_DRY_RUN: '0' },
        rules: [{ match: 'dbt build', fail: 'always' }],
        interrupt: { ready: () => sink.requests.length > 0, signal: 'SIGTERM' },
      });
      expect(run.code, log(run)).toBe(143);
      expect(run.statuses).toEqual({ run: 'failed', docs: 'skipped', upload: 'skipped', notify: 'cancelled' });
      expect(run.stdout).toContain('notify has always(): it may finish');
      expect(run.stdout).toContain('notify: ran to its end after the signal (exit 0)');
      expect(sink.requests).toHaveLength(1);
      // The message says what the run was when the notifier started: failed, not cancelled.
      expect((JSON.parse(sink.requests[0]?.body ?? '{}') as { text: string }).text).toContain(':x: *nightly* failed');
      expect(run.shutdownMs).toBeGreaterThan(1000);
      expect(log(run)).not.toMatch(JOB_NOTICE);
    } finally {
      await sink.close();
    }
  });

  it('the default bound fits Kubernetes’ 30 s grace period with margin, and --help prints it', () => {
    for (const name of ['nightly', 'flaky', 'hooks2', 'hooks3']) expect(shutdownBound(shutdownScript, name)).toBeLessThanOrEqual(25);
    const help = spawnSync('bash', [shutdownScript, '--help'], { encoding: 'utf8' }).stdout;
    expect(help.match(/shutdown on SIGTERM\/SIGINT: at most \d+s/g)).toHaveLength(4);
  });

  const hungWorstCase = (name: string, env: Record<string, string>) =>
    runScript(shutdownScript, name, {
      asPid1: true,
      env,
      // Everything hangs and ignores SIGINT and SIGTERM: only the script's SIGKILLs end them.
      rules: [
        { match: 'dbt build', sleep: 120, ignoreSignals: true },
        { match: 'sluice-step hook', sleep: 120, ignoreSignals: true },
      ],
      interrupt: { match: 'dbt build', signal: 'SIGTERM' },
    });

  it('worst case, short settings: three hung always() steps, each started, all done within the printed bound', async () => {
    const env = { SLUICE_SHUTDOWN_GRACE: '10', SLUICE_KILL_AFTER: '1' };
    const bound = shutdownBound(shutdownScript, 'hooks3', env);
    expect(bound).toBe(10);
    const run = await hungWorstCase('hooks3', env);
    expect(run.code, log(run)).toBe(143);
    expect(run.statuses).toEqual({ run: 'cancelled', hook1: 'failed', hook2: 'failed', hook3: 'failed' });
    expect(run.standIns.calls().filter((call) => call.started).map((call) => call.argv?.[0] ?? call.command)).toEqual(['build', 'hook1', 'hook2', 'hook3']);
    // Each step used its share: the bound is reached, not undercut by skipping the always() steps.
    expect(run.shutdownMs).toBeGreaterThan((bound - 3) * 1000);
    expect(run.shutdownMs).toBeLessThan(bound * 1000 + 1500);
    expect(log(run)).not.toMatch(JOB_NOTICE);
  });

  it('worst case, default settings: two hung always() steps end inside 25 s', async () => {
    const bound = shutdownBound(shutdownScript, 'hooks2');
    const run = await hungWorstCase('hooks2', {});
    expect(run.code, log(run)).toBe(143);
    expect(run.statuses).toEqual({ run: 'cancelled', hook1: 'failed', hook2: 'failed' });
    expect(run.shutdownMs).toBeLessThan(bound * 1000 + 1500);
    expect(bound * 1000 + 1500).toBeLessThan(30_000);
  }, 40_000);
});

describe('argument and secret mistakes', () => {
  it.each([['=x'], ['=']].map(([assignment]) => [assignment as string]))('--input %j: exit 2 with a message, not a bash error', async (assignment) => {
    const run = await runScript(script, 'backfill', { args: ['--input', assignment] });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^entrypoint\.sh: --input needs name=value with a name/);
    expect(run.stderr).not.toMatch(/line \d+|bad array subscript/);
  });
  it('--input 1a=x and --input a-b=x: exit 2', async () => {
    for (const assignment of ['1a=x', 'a-b=x', 'a b=x']) {
      const run = await runScript(script, 'backfill', { args: ['--input', assignment] });
      expect(run.code, assignment).toBe(2);
    }
  });
  it('the same input given twice: exit 2 naming it (neither value is chosen silently), nothing runs', async () => {
    const run = await runScript(script, 'backfill', { args: ['--input', 'select=a', '--input=select=b'] });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("input 'select' is given twice");
    expect(run.standIns.calls()).toEqual([]);
  });
  it('an empty secret is refused (exit 2), nothing runs', async () => {
    const run = await runScript(script, 'nightly', { env: { ...secrets, WAREHOUSE_PASSWORD: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('secret WAREHOUSE_PASSWORD is empty');
    expect(run.standIns.calls()).toEqual([]);
  });
  it('--dry-run warns about each missing or empty secret, and still shows the commands', async () => {
    const run = await runScript(script, 'nightly', { args: ['--dry-run'], env: { SLACK_WEBHOOK: '' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('warning: secret WAREHOUSE_PASSWORD is not set');
    expect(run.stderr).toContain('warning: secret SLACK_WEBHOOK is empty');
    expect(run.stdout).toContain('would run: dbt build');
    expect(run.standIns.calls()).toEqual([]);
  });
  it('<pipeline> --help shows that pipeline, exit 0, and runs nothing', async () => {
    const run = await runScript(script, 'backfill', { args: ['--help'] });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--input select=...');
    expect(run.stdout).not.toContain('nightly');
    expect(run.standIns.calls()).toEqual([]);
  });
  it('<unknown pipeline> --help: exit 2', async () => {
    const run = await runScript(script, 'nope', { args: ['--help'] });
    expect(run.code).toBe(2);
  });
  it('a setting that is not a number of seconds: exit 2', async () => {
    const run = await runScript(script, 'nightly', { env: { ...secrets, SLUICE_KILL_AFTER: '4s' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SLUICE_KILL_AFTER must be a whole number of seconds');
  });
  it('a cancelled run with a step killed after ignoring SIGINT leaves no job notice in the log', async () => {
    const run = await runScript(script, 'nightly', {
      env: { ...secrets, SLUICE_KILL_AFTER: '1' },
      rules: [{ match: 'dbt build', sleep: 30, ignoreSignals: true }],
      interrupt: { match: 'dbt build', signal: 'SIGTERM' },
    });
    expect(run.code).toBe(143);
    expect(run.statuses.run).toBe('cancelled');
    expect(log(run)).not.toMatch(JOB_NOTICE);
  });
});
