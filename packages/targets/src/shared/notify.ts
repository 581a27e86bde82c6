import { readFileSync } from 'node:fs';
import type { NotifyCommand, Value } from '@sluice/sdk/ir';

let cached: string | undefined;

/**
 * The run notifier, a small Python 3 program (python3 is present wherever dbt is; Node may not be).
 * It builds the message for its channel (Slack, Teams, JSON webhook, email) from the environment and
 * dbt's artifacts; no value is ever spliced into it. Every target embeds this same program.
 */
export function slackNotifierProgram(): string {
  cached ??= readFileSync(new URL('./notify_slack.py', import.meta.url), 'utf8');
  return cached;
}

/** The environment contract of the notifier: what each target must set. */
export const NOTIFIER_ENV = {
  channel: 'SLUICE_NOTIFY_CHANNEL',
  webhook: 'SLUICE_SLACK_WEBHOOK_URL',
  pipeline: 'SLUICE_PIPELINE',
  status: 'SLUICE_RUN_STATUS',
  trigger: 'SLUICE_TRIGGER',
  runUrl: 'SLUICE_RUN_URL',
  runResults: 'SLUICE_RUN_RESULTS',
  manifest: 'SLUICE_MANIFEST',
  deadline: 'SLUICE_NOTIFY_DEADLINE',
} as const;

/**
 * What a notification step tells the notifier, beyond the run context above: its channel, and the
 * channel's settings as literals or secrets. Each target renders these values its own way (a GitHub
 * secret expression, a Kubernetes secretKeyRef, an environment variable), never into code.
 */
export function notifierSettings(command: NotifyCommand): { name: string; value: Value }[] {
  const literal = (value: string): Value => ({ kind: 'literal', value });
  const secret = (name: string): Value => ({ kind: 'secret', name });
  const channel = (name: string) => ({ name: NOTIFIER_ENV.channel, value: literal(name) });
  switch (command.kind) {
    case 'notify-slack':
      return [channel('slack'), { name: NOTIFIER_ENV.webhook, value: secret(command.webhookSecret) }];
    case 'notify-teams':
      return [channel('teams'), { name: 'SLUICE_TEAMS_WEBHOOK_URL', value: secret(command.webhookSecret) }];
    case 'notify-webhook':
      return [channel('webhook'), { name: 'SLUICE_WEBHOOK_URL', value: secret(command.urlSecret) }];
    case 'notify-email':
      return [
        channel('email'),
        { name: 'SLUICE_SMTP_HOST', value: literal(command.host) },
        { name: 'SLUICE_SMTP_PORT', value: literal(String(command.port)) },
        { name: 'SLUICE_SMTP_SECURITY', value: literal(command.security) },
        { name: 'SLUICE_SMTP_FROM', value: literal(command.from) },
        { name: 'SLUICE_SMTP_TO', value: literal(command.to.join(',')) },
        ...(command.usernameSecret ? [{ name: 'SLUICE_SMTP_USER', value: secret(command.usernameSecret) }] : []),
        ...(command.passwordSecret ? [{ name: 'SLUICE_SMTP_PASSWORD', value: secret(command.passwordSecret) }] : []),
      ];
  }
}

/** For plans and logs: where a notification goes, without any secret value. */
export function describeNotify(command: NotifyCommand): string {
  switch (command.kind) {
    case 'notify-slack':
      return `notify Slack (webhook from secret ${command.webhookSecret})`;
    case 'notify-teams':
      return `notify Microsoft Teams (webhook from secret ${command.webhookSecret})`;
    case 'notify-webhook':
      return `POST the run summary as JSON (URL from secret ${command.urlSecret})`;
    case 'notify-email':
      return `email ${command.to.join(', ')} through ${command.host}:${command.port} (${command.security})`;
  }
}
