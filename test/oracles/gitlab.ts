/**
 * GitLab CI/CD as a test oracle, written from GitLab's documented rules (../shared/reference/
 * gitlab-notes.md), not from our emitter:
 * - §1 rules: evaluated in order at pipeline creation, first match wins, no match = job not added;
 *   `rules:if` uses `==`, `=~` (RE2 literal) and `&&` over CI/CD variables (an unset variable is null);
 * - §1 when/needs: a DAG job looks only at its needs; `on_success` needs `success`, `always` accepts
 *   success|failed|skipped but not `canceled`, anything else is skipped;
 * - §2 allow_failure (exit_codes): an allowed failure counts as success, the pipeline succeeds;
 * - §3 cancel: jobs not yet started are cancelled (`always` included); a running job's processes get
 *   SIGTERM (shell executor: the job process and its children).
 * Plus the job's script executed for real under bash with stand-in commands.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PipelineIR, RunResult, SluiceIR, StepStatus } from '@sluice/sdk/ir';
import { emitGitlab } from '../../packages/targets/src/gitlab/index.js';
import type { Faults } from '@sluice/compiler';
import { parse } from 'yaml';
import { makeStandIns, type StandInRule, type StandIns } from '../helpers/standins.js';
import { withStandInCommands } from './entrypoint.js';

type JobStatus = 'success' | 'failed' | 'canceled' | 'skipped';
type Variables = Readonly<Record<string, string | undefined>>;

/** One `rules:if` expression: `&&`-joined comparisons (the only forms GitLab documents that we accept here). */
export function evaluateIf(expression: string, variables: Variables): boolean {
  return expression.split(' && ').every((part) => {
    const equals = /^\$([A-Z_][A-Z0-9_]*) == "([^"\\]*)"$/.exec(part);
    if (equals) return variables[equals[1] as string] === equals[2];
    const matches = /^\$([A-Z_][A-Z0-9_]*) =~ \/(.*)\/$/.exec(part);
    if (matches) {
      const value = variables[matches[1] as string];
      // RE2 and JavaScript agree on the subset the emitter writes (anchors, classes, escaped punctuation).
      return value !== undefined && new RegExp(matches[2] as string).test(value);
    }
    throw new Error(`the GitLab oracle does not know this rules:if form: ${part}`);
  });
}

interface RuleEntry {
  if?: string;
  when?: string;
}

/** §1: the first matching rule decides; none matches: the job is not in the pipeline. */
export function jobAdded(job: { rules?: RuleEntry[] }, variables: Variables): { added: boolean; when: string } {
  for (const rule of job.rules ?? []) {
    if (rule.if === undefined || evaluateIf(rule.if, variables)) return rule.when === 'never' ? { added: false, when: 'never' } : { added: true, when: rule.when ?? 'on_success' };
  }
  return { added: false, when: 'never' };
}

/** §1: whether a DAG job starts, from its needs' statuses (an allowed failure already counts as success). */
function dagJobStarts(when: string, needs: readonly JobStatus[]): boolean {
  if (needs.includes('canceled')) return false;
  if (when === 'always') return true;
  if (when === 'on_success') return needs.every((status) => status === 'success');
  if (when === 'on_failure') return needs.includes('failed');
  throw new Error(`the GitLab oracle does not know when: ${when}`);
}

/** §2: a job's status from its exit code, with allow_failure exit codes counting as success. */
function jobStatus(exitCode: number, allowFailure: unknown): JobStatus {
  if (exitCode === 0) return 'success';
  const allowed = typeof allowFailure === 'object' && allowFailure !== null ? ([] as number[]).concat((allowFailure as { exit_codes: number | number[] }).exit_codes) : [];
  return allowFailure === true || allowed.includes(exitCode) ? 'success' : 'failed';
}

/** The pipeline's status from its jobs (§1-3): any failure fails it, else a cancel cancels it. */
function pipelineStatus(jobs: readonly JobStatus[]): RunResult {
  if (jobs.includes('failed')) return 'failed';
  if (jobs.includes('canceled')) return 'cancelled';
  return 'succeeded';
}

export interface GitlabRun {
  statuses: Record<string, StepStatus>;
  result: RunResult;
  jobs: Record<string, JobStatus>;
  /** Exit codes of the jobs that ran. */
  exitCodes: Record<string, number>;
  stdout: string;
  standIns: StandIns;
}

/**
 * Runs a pipeline on the GitLab oracle: its steps replaced by stand-ins, as a manual ("web") run;
 * `cancelAt` cancels the pipeline while that step runs (SIGTERM to the job's processes, §3);
 * `setupFails` runs the job's real set-up line `python -m pip install -r requirements.txt` against a
 * `python` stand-in that exits 1.
 */
