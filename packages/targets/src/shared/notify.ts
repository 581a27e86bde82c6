import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * The run notifier, a small Python 3 program (python3 is present wherever dbt is; Node may not be).
 * It builds the Slack payload as JSON from the environment and target/run_results.json; no value is
 * ever spliced into it. Every target embeds this same program.
 */
export function slackNotifierProgram(): string {
  cached ??= readFileSync(new URL('./notify_slack.py', import.meta.url), 'utf8');
  return cached;
}

/** The environment contract of the notifier: what each target must set. */
export const NOTIFIER_ENV = {
  webhook: 'SLUICE_SLACK_WEBHOOK_URL',
  pipeline: 'SLUICE_PIPELINE',
  status: 'SLUICE_RUN_STATUS',
  trigger: 'SLUICE_TRIGGER',
  runUrl: 'SLUICE_RUN_URL',
  runResults: 'SLUICE_RUN_RESULTS',
  manifest: 'SLUICE_MANIFEST',
  deadline: 'SLUICE_NOTIFY_DEADLINE',
} as const;
