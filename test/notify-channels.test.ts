/**
 * notify.slack / teams / webhook / email on every target: each passes the target's validators and
 * checklists, secrets reach the notifier through the environment only, and the entrypoint, run for
 * real, delivers each channel's document to sinks on loopback (HTTP and SMTP).
 */
import { spawnSync } from 'node:child_process';
import { dbt, DIAGNOSTIC_CODES as E, notify, pipeline, secret, trigger, when, type Pipeline } from '@sluice/sdk/ir';
import { buildIR } from '@sluice/compiler';
import { emitArgo, emitEntrypoint, emitGithub } from '@sluice/targets';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { argoDocuments, argoProjectProblems, argoSchemaProblems } from './helpers/argo-checks.js';
import { argoChecklist, entrypointChecklist, githubChecklist } from './helpers/checklists.js';
import { startHttpSink, type HttpSink } from './helpers/http-sink.js';
import { irOf } from './helpers/ir.js';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.js';
import { actionlintFindings, githubParserErrors } from './helpers/validators.js';
import { runScript, writeScript } from './oracles/entrypoint.js';

function everyChannel(smtpPort = 2525): Pipeline {
  return pipeline('alerts', {
    triggers: [trigger.manual()],
    steps: () => {
      const run = dbt.build();
      const after = { needs: run, if: when.always() };
      return {
        run,
        slack: notify.slack({ webhook: secret('SLACK_WEBHOOK'), ...after }),
        teams: notify.teams({ webhook: secret('TEAMS_WEBHOOK'), ...after }),
        hook: notify.webhook({ url: secret('ALERT_WEBHOOK_URL'), ...after }),
        email: notify.email({ smtp: { host: '127.0.0.1', port: smtpPort, security: 'none' }, from: 'sluice@example.com', to: ['data@example.com'], ...after }),
        secureEmail: notify.email({ smtp: { host: 'smtp.example.com', username: secret('SMTP_USER'), password: secret('SMTP_PASSWORD') }, from: 'sluice@example.com', to: 'oncall@example.com', if: when.failure(), needs: run }),
      };
    },
  });
}

const SECRET_NAMES = ['SLACK_WEBHOOK', 'TEAMS_WEBHOOK', 'ALERT_WEBHOOK_URL', 'SMTP_USER', 'SMTP_PASSWORD'];

describe('GitHub Actions', async () => {
  const files = emitGithub(irOf(everyChannel())).files;
  const workflow = files.find((file) => file.path.endsWith('alerts.yml'));
  it('passes GitHub’s parser, actionlint and the security checklist', async () => {
    expect(workflow).toBeDefined();
    const content = workflow?.content ?? '';
    expect(githubChecklist(content)).toEqual([]);
    expect(await githubParserErrors('alerts.yml', content)).toEqual([]);
    expect(await actionlintFindings('alerts.yml', content)).toEqual([]);
  });
  it('each notify step runs the one notifier, with its channel, and secrets only as ${{ secrets.X }} in env', () => {
    const steps = (parse(workflow?.content ?? '') as { jobs: Record<string, { steps: { id?: string; run?: string; env?: Record<string, string> }[] }> }).jobs;
    const byId = new Map(Object.values(steps).flatMap((job) => job.steps).map((step) => [step.id, step]));
    expect(byId.get('teams')?.env).toMatchObject({ SLUICE_NOTIFY_CHANNEL: 'teams', SLUICE_TEAMS_WEBHOOK_URL: '${{ secrets.TEAMS_WEBHOOK }}' });
    expect(byId.get('hook')?.env).toMatchObject({ SLUICE_NOTIFY_CHANNEL: 'webhook', SLUICE_WEBHOOK_URL: '${{ secrets.ALERT_WEBHOOK_URL }}' });
    expect(byId.get('secureEmail')?.env).toMatchObject({
      SLUICE_NOTIFY_CHANNEL: 'email',
      SLUICE_SMTP_HOST: 'smtp.example.com',
      SLUICE_SMTP_PORT: '587',
      SLUICE_SMTP_SECURITY: 'starttls',
      SLUICE_SMTP_TO: 'oncall@example.com',
      SLUICE_SMTP_USER: '${{ secrets.SMTP_USER }}',
      SLUICE_SMTP_PASSWORD: '${{ secrets.SMTP_PASSWORD }}',
    });
    for (const id of ['slack', 'teams', 'hook', 'email', 'secureEmail']) expect(byId.get(id)?.run?.trim()).toBe('python3 "$GITHUB_WORKSPACE"/.github/sluice/notify_slack.py');
    expect(files.filter((file) => file.path.endsWith('notify_slack.py'))).toHaveLength(1);
  });
});

