/**
 * Rule: the SMTP settings of notify.email can work. The DSL's types describe them, but plain
 * JavaScript can still pass anything, so this is a 'values' rule: it reads them as unknown, before
 * the IR's type check.
 */
import { DIAGNOSTIC_CODES } from '@sluice/sdk/ir';
import type { Finding, Rule } from './rule.js';

/** An ordinary address: no display name, no spaces, commas, angle brackets or control characters. */
const EMAIL_ADDRESS = /^[^\s@<>,;"()\\[\]:\p{Cc}\p{Cf}]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/u;
const HOST_NAME = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export const invalidEmailSettings: Rule = {
  code: DIAGNOSTIC_CODES.INVALID_EMAIL_SETTINGS,
  tier: 'values',
  *check(pipeline) {
    for (const step of pipeline.steps) {
      if (step.command.kind !== 'notify-email') continue;
      for (const [message, hint] of emailProblems(step.command as unknown as Record<string, unknown>)) yield { step, message, hint } satisfies Finding;
    }
  },
};

function* emailProblems(command: Record<string, unknown>): Generator<[message: string, hint: string]> {
  const { security, host, port, from, to, usernameSecret, passwordSecret } = command;
  if (security !== 'starttls' && security !== 'tls' && security !== 'none') {
    yield [`SMTP security ${JSON.stringify(String(security))} is not one of starttls, tls, none.`, "Use 'starttls' (port 587, the default) or 'tls' (port 465)."];
  }
  if (typeof host !== 'string' || !HOST_NAME.test(host)) yield ['The SMTP host must be a host name, such as smtp.example.com.', 'Give `smtp: { host: ... }` the server name only: no scheme, port or path.'];
  if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) yield [`SMTP port ${JSON.stringify(port)} is not a port number.`, 'Use an integer from 1 to 65535, or leave it out for the default of the security mode.'];
  const recipients: unknown[] = Array.isArray(to) ? to : [to];
  if (recipients.length === 0) yield ['This email notification has no recipient.', "Give `to: 'data-team@example.com'` or a list of addresses."];
  for (const address of [from, ...recipients]) {
    if (typeof address !== 'string' || !EMAIL_ADDRESS.test(address)) {
      yield [`${JSON.stringify(String(address))} is not an email address this notifier accepts.`, 'Give plain addresses such as data-team@example.com (no display names, one address per list item).'];
    }
  }
  if (security === 'none' && passwordSecret !== undefined) yield ["An SMTP password with security 'none' would cross the network in clear.", "Use security 'starttls' (the default) or 'tls'."];
  if ((usernameSecret === undefined) !== (passwordSecret === undefined)) yield ['SMTP needs both a username and a password, or neither.', 'Give both `username` and `password` as secrets.'];
}
