/**
 * Runs the generated entrypoint script for real, under bash, with stand-in commands, and reads back
 * what happened: each step's status from the script's summary, the run result from its exit code.
 * For conformance, each step's command is replaced by `sluice-step <id> end` (a stand-in), so faults
 * can target steps by id; conditions, needs, retries and allowFailure are untouched.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PipelineIR, RunResult, SluiceIR, StepStatus } from '@sluice/sdk/ir';
import { emitEntrypoint } from '@sluice/targets';
import type { Faults } from '@sluice/compiler';
import { makeStandIns, type StandInRule, type StandIns } from '../helpers/standins.js';

export interface ScriptRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  statuses: Record<string, StepStatus>;
  result: RunResult | undefined;
  standIns: StandIns;
  /** Milliseconds from the signal to the script's exit. */
  shutdownMs?: number;
}

export interface ScriptOptions {
  args?: string[];
  env?: Record<string, string>;
  rules?: StandInRule[];
  /**
   * Send this signal to the script once a stand-in call matching `match` has started, or once
   * `ready(stdout so far)` is true.
   */
  interrupt?: { match: string; signal: NodeJS.Signals } | { ready: (stdoutSoFar: string) => boolean; signal: NodeJS.Signals };
  /** Run the script as PID 1 of a new PID namespace (unshare). */
  asPid1?: boolean;
}

export function writeScript(ir: SluiceIR): string {
  const file = emitEntrypoint(ir).files[0];
  if (!file) throw new Error('no script emitted');
  const path = join(mkdtempSync(join(tmpdir(), 'sluice-entrypoint-')), 'entrypoint.sh');
  writeFileSync(path, file.content, { mode: 0o755 });
  return path;
}

export async function runScript(scriptPath: string, pipeline: string, options: ScriptOptions = {}): Promise<ScriptRun> {
  const standIns = makeStandIns();
  if (options.rules) standIns.rules(options.rules);
  const workdir = mkdtempSync(join(tmpdir(), 'sluice-run-'));
  const command = options.asPid1 ? 'unshare' : 'bash';
  const args = options.asPid1
    ? ['--pid', '--fork', '--mount-proc', '--kill-child', 'bash', scriptPath, pipeline, ...(options.args ?? [])]
    : [scriptPath, pipeline, ...(options.args ?? [])];
  const child = spawn(command, args, {
    cwd: workdir,
    env: { PATH: standIns.path, HOME: workdir, SLUICE_RETRY_DELAY: '0', SLUICE_NOTIFY_DRY_RUN: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  let signalledAt: number | undefined;
  const poller = options.interrupt
    ? setInterval(() => {
        const interrupt = options.interrupt as NonNullable<ScriptOptions['interrupt']>;
        const due =
          'ready' in interrupt
            ? interrupt.ready(stdout)
            : standIns.calls().some((call) => call.started && [call.command, ...(call.argv ?? [])].join(' ').includes(interrupt.match));
        if (due && signalledAt === undefined) {
          signalledAt = Date.now();
          // `unshare --fork` ignores SIGTERM and SIGINT itself: signal its child, PID 1 of the namespace.
          if (options.asPid1) process.kill(childOf(child.pid as number), interrupt.signal);
          else child.kill(interrupt.signal);
        }
      }, 20)
    : undefined;
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  if (poller) clearInterval(poller);
  return {
    code,
    signal,
    stdout,
    stderr,
    statuses: parseSummary(stdout),
    result: code === 0 ? 'succeeded' : code === 1 ? 'failed' : code === 130 || code === 143 ? 'cancelled' : undefined,
    standIns,
    ...(signalledAt !== undefined ? { shutdownMs: Date.now() - signalledAt } : {}),
  };
}

function childOf(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
  return Number(children[0]);
}

function parseSummary(stdout: string): Record<string, StepStatus> {
  const statuses: Record<string, StepStatus> = {};
  const summary = stdout.split('[sluice] summary:\n')[1] ?? '';
  for (const line of summary.split('\n')) {
    const match = /^\[sluice\] {3}(\S+)\s+(succeeded|failed|skipped|cancelled)$/.exec(line);
    if (match) statuses[match[1] as string] = match[2] as StepStatus;
  }
  return statuses;
}

/** The pipeline with every command replaced by a stand-in that faults can address by step id. */
export function withStandInCommands(pipeline: PipelineIR): PipelineIR {
  return {
    ...pipeline,
    env: [],
    steps: pipeline.steps.map((step) => ({ ...step, env: [], command: { kind: 'argv', argv: ['sluice-step', step.id, 'end'].map((value) => ({ kind: 'literal', value })) } })),
  };
}

/**
 * Executes a conformance scenario: faults become stand-in rules, `cancelAt` a SIGTERM while that step
 * runs, `setupFails` the launcher's report of a failed `dbt deps` (SLUICE_SETUP_FAILED).
 */
export async function runScenario(pipeline: PipelineIR, faults: Faults): Promise<ScriptRun> {
  const prepared = withStandInCommands(pipeline);
  const ir: SluiceIR = { irVersion: 1, source: 'pipeline.ts', dbtProjectDir: '.', pipelines: [prepared] };
  const rules: StandInRule[] = [];
  for (const [id, attempts] of Object.entries(faults.fail ?? {})) rules.push({ match: `sluice-step ${id} end`, fail: attempts });
  if (faults.cancelAt) rules.push({ match: `sluice-step ${faults.cancelAt} end`, sleep: 30 });
  return runScript(writeScript(ir), pipeline.name, {
    rules,
    // A cancelled always() step runs to the end of its share of the shutdown: keep that short here.
    env: { SLUICE_SHUTDOWN_GRACE: '4', SLUICE_KILL_AFTER: '1', ...(faults.setupFails ? { SLUICE_SETUP_FAILED: 'dbt deps failed' } : {}) },
    ...(faults.cancelAt ? { interrupt: { match: `sluice-step ${faults.cancelAt} end`, signal: 'SIGTERM' as const } } : {}),
  });
}