describe('Argo Workflows', () => {
  const options = { image: 'ghcr.io/acme/dbt@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' };
  const content = emitArgo(irOf(everyChannel()), options).files.map((file) => file.content).join('\n---\n');
  it('passes Argo’s schema, the project checks and the security checklist', () => {
    expect(argoSchemaProblems(content)).toEqual([]);
    expect(argoProjectProblems(content)).toEqual([]);
    expect(argoChecklist(content)).toEqual([]);
  });
  it('secrets as secretKeyRef only; settings as plain values', () => {
    const env = argoDocuments(content)
      .flatMap((doc) => ((doc.spec as { templates?: { container?: { env?: { name: string; value?: string; valueFrom?: unknown }[] } }[] })?.templates ?? []))
      .flatMap((template) => template.container?.env ?? []);
    for (const name of ['SLUICE_SLACK_WEBHOOK_URL', 'SLUICE_TEAMS_WEBHOOK_URL', 'SLUICE_WEBHOOK_URL', 'SLUICE_SMTP_USER', 'SLUICE_SMTP_PASSWORD']) {
      const entries = env.filter((variable) => variable.name === name);
      expect(entries.length, name).toBeGreaterThan(0);
      for (const entry of entries) expect(entry, name).toMatchObject({ valueFrom: { secretKeyRef: expect.any(Object) } });
    }
    expect(env).toContainEqual({ name: 'SLUICE_NOTIFY_CHANNEL', value: 'email' });
    expect(env).toContainEqual({ name: 'SLUICE_SMTP_HOST', value: 'smtp.example.com' });
  });
});

