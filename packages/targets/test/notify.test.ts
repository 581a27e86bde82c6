/**
 * The run notifier (shared/notify_slack.py), run as the targets run it: python3 with only its
 * environment and dbt's artifacts. Escaping is checked by property with hostile strings in every field
 * that comes from data; delivery against real sockets on loopback (an HTTP endpoint that fails, throttles
 * or hangs; an SMTP server with and without STARTTLS).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/helpers/project.js';
import { startHttpSink, type HttpSink } from '../../../test/helpers/http-sink.js';
import { selfSignedCertificate, startSmtpSink, type SmtpSink } from '../../../test/helpers/smtp-sink.js';

const NOTIFIER = join(REPO_ROOT, 'packages/targets/src/shared/notify_slack.py');
const RUN_URL = 'https://ci.example/runs/1';

interface NotifierRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the notifier asynchronously (the sinks live in this process and must keep answering). */
function runNotifier(env: Record<string, string>, cwd = mkdtempSync(join(tmpdir(), 'sluice-notify-'))): Promise<NotifierRun> {
  const started = Date.now();
  const child = spawn('python3', [NOTIFIER], { cwd, env: { PATH: process.env.PATH ?? '', SLUICE_PIPELINE: 'nightly', SLUICE_RUN_STATUS: 'failed', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })));
}

interface Hostile {
  pipeline: string;
  trigger: string;
  name: string;
  owner: string;
  message: string;
  path: string;
  note: string;
}

/** A project directory whose run_results, manifest and notes carry the given strings, where the dbt step 'run' keeps them (target/sluice/<step id>). */
function projectWith(data: Hostile): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-notify-'));
  mkdirSync(join(dir, 'target/sluice/run'), { recursive: true });
  mkdirSync(join(dir, '.sluice'));
  const id = 'model.shop.orders';
  writeFileSync(join(dir, 'target/sluice/run/run_results.json'), JSON.stringify({ results: [{ unique_id: id, status: 'error', message: data.message }, { unique_id: 'model.shop.ok', status: 'success' }] }));
  writeFileSync(join(dir, 'target/sluice/run/manifest.json'), JSON.stringify({ nodes: { [id]: { name: data.name, original_file_path: data.path, config: { meta: { owner: data.owner } } } } }));
  writeFileSync(join(dir, '.sluice/notes'), `${data.note.replace(/[\r\n]/g, ' ')}\n`);
  return dir;
}

const SLACK_CONTROL = ['<!channel>', '<!here>', '<!everyone>', '<@U024BE7LH>', '<#C024BE7LR>', '<!subteam^SAZ94GDB8>', '<https://evil.example|Open the run>', '<mailto:a@evil.example|mail>', '&lt;!channel&gt;', '&amp;', '&', '<', '>', '|', '*bold*', '`code`', '\n<!here>'];
const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...SLACK_CONTROL), fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 4 })), { minLength: 1, maxLength: 5 })
  .map((parts) => parts.join(''))
  .filter((text) => text.trim() !== '');
const hostile: fc.Arbitrary<Hostile> = fc.record({ pipeline: hostileText, trigger: hostileText, name: hostileText, owner: hostileText, message: hostileText, path: hostileText, note: hostileText });