export async function onGitlab(pipeline: PipelineIR, faults: Faults): Promise<GitlabRun> {
  // Set-up (pip, dbt deps, cloud login) is not a step: the job here runs in an image that has
  // everything, or, to make it fail, installs requirements with a failing pip.
  const standIn = withStandInCommands(pipeline);
  // Publishing to Pages stays real: it only copies files, and the `pages` job reads what it leaves.
  const steps = standIn.steps.map((step, index) => {
    const command = pipeline.steps[index]?.command;
    return command !== undefined && isPages(command) ? { ...step, command } : step;
  });
  const runtime: PipelineIR['runtime'] = faults.setupFails ? { kind: 'python', version: '3.12', requirements: 'requirements.txt', dbtDeps: false } : { kind: 'image', image: 'dbt:test', dbtDeps: false };
  const prepared: PipelineIR = { ...standIn, steps, triggers: [{ kind: 'manual' }], runtime, cloud: undefined };
  const ir: SluiceIR = { irVersion: 1, source: 'pipeline.ts', dbtProjectDir: '.', pipelines: [prepared] };
  const emitted = emitGitlab(ir);
  if (emitted.diagnostics.length > 0) throw new Error(emitted.diagnostics.map((d) => d.message).join('\n'));
  const project = mkdtempSync(join(tmpdir(), 'sluice-gitlab-'));
  mkdirSync(join(project, 'target'));
  writeFileSync(join(project, 'target/index.html'), '<h1>docs</h1>');
  for (const file of emitted.files) {
    mkdirSync(dirname(join(project, file.path)), { recursive: true });
    writeFileSync(join(project, file.path), file.content, { mode: file.executable ? 0o755 : 0o644 });
  }
  const document = parse(emitted.files[0]?.content ?? '') as Record<string, Record<string, unknown>>;
  const variables: Record<string, string> = { CI_PIPELINE_SOURCE: 'web', CI_PROJECT_DIR: project };
  for (const [name, definition] of Object.entries(document.variables ?? {})) variables[name] = typeof definition === 'object' && definition !== null ? String((definition as { value?: string }).value ?? '') : String(definition);

  const standIns = makeStandIns(['dbt', 'aws', 'gcloud', 'gsutil', 'curl', 'sluice-step', 'python']);
  const rules: StandInRule[] = [];
  if (faults.setupFails) rules.push({ match: 'python -m pip install -r requirements.txt', fail: 'always' });
  for (const [id, attempts] of Object.entries(faults.fail ?? {})) rules.push({ match: `sluice-step ${id} end`, fail: attempts });
  if (faults.cancelAt) rules.push({ match: `sluice-step ${faults.cancelAt} end`, sleep: 30 });
  standIns.rules(rules);

  const jobs: Record<string, JobStatus> = {};
  const exitCodes: Record<string, number> = {};
  let stdout = '';
  let cancelled = false;
  const names = Object.keys(document).filter((key) => key !== 'variables');
  for (const name of names) {
    const job = document[name] as { rules?: RuleEntry[]; needs?: { job: string }[]; script: string[]; allow_failure?: unknown; variables?: Record<string, string> };
    const { added, when } = jobAdded(job, variables);
    if (!added) continue;
    const needs = (job.needs ?? []).map((need) => jobs[need.job] as JobStatus);
    if (cancelled) {
      jobs[name] = 'canceled';
      continue;
    }
    if (job.needs && !dagJobStarts(when, needs)) {
      jobs[name] = 'skipped';
      continue;
    }
    const run = await runJobScript(job.script, project, { ...variables, ...(job.variables ?? {}) }, standIns, faults.cancelAt);
    stdout += run.stdout;
    exitCodes[name] = run.code;
    if (run.cancelled) {
      cancelled = true;
      jobs[name] = 'canceled';
    } else jobs[name] = jobStatus(run.code, job.allow_failure);
  }
  return { statuses: parseSummary(stdout), result: pipelineStatus(Object.values(jobs)), jobs, exitCodes, stdout, standIns };
}

/** The job's script lines in one bash process group, as the runner runs them; SIGTERM to the group on cancel. */
async function runJobScript(script: readonly string[], project: string, variables: Record<string, string>, standIns: StandIns, cancelAt: string | undefined): Promise<{ code: number; cancelled: boolean; stdout: string }> {
  const child = spawn('bash', ['-eo', 'pipefail', '-c', script.join('\n')], {
    cwd: project,
    detached: true,
    env: { ...variables, PATH: standIns.path, HOME: project, SLUICE_RETRY_DELAY: '0', SLUICE_NOTIFY_DRY_RUN: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stdout += chunk));
  let cancelled = false;
  const poller = cancelAt
    ? setInterval(() => {
        if (!cancelled && standIns.calls().some((call) => call.started && (call.argv ?? []).join(' ') === `${cancelAt} end`)) {
          cancelled = true;
          process.kill(-(child.pid as number), 'SIGTERM');
        }
      }, 20)
    : undefined;
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 143)));
  if (poller) clearInterval(poller);
  return { code, cancelled, stdout };
}

function parseSummary(stdout: string): Record<string, StepStatus> {
  const statuses: Record<string, StepStatus> = {};
  for (const match of (stdout.split('[sluice] summary:\n')[1] ?? '').matchAll(/^\[sluice\] {3}(\S+)\s+(succeeded|failed|skipped|cancelled)$/gm)) statuses[match[1] as string] = match[2] as StepStatus;
  return statuses;
}

function isPages(command: PipelineIR['steps'][number]['command'] | undefined): boolean {
  return command?.kind === 'publish' && command.destination.kind === 'pages';
}
