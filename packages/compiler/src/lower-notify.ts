/**
 * Lowering of notification steps (notify.slack/teams/webhook/email): secrets become names. A
 * webhook, URL or login given as a plain string is a translation failure (the IR holds only a
 * secret's name); the SMTP settings are checked by validation (checks/notify.ts).
 */
import { DIAGNOSTIC_CODES, isSecret, type Command, type DslCommand, type NotifyCommand, type SourceLocation } from '@sluice/sdk/ir';
import type { Report } from './lower-scope.js';

type NotifyDsl = Extract<DslCommand, { kind: NotifyCommand['kind'] }>;

const DEFAULT_PORT = { starttls: 587, tls: 465, none: 25 } as const;

export function lowerNotify(command: NotifyDsl, report: Report, path: string[], location: SourceLocation | undefined): Command {
  const where = { path, ...(location ? { location } : {}) };
  const secretName = (value: unknown, option: string, example: string): string => {
    if (isSecret(value)) return value.name;
    report({ code: DIAGNOSTIC_CODES.NOTIFY_SECRET_REQUIRED, message: `The ${option} of this notification must be a secret.`, hint: `Use \`${option}: secret('${example}')\`: it reaches the notifier through the environment only.`, ...where });
    return 'INVALID';
  };
  switch (command.kind) {
    case 'notify-slack':
      return { kind: 'notify-slack', webhookSecret: secretName(command.webhook, 'webhook', 'SLACK_WEBHOOK') };
    case 'notify-teams':
      return { kind: 'notify-teams', webhookSecret: secretName(command.webhook, 'webhook', 'TEAMS_WEBHOOK') };
    case 'notify-webhook':
      return { kind: 'notify-webhook', urlSecret: secretName(command.url, 'url', 'ALERT_WEBHOOK_URL') };
    case 'notify-email': {
      // The SMTP settings as written: validation checks them (checks/notify.ts) before the IR's type
      // check. Only a plain-string login is refused here: the IR holds a login as a secret's name.
      const usernameSecret = command.username === undefined ? undefined : secretName(command.username, 'smtp.username', 'SMTP_USERNAME');
      const passwordSecret = command.password === undefined ? undefined : secretName(command.password, 'smtp.password', 'SMTP_PASSWORD');
      const security = command.security;
      return {
        kind: 'notify-email',
        host: command.host,
        port: command.port ?? DEFAULT_PORT[security === 'tls' || security === 'none' ? security : 'starttls'],
        security,
        ...(usernameSecret !== undefined ? { usernameSecret } : {}),
        ...(passwordSecret !== undefined ? { passwordSecret } : {}),
        from: command.from,
        to: [...command.to],
      };
    }
  }
}