/** What every channel shows of a value from data: one line (controls, NEL, U+2028/2029 as spaces). */
const oneLine = (text: string): string => text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, ' ');
/** What Slack shows of it: one line, backticks as quotes (a code span cannot be closed), URLs defanged. */
const slackShown = (text: string): string => oneLine(text).replace(/`/g, "'").replace(/:\/\//g, ' :// ').trim();
// (a plain word is shown as is, anything else inside a code span: either way these characters survive)
const unescapeSlack = (text: string): string => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('Slack: data is text, never markup', () => {
  it('hostile strings in every field: no mention, command or link but the run link; & < > as entities; the words survive', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (data) => {
        const run = await runNotifier({ SLUICE_NOTIFY_DRY_RUN: '1', SLUICE_PIPELINE: data.pipeline, SLUICE_TRIGGER: data.trigger, SLUICE_RUN_URL: RUN_URL }, projectWith(data));
        expect(run.code, run.stderr).toBe(0);
        const text = (JSON.parse(run.stdout) as { text: string }).text;
        // Slack's control sequences are exactly the <...> spans: only ours remains.
        expect(text.match(/<[^>]*>/g)).toEqual([`<${RUN_URL}|Open the run>`]);
        // Every & starts one of the three entities: nothing half-escaped for Slack to decode.
        expect(text.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
        const plain = unescapeSlack(text);
        for (const value of [data.pipeline, data.trigger, data.owner, data.name, data.path]) expect(plain).toContain(slackShown(value));
        expect(plain).toContain(slackShown(data.message.trim()).slice(0, 200));
      }),
      { numRuns: 25 },
    );
  }, 60_000);

  it('a run URL that is not a plain http(s) URL is never made a link', async () => {
    for (const url of ['https://ci.example/run|<!channel>', 'javascript:alert(1)', 'https://ci.example/a b', 'https://ci.example/<@U1>']) {
      const run = await runNotifier({ SLUICE_NOTIFY_DRY_RUN: '1', SLUICE_RUN_URL: url });
      const text = (JSON.parse(run.stdout) as { text: string }).text;
      expect(text.match(/<[^>]*>/g), url).toBeNull();
    }
  });
});

describe('red team: one line per value, no Slack formatting from data, malformed run_results', () => {
  const BREAKS = ['\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\v', '\f'];
  const hostileLine: fc.Arbitrary<Hostile> = fc.record({
    pipeline: hostileText, trigger: hostileText, name: hostileText, owner: hostileText, path: hostileText, note: hostileText,
    message: fc.tuple(hostileText, fc.constantFrom(...BREAKS), fc.constantFrom('- `x` failed: forged', '*bold* _it_ ~s~', 'https://evil.example/login', '`` ` ``')).map((parts) => parts.join('')),
  }).map((data) => ({ ...data, name: `${data.name}\u2028:white_check_mark: *all green*`, owner: `https://evil.example ${data.owner}\n- forged` }));
  // projectWith writes the run step's artifacts where the notifier reads them (target/sluice/<step>).
  const withArtifacts = (dir: string): Record<string, string> => ({ SLUICE_ARTIFACTS_DIR: join(dir, 'target/sluice') });
  const linesOf = (channel: string, stdout: string): string[] => {
    const document = JSON.parse(stdout) as Record<string, unknown>;
    if (channel === 'slack') return String(document.text).split('\n');
    if (channel === 'email') return String(document.body).trimEnd().split('\n');
    return [];
  };

  it.each(['slack', 'email'])('%s: a fixed number of lines whatever the data holds', async (channel) => {
    await fc.assert(
      fc.asyncProperty(hostileLine, async (data) => {
        const dir = projectWith(data);
        const run = await runNotifier({ SLUICE_NOTIFY_DRY_RUN: '1', SLUICE_NOTIFY_CHANNEL: channel, SLUICE_PIPELINE: data.pipeline, SLUICE_TRIGGER: `${data.trigger}\u2029x`, SLUICE_NOTES: '/nonexistent', ...withArtifacts(dir) }, dir);
        expect(run.code, run.stderr).toBe(0);
        // Header, counts, one problem line: three lines, nothing the data could add.
        expect(linesOf(channel, run.stdout)).toHaveLength(3);
        for (const line of linesOf(channel, run.stdout)) expect(line).not.toMatch(/[\u2028\u2029\r\x85\v\f]/);
      }),
      { numRuns: 10 },
    );
  }, 60_000);

  it('teams and webhook: no value holds a line break', async () => {
    for (const channel of ['teams', 'webhook']) {
      const data = fc.sample(hostileLine, { numRuns: 1, seed: 7 })[0] as Hostile;
      const dir = projectWith(data);
      const run = await runNotifier({ SLUICE_NOTIFY_DRY_RUN: '1', SLUICE_NOTIFY_CHANNEL: channel, SLUICE_PIPELINE: `a\nb`, SLUICE_TRIGGER: 'c\u2028d', ...withArtifacts(dir) }, dir);
      expect(run.stdout).toContain('forged');
      expect(run.code, run.stderr).toBe(0);
      const strings: string[] = [];
      JSON.parse(run.stdout, (_key, value: unknown) => (typeof value === 'string' && strings.push(value), value));
      for (const text of strings) expect(text, channel).not.toMatch(/[\x00-\x1f\u2028\u2029\x85]/);
    }
  });

  it('slack: data sits in code spans it cannot close; no bold, italics, strike or bare link from data', async () => {
    await fc.assert(
      fc.asyncProperty(hostileLine, async (data) => {
        const dir = projectWith(data);
        const run = await runNotifier({ SLUICE_NOTIFY_DRY_RUN: '1', SLUICE_PIPELINE: data.pipeline, SLUICE_TRIGGER: data.trigger, SLUICE_RUN_URL: RUN_URL, ...withArtifacts(dir) }, dir);
        const text = (JSON.parse(run.stdout) as { text: string }).text;
        expect(text).toContain('all green');
        // Outside code spans only the notifier's own words remain.
        // (The pipeline is bold only when it is a plain word: letters, digits, hyphens.)
        const outside = text.replace(/`[^`\n]*`/g, '').replace(`<${RUN_URL}|Open the run>`, '').replace(/^\S+ \*[A-Za-z0-9-]+\* /, '');
        expect(outside).not.toMatch(/[*_~`]|:\/\/|https?:/);
        // A URL in data is broken up (`https :// evil.example`): Slack auto-links only unbroken ones.
        expect(text.split('\n').filter((line) => /[A-Za-z]:\/\//.test(line))).toEqual([`<${RUN_URL}|Open the run>`]);
        expect(outside).not.toContain('all green');
      }),
      { numRuns: 15 },
    );
  }, 60_000);

  it('malformed run_results and manifest (numbers, lists, non-objects) are coerced or skipped; the message is still posted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-notify-'));
    mkdirSync(join(dir, 'target'));
    writeFileSync(join(dir, 'target/run_results.json'), JSON.stringify({ metadata: 5, results: [{ unique_id: 7, status: 'error', message: ['x'] }, 'junk', null, 3, { status: ['error'] }, { unique_id: 'model.a.c', status: 'error', message: { a: 1 } }] }));
    writeFileSync(join(dir, 'target/manifest.json'), JSON.stringify({ nodes: { 'model.a.c': 3, '7': { name: ['n'], config: 'x', meta: [] } } }));
    for (const channel of ['slack', 'teams', 'webhook', 'email']) {
      const run = await runNotifier({ SLUICE_NOTIFY_DRY_RUN: '1', SLUICE_NOTIFY_CHANNEL: channel, SLUICE_RUN_RESULTS: join(dir, 'target/run_results.json'), SLUICE_MANIFEST: join(dir, 'target/manifest.json') }, dir);
      expect(run.code, `${channel}: ${run.stderr}`).toBe(0);
      // A list-valued message or node name is shown as its JSON text.
      const strings: string[] = [];
      JSON.parse(run.stdout, (_key, value: unknown) => (typeof value === 'string' && strings.push(value), value));
      expect(strings.some((text) => text.includes('["x"]')), channel).toBe(true);
      expect(strings.some((text) => text.includes('["n"]')), channel).toBe(true);
    }
    writeFileSync(join(dir, 'target/run_results.json'), '"just a string"');
    writeFileSync(join(dir, 'target/manifest.json'), '[1, 2]');
    const run = await runNotifier({ SLUICE_NOTIFY_DRY_RUN: '1', SLUICE_RUN_RESULTS: join(dir, 'target/run_results.json'), SLUICE_MANIFEST: join(dir, 'target/manifest.json') }, dir);
    expect(run.code, run.stderr).toBe(0);
  }, 60_000);
});

