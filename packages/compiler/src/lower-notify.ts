/**
 * Lowering of notification steps (notify.slack/teams/webhook/email): secrets become names; the SMTP
 * settings, which the DSL's types describe but plain JavaScript can still get wrong, are checked here
 * where the step's pipeline.ts line is known.
 */
import { DIAGNOSTIC_CODES, isSecret, type Command, type Diagnostic, type DslCommand, type NotifyCommand, type SourceLocation } from '@sluice/sdk/ir';

type Report = (diagnostic: Omit<Diagnostic, 'path'> & { path?: string[] }) => void;
type NotifyDsl = Extract<DslCommand, { kind: NotifyCommand['kind'] }>;

/** An ordinary address: no display name, no spaces, commas, angle brackets or control characters. */
const EMAIL_ADDRESS = /^[^\s@<>,;"()\\[\]:\p{Cc}\p{Cf}]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/u;
const HOST_NAME = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const DEFAULT_PORT = { starttls: 587, tls: 465, none: 25 } as const;

export function lowerNotify(command: NotifyDsl, report: Report, path: string[], location: SourceLocation | undefined): Command {
  const where = { path, ...(location ? { location } : {}) };
  const invalid = (message: string, hint: string): void => report({ code: DIAGNOSTIC_CODES.INVALID_VALUE, message, hint, ...where });
  const secretName = (value: unknown, option: string, example: string): string => {
    if (isSecret(value)) return value.name;
    invalid(`The ${option} of this notification must be a secret.`, `Use \`${option}: secret('${example}')\`: it reaches the notifier through the environment only.`);
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
      const security = command.security;
      if (security !== 'starttls' && security !== 'tls' && security !== 'none') {
        invalid(`SMTP security ${JSON.stringify(String(security))} is not one of starttls, tls, none.`, "Use 'starttls' (port 587, the default) or 'tls' (port 465).");
      }
      const known = security === 'tls' || security === 'none' ? security : 'starttls';
      if (typeof command.host !== 'string' || !HOST_NAME.test(command.host)) {
        invalid('The SMTP host must be a host name, such as smtp.example.com.', 'Give `smtp: { host: ... }` the server name only: no scheme, port or path.');
      }
      const port = command.port ?? DEFAULT_PORT[known];
      if (!Number.isInteger(port) || port < 1 || port > 65535) invalid(`SMTP port ${JSON.stringify(port)} is not a port number.`, 'Use an integer from 1 to 65535, or leave it out for the default of the security mode.');
      const addresses = [command.from, ...command.to];
      if (command.to.length === 0) invalid('This email notification has no recipient.', "Give `to: 'data-team@example.com'` or a list of addresses.");
      for (const address of addresses) {
        if (typeof address !== 'string' || !EMAIL_ADDRESS.test(address)) {
          invalid(`${JSON.stringify(String(address))} is not an email address this notifier accepts.`, 'Give plain addresses such as data-team@example.com (no display names, one address per list item).');
        }
      }
      const usernameSecret = command.username === undefined ? undefined : secretName(command.username, 'smtp.username', 'SMTP_USERNAME');
      const passwordSecret = command.password === undefined ? undefined : secretName(command.password, 'smtp.password', 'SMTP_PASSWORD');
      if (known === 'none' && passwordSecret !== undefined) {
        invalid("An SMTP password with security 'none' would cross the network in clear.", "Use security 'starttls' (the default) or 'tls'.");
      }
      if ((usernameSecret === undefined) !== (passwordSecret === undefined)) invalid('SMTP needs both a username and a password, or neither.', 'Give both `username` and `password` as secrets.');
      return {
        kind: 'notify-email',
        host: typeof command.host === 'string' ? command.host : '',
        port: Number.isInteger(port) ? port : 0,
        security: known,
        ...(usernameSecret !== undefined ? { usernameSecret } : {}),
        ...(passwordSecret !== undefined ? { passwordSecret } : {}),
        from: String(command.from),
        to: command.to.map(String),
      };
    }
  }
}