describe('the entrypoint, run for real against sinks on loopback', () => {
  const sinks: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(sinks.splice(0).map((sink) => sink.close()));
  });
  const track = <T extends { close(): Promise<void> }>(sink: T): T => {
    sinks.push(sink);
    return sink;
  };

  it('passes shellcheck-free checks; every channel delivers its document after a failed build', async () => {
    const [slack, teams, hook]: HttpSink[] = [track(await startHttpSink()), track(await startHttpSink([{ status: 502 }, { status: 200 }])), track(await startHttpSink())];
    const smtp: SmtpSink = track(await startSmtpSink());
    const script = emitEntrypoint(irOf(everyChannel(smtp.port))).files[0]?.content ?? '';
    expect(entrypointChecklist(script)).toEqual([]);
    const run = await runScript(writeScript(irOf(everyChannel(smtp.port))), 'alerts', {
      env: { SLUICE_NOTIFY_DRY_RUN: '0', SLUICE_NOTIFY_DEADLINE: '3', SLACK_WEBHOOK: slack?.url ?? '', TEAMS_WEBHOOK: teams?.url ?? '', ALERT_WEBHOOK_URL: hook?.url ?? '', SMTP_USER: 'u', SMTP_PASSWORD: 'p' },
      rules: [{ match: 'dbt build', fail: 'always' }],
    });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    // secureEmail runs too (failure()): smtp.example.com cannot be reached here, so it fails within the
    // deadline set in the container's environment, with one line.
    expect(run.statuses).toEqual({ run: 'failed', slack: 'succeeded', teams: 'succeeded', hook: 'succeeded', email: 'succeeded', secureEmail: 'failed' });
    expect(run.stderr).toMatch(/^sluice notify: gave up after \d+ attempt\(s\) within the 3s deadline; last: /m);
    expect(run.stderr).not.toContain('Traceback');
    expect((JSON.parse(slack?.requests[0]?.body ?? '{}') as { text: string }).text).toContain(':x: *alerts* failed');
    expect(teams?.requests).toHaveLength(2);
    expect(JSON.parse(teams?.requests[1]?.body ?? '{}')).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }] });
    expect(JSON.parse(hook?.requests[0]?.body ?? '{}')).toMatchObject({ schema: 'sluice.notification/v1', pipeline: 'alerts', result: 'failed' });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]?.data).toContain('Subject: [sluice] alerts failed');
  }, 60_000);

  it('--dry-run names each channel and sends nothing', async () => {
    const run = await runScript(writeScript(irOf(everyChannel())), 'alerts', { args: ['--dry-run'] });
    expect(run.code, run.stderr).toBe(0);
    for (const channel of ['slack', 'teams', 'webhook', 'email']) expect(run.stdout).toContain(`would send the run summary (${channel})`);
    // The SMTP credentials are secrets: a dry run warns that they are missing.
    expect(run.stderr).toContain('warning: secret SMTP_PASSWORD is not set');
  });

  it('the script never contains a secret name as a value, only as ${NAME:-}', () => {
    const script = emitEntrypoint(irOf(everyChannel())).files[0]?.content ?? '';
    for (const name of SECRET_NAMES) expect(script).toContain(`="\${${name}:-}"`);
    expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
  });

  it.skipIf(spawnSync('shellcheck', ['--version']).status !== 0)('shellcheck -S style finds nothing', () => {
    const script = emitEntrypoint(irOf(everyChannel())).files[0]?.content ?? '';
    const result = spawnSync('shellcheck', ['-S', 'style', '-s', 'bash', '-'], { input: script, encoding: 'utf8' });
    expect(result.stdout).toBe('');
  });
});

describe('mistakes in notification options are coded errors', () => {
  const codes = (steps: Parameters<typeof pipeline>[1]['steps']) => buildIR([pipeline('p', { triggers: [trigger.manual()], steps })]).diagnostics.map((d) => d.code);
  const email = (overrides: Record<string, unknown>) => () => ({ mail: notify.email({ smtp: { host: 'smtp.example.com' }, from: 'a@example.com', to: 'b@example.com', ...overrides } as never) });
  it.each([
    ['a bad recipient', email({ to: ['Data Team <data@example.com>'] })],
    ['no recipient', email({ to: [] })],
    ['a host with a scheme', email({ smtp: { host: 'smtp://mail.example.com' } })],
    ['a port out of range', email({ smtp: { host: 'smtp.example.com', port: 70000 } })],
    ['a password in clear', email({ smtp: { host: 'smtp.example.com', security: 'none', username: secret('U'), password: secret('P') } })],
    ['an unknown security mode', email({ smtp: { host: 'smtp.example.com', security: 'ssl' } })],
  ])('%s', (_name, steps) => {
    expect(codes(steps as never)).toEqual([E.INVALID_EMAIL_SETTINGS]);
  });
  it.each([
    ['a password as a plain string', email({ smtp: { host: 'smtp.example.com', username: secret('U'), password: 'hunter2' } })],
    ['a Teams webhook as a plain string', () => ({ teams: notify.teams({ webhook: 'https://example.webhook.office.com/x' as never }) })],
    ['a webhook URL as a plain string', () => ({ hook: notify.webhook({ url: 'https://example.com/x' as never }) })],
  ])('%s', (_name, steps) => {
    expect(codes(steps as never)).toEqual([E.NOTIFY_SECRET_REQUIRED]);
  });
  it('a good email notification has no diagnostics', () => {
    expect(codes(email({ to: ['a@example.com', 'b.c+d@sub.example.co.uk'] }) as never)).toEqual([]);
  });
});