describe('Microsoft Teams: an Adaptive Card where data lives only in plain TextRuns', () => {
  it('hostile strings: every string from data is a TextRun text; the only URL is the run link action', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (data) => {
        const run = await runNotifier({ SLUICE_NOTIFY_DRY_RUN: '1', SLUICE_NOTIFY_CHANNEL: 'teams', SLUICE_PIPELINE: data.pipeline, SLUICE_TRIGGER: data.trigger, SLUICE_RUN_URL: RUN_URL }, projectWith(data));
        expect(run.code, run.stderr).toBe(0);
        const message = JSON.parse(run.stdout) as { type: string; attachments: { contentType: string; content: Record<string, unknown> }[] };
        expect(message.type).toBe('message');
        expect(message.attachments).toHaveLength(1);
        expect(message.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
        const card = message.attachments[0]?.content as { type: string; version: string; actions: unknown[] };
        expect(card.type).toBe('AdaptiveCard');
        expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open the run', url: RUN_URL }]);
        // TextRuns never interpret Markdown; TextBlocks (which do) are never used.
        const types = new Set<string>();
        const texts: string[] = [];
        const walk = (node: unknown): void => {
          if (Array.isArray(node)) return node.forEach(walk);
          if (node === null || typeof node !== 'object') return;
          const object = node as Record<string, unknown>;
          if (typeof object.type === 'string') types.add(object.type);
          if (object.type === 'TextRun') texts.push(String(object.text));
          Object.values(object).forEach(walk);
        };
        walk(card);
        expect([...types].sort()).toEqual(['Action.OpenUrl', 'AdaptiveCard', 'RichTextBlock', 'TextRun']);
        const all = texts.join('');
        for (const value of [data.pipeline, data.owner, data.name, data.path]) expect(all).toContain(oneLine(value));
      }),
      { numRuns: 15 },
    );
  }, 60_000);
});

