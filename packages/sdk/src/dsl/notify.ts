/**
 * Notifications: tell people how the run went, on Slack, Microsoft Teams, any JSON webhook or by
 * email. Every channel reports the same summary (the run result, dbt's counts, each failing node
 * with its message and owner, notes such as a slim build's fallback), built at run time by the
 * notifier program that every target embeds. URLs and passwords are secrets: they reach the notifier
 * through the environment only.
 */
import { callSite } from '../location.js';
import { builtin, Step, type StepOptions } from './steps.js';
import type { Secret } from './values.js';

export type NotifyDslCommand =
  | { readonly kind: 'notify-slack'; readonly webhook: Secret }
  | { readonly kind: 'notify-teams'; readonly webhook: Secret }
  | { readonly kind: 'notify-webhook'; readonly url: Secret }
  | {
      readonly kind: 'notify-email';
      readonly host: string;
      readonly port: number | undefined;
      readonly security: SmtpSecurity;
      readonly username: Secret | undefined;
      readonly password: Secret | undefined;
      readonly from: string;
      readonly to: readonly string[];
    };

export interface SlackOptions extends StepOptions {
  /** The incoming-webhook URL, as a secret. */
  webhook: Secret;
}

export interface TeamsOptions extends StepOptions {
  /**
   * The URL of a Teams Workflows webhook ("When a Teams webhook request is received", then "Post
   * card in a chat or channel") or of a classic incoming webhook, as a secret. The message is an
   * Adaptive Card.
   */
  webhook: Secret;
}

export interface WebhookOptions extends StepOptions {
  /** Where to POST the run summary as JSON (schema `sluice.notification/v1`, docs/notifications.md), as a secret. */
  url: Secret;
}

/** `starttls` (default, port 587): upgrade the connection; `tls` (port 465): TLS from the start; `none` (port 25): no encryption, no password. */
export type SmtpSecurity = 'starttls' | 'tls' | 'none';

export interface EmailOptions extends StepOptions {
  smtp: {
    /** The SMTP server, e.g. 'smtp.sendgrid.net'. */
    host: string;
    /** @default 587 for starttls, 465 for tls, 25 for none */
    port?: number;
    /** @default 'starttls' */
    security?: SmtpSecurity;
    username?: Secret;
    password?: Secret;
  };
  /** The sender address, e.g. 'sluice@example.com'. */
  from: string;
  /** One or more recipient addresses. */
  to: string | readonly string[];
}

/** Tell people how the run went. Give it `if: when.always()` to hear about failures too. */
export const notify = {
  /** Posts the pipeline, trigger, run result and a link to the run to a Slack incoming webhook. */
  slack: (options: SlackOptions): Step => builtin(new Step('notify slack', { kind: 'notify-slack', webhook: options.webhook }, options, callSite(notify.slack))),
  /** Posts the same summary to Microsoft Teams as an Adaptive Card. */
  teams: (options: TeamsOptions): Step => builtin(new Step('notify teams', { kind: 'notify-teams', webhook: options.webhook }, options, callSite(notify.teams))),
  /** POSTs the summary as JSON (a stable, documented schema) to any endpoint: PagerDuty, Opsgenie, your own service. */
  webhook: (options: WebhookOptions): Step => builtin(new Step('notify webhook', { kind: 'notify-webhook', url: options.url }, options, callSite(notify.webhook))),
  /** Sends the summary as a plain-text email over SMTP (STARTTLS by default). */
  email: (options: EmailOptions): Step =>
    builtin(new Step(
      'notify email',
      {
        kind: 'notify-email',
        host: options.smtp?.host,
        port: options.smtp?.port,
        security: options.smtp?.security ?? 'starttls',
        username: options.smtp?.username,
        password: options.smtp?.password,
        from: options.from,
        to: typeof options.to === 'string' ? [options.to] : [...(options.to ?? [])],
      },
      options,
      callSite(notify.email),
    )),
};