describe('generic webhook: the documented JSON schema', () => {
  const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'docs/notification.schema.json'), 'utf8')) as object;
  const validate = new Ajv({ strict: false }).compile(schema);

  it('valid against docs/notification.schema.json, values byte for byte, for hostile data and for no results', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (data) => {
        const run = await runNotifier({ SLUICE_NOTIFY_DRY_RUN: '1', SLUICE_NOTIFY_CHANNEL: 'webhook', SLUICE_PIPELINE: data.pipeline, SLUICE_TRIGGER: data.trigger }, projectWith(data));
        const body = JSON.parse(run.stdout) as { pipeline: string; problems: { name: string; owner: string }[]; runUrl: unknown };
        expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
        expect(body.pipeline).toBe(oneLine(data.pipeline));
        expect(body.problems[0]?.name).toBe(oneLine(data.name));
        expect(body.problems[0]?.owner).toBe(oneLine(data.owner));
        expect(body.runUrl).toBeNull();
      }),
      { numRuns: 10 },
    );
    const empty = await runNotifier({ SLUICE_NOTIFY_DRY_RUN: '1', SLUICE_NOTIFY_CHANNEL: 'webhook', SLUICE_RUN_STATUS: 'success' });
    const body = JSON.parse(empty.stdout) as Record<string, unknown>;
    expect(validate(body)).toBe(true);
    expect(body).toMatchObject({ schema: 'sluice.notification/v1', result: 'succeeded', hasResults: false, problems: [] });
  }, 60_000);
});

describe('HTTP delivery: retries within one deadline, one line on failure', () => {
  let sink: HttpSink | undefined;
  afterEach(async () => {
    await sink?.close();
    sink = undefined;
  });

  it('500 then 200: posted on the second attempt, exit 0', async () => {
    sink = await startHttpSink([{ status: 500 }, { status: 200 }]);
    const run = await runNotifier({ SLUICE_SLACK_WEBHOOK_URL: sink.url });
    expect(run.code, run.stderr).toBe(0);
    expect(sink.requests).toHaveLength(2);
    expect(sink.requests[1]?.headers['content-type']).toBe('application/json');
    expect((JSON.parse(sink.requests[1]?.body ?? '') as { text: string }).text).toContain('*nightly* failed');
    expect(run.stderr).toBe('sluice notify: attempt 1 failed (HTTP 500); retrying in 1s\n');
  });

  it('429 with Retry-After: 2 waits two seconds, then posts', async () => {
    sink = await startHttpSink([{ status: 429, headers: { 'Retry-After': '2' } }, { status: 200 }]);
    const run = await runNotifier({ SLUICE_NOTIFY_CHANNEL: 'teams', SLUICE_TEAMS_WEBHOOK_URL: sink.url });
    expect(run.code, run.stderr).toBe(0);
    expect(sink.requests).toHaveLength(2);
    const gap = (sink.requests[1]?.at ?? 0) - (sink.requests[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(1900);
    expect(gap).toBeLessThan(4000);
  });

  it('a Retry-After beyond the deadline: gives up at once, one line, exit 1', async () => {
    sink = await startHttpSink([{ status: 429, headers: { 'Retry-After': '120' } }]);
    const run = await runNotifier({ SLUICE_SLACK_WEBHOOK_URL: sink.url, SLUICE_NOTIFY_DEADLINE: '5' });
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(2000);
    expect(run.stderr).toBe('sluice notify: gave up after 1 attempt(s) within the 5s deadline; last: HTTP 429\n');
  });

  it('an endpoint that never answers: stopped by the deadline, not by the step timeout', async () => {
    sink = await startHttpSink([{ hang: true }]);
    const run = await runNotifier({ SLUICE_NOTIFY_CHANNEL: 'webhook', SLUICE_WEBHOOK_URL: sink.url, SLUICE_NOTIFY_DEADLINE: '2' });
    expect(run.code).toBe(1);
    expect(run.ms).toBeGreaterThan(1800);
    expect(run.ms).toBeLessThan(4500);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^sluice notify: gave up after \d attempt\(s\) within the 2s deadline; last: no answer$/);
    expect(run.stderr).not.toContain('Traceback');
  });

  it('always 503: retried with back-off until the deadline', async () => {
    sink = await startHttpSink([{ status: 503 }]);
    const run = await runNotifier({ SLUICE_SLACK_WEBHOOK_URL: sink.url, SLUICE_NOTIFY_DEADLINE: '4' });
    expect(run.code).toBe(1);
    // 0 s, 1 s, 3 s: the next wait (4 s) would pass the deadline.
    expect(sink.requests).toHaveLength(3);
    expect(run.ms).toBeLessThan(5000);
  });

  it('404 (the webhook was deleted): not retried', async () => {
    sink = await startHttpSink([{ status: 404 }]);
    const run = await runNotifier({ SLUICE_SLACK_WEBHOOK_URL: sink.url });
    expect(run.code).toBe(1);
    expect(sink.requests).toHaveLength(1);
    expect(run.stderr).toBe('sluice notify: the endpoint answered HTTP 404; not retried (check the URL and that the webhook still exists)\n');
  });

  it('nothing listening: connection errors retried, then one line', async () => {
    const run = await runNotifier({ SLUICE_SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/hook', SLUICE_NOTIFY_DEADLINE: '2' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^sluice notify: gave up after 2 attempt\(s\) within the 2s deadline; last: cannot connect/);
  });

  it.each(['', 'hooks.slack.com/services/x', 'ftp://example.com/x', 'http://[::1', 'https://', 'http://host:99999/x', 'https://exa mple.com/x'])('malformed URL %j: one line naming the variable (not the secret value), exit 1', async (url) => {
    const run = await runNotifier({ SLUICE_SLACK_WEBHOOK_URL: url });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^sluice notify: SLUICE_SLACK_WEBHOOK_URL (is empty|is not)[^\n]*\n$/);
    if (url) expect(run.stderr).not.toContain(url);
  });

  it('an unknown channel or a bad deadline: one line, exit 1', async () => {
    expect((await runNotifier({ SLUICE_NOTIFY_CHANNEL: 'pager' })).stderr).toBe("sluice notify: unknown channel 'pager' (slack, teams, webhook, email)\n");
    expect((await runNotifier({ SLUICE_SLACK_WEBHOOK_URL: 'https://x.example/', SLUICE_NOTIFY_DEADLINE: 'soon' })).stderr).toMatch(/^sluice notify: SLUICE_NOTIFY_DEADLINE must be a number/);
  });
});

describe('email over SMTP', () => {
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await sink?.close();
    sink = undefined;
  });
  const mail = (port: number, extra: Record<string, string> = {}): Record<string, string> => ({
    SLUICE_NOTIFY_CHANNEL: 'email',
    SLUICE_SMTP_HOST: '127.0.0.1',
    SLUICE_SMTP_PORT: String(port),
    SLUICE_SMTP_FROM: 'sluice@example.com',
    SLUICE_SMTP_TO: 'data@example.com, oncall@example.com',
    SLUICE_RUN_URL: RUN_URL,
    ...extra,
  });

  it('plain SMTP (security none): one message to every recipient, subject and summary in it', async () => {
    sink = await startSmtpSink();
    const data = { pipeline: 'nightly', trigger: 'schedule', name: 'fct_orders', owner: '@data', message: 'Database Error', path: 'models/fct_orders.sql', note: 'slim fell back' };
    const run = await runNotifier(mail(sink.port, { SLUICE_SMTP_SECURITY: 'none' }), projectWith(data));
    expect(run.code, run.stderr).toBe(0);
    expect(sink.messages).toHaveLength(1);
    const message = sink.messages[0];
    expect(message?.from).toBe('sluice@example.com');
    expect(message?.to).toEqual(['data@example.com', 'oncall@example.com']);
    expect(message?.data).toContain('Subject: [sluice] nightly failed');
    expect(message?.data).toContain('- fct_orders error (models/fct_orders.sql) owner: @data: Database Error');
    expect(message?.data).toContain(`Open the run: ${RUN_URL}`);
    expect(message?.tls).toBe(false);
  });

  it('STARTTLS (the default): upgrades, verifies the certificate, logs in, then sends', async () => {
    const certificate = selfSignedCertificate();
    sink = await startSmtpSink({ tls: certificate, auth: true });
    const run = await runNotifier(mail(sink.port, { SLUICE_SMTP_USER: 'apikey', SLUICE_SMTP_PASSWORD: 's3cret', SSL_CERT_FILE: certificate.certFile }));
    expect(run.code, run.stderr).toBe(0);
    expect(sink.messages).toEqual([expect.objectContaining({ tls: true, user: 'apikey' })]);
  });

  it('STARTTLS required but not offered: nothing sent in clear, one line', async () => {
    sink = await startSmtpSink({ auth: true });
    const run = await runNotifier(mail(sink.port, { SLUICE_SMTP_USER: 'apikey', SLUICE_SMTP_PASSWORD: 's3cret' }));
    expect(run.code).toBe(1);
    expect(sink.messages).toEqual([]);
    expect(run.stderr).toBe('sluice notify: the SMTP server does not offer STARTTLS; not sending in clear (SLUICE_SMTP_SECURITY)\n');
  });

  it('a password without TLS is refused before connecting', async () => {
    sink = await startSmtpSink({ auth: true });
    const run = await runNotifier(mail(sink.port, { SLUICE_SMTP_SECURITY: 'none', SLUICE_SMTP_USER: 'u', SLUICE_SMTP_PASSWORD: 'p' }));
    expect(run.code).toBe(1);
    expect(sink.connections).toBe(0);
  });

  it('421 (server busy) on the first connection: retried, delivered', async () => {
    sink = await startSmtpSink({ refuseFirst: 1 });
    const run = await runNotifier(mail(sink.port, { SLUICE_SMTP_SECURITY: 'none' }));
    expect(run.code, run.stderr).toBe(0);
    expect(sink.connections).toBe(2);
    expect(sink.messages).toHaveLength(1);
  });

  it('a pipeline name with CR LF cannot add a header', async () => {
    sink = await startSmtpSink();
    const run = await runNotifier(mail(sink.port, { SLUICE_SMTP_SECURITY: 'none', SLUICE_PIPELINE: 'nightly\r\nBcc: attacker@evil.example' }));
    expect(run.code, run.stderr).toBe(0);
    expect(sink.messages[0]?.to).toEqual(['data@example.com', 'oncall@example.com']);
    const [headers = '', body = ''] = (sink.messages[0]?.data ?? '').split(/\r?\n\r?\n/);
    expect(headers).not.toMatch(/^Bcc:/im);
    expect(headers).toContain('Subject: [sluice] nightly  Bcc: attacker@evil.example failed');
    expect(body).not.toMatch(/^Bcc:/m);
  });
});
