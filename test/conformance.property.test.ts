/**
 * Conformance by property testing: random pipelines and random faults (failing attempts, a
 * cancellation point, a failed set-up) must give the same step statuses and run result on the reference interpreter,
 * the GitHub workflow (its if: evaluated by GitHub's expression engine), the Argo manifest (the
 * controller oracle), the entrypoint script executed by bash, and GitLab (test/oracles/gitlab.ts: its
 * documented job rules around the job's script executed by bash).
 *
 * CI runs a fixed seed. To explore more: SLUICE_PROPERTY_SEED=123 SLUICE_PROPERTY_RUNS=20000 npx vitest
 * run test/conformance.property.test.ts. A failure is shrunk and printed as a ready-to-paste pipeline.ts.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIAGNOSTIC_CODES, normalConditions, type PipelineIR, type SluiceIR } from '@sluice/sdk/ir';
import { emitArgo } from '@sluice/targets';
import { simulatePipeline, validate, type Faults } from '@sluice/compiler';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { scenarioArbitrary, toPipelineTs, type Scenario } from './helpers/arbitraries.js';
import { withStandInCommands, writeScript } from './oracles/entrypoint.js';
import { onGitlab } from './oracles/gitlab.js';
import { argoOrder, onArgo, onGithub } from './oracles/targets.js';

const SEED = Number(process.env.SLUICE_PROPERTY_SEED ?? 20261121);
const EVALUATOR_RUNS = Number(process.env.SLUICE_PROPERTY_RUNS ?? 2000);
const BASH_RUNS = Number(process.env.SLUICE_PROPERTY_BASH_RUNS ?? 200);
const GITLAB_RUNS = Number(process.env.SLUICE_PROPERTY_GITLAB_RUNS ?? 60);
const compared = { interpreterGithub: 0, argo: 0, argoRefused: 0, bash: 0, gitlab: 0 };
/** Of those, the scenarios whose set-up failed: each engine must have compared some. */
const setupFailed = { interpreterGithub: 0, argo: 0, bash: 0, gitlab: 0 };

function irOfPipeline(pipeline: PipelineIR): SluiceIR {
  return { irVersion: 1, source: 'pipeline.ts', dbtProjectDir: '.', pipelines: [pipeline] };
}

/**
 * Argo refuses, by design, a condition that may run after a cancellation (always()) but looks at
 * anything else, and steps needing such steps.
 */
function argoExpressible(pipeline: PipelineIR): boolean {
  const conditionOf = normalConditions(pipeline);
  const exit = new Set(pipeline.steps.filter((step) => conditionOf(step.id).afterCancel).map((step) => step.id));
  return pipeline.steps.every((step) => (exit.has(step.id) ? conditionOf(step.id).form === true : !step.needs.some((need) => exit.has(need))));
}

function compareGithub(scenario: Scenario): void {
  const reference = simulatePipeline(scenario.pipeline, scenario.faults);
  const github = onGithub(scenario.pipeline, scenario.faults);
  expect(github.statuses).toEqual(reference.statuses);
  expect(github.result).toBe(reference.result);
  compared.interpreterGithub += 1;
  if (scenario.faults.setupFails) setupFailed.interpreterGithub += 1;
}

/**
 * Argo runs always() steps last, as the exit handler, and lets a running exit handler finish after
 * `argo stop`: it is compared in its own order, with cancellations of main-DAG steps.
 */
function compareArgo(scenario: Scenario): void {
  const order = argoOrder(scenario.pipeline);
  const exitStep = scenario.pipeline.steps.find((step) => step.id === scenario.faults.cancelAt && normalConditions(scenario.pipeline)(step.id).afterCancel);
  const faults: Faults = exitStep ? withoutCancel(scenario.faults) : scenario.faults;
  const expected = simulatePipeline(scenario.pipeline, faults, { order });
  const argo = onArgo(scenario.pipeline, faults);
  expect(argo.statuses).toEqual(expected.statuses);
  expect(argo.result).toBe(expected.result);
  compared.argo += 1;
  if (faults.setupFails) setupFailed.argo += 1;
}

function withoutCancel({ cancelAt: _cancelAt, ...faults }: Faults): Faults {
  return faults;
}

function explain(scenario: Scenario, error: unknown): string {
  return `${(error as Error).message}\n\nShrunk counterexample (paste into pipeline.ts):\n\n${toPipelineTs(scenario)}\n`;
}

afterAll(() => {
  console.log(
    `conformance: ${compared.interpreterGithub} scenarios compared on interpreter + GitHub, ${compared.argo} on Argo (${compared.argoRefused} refused by design), ${compared.bash} executed under bash, ${compared.gitlab} run as GitLab runs its job; with a failed set-up: ${JSON.stringify(setupFailed)}`,
  );
});

describe('conformance across targets, by property', () => {
  it(`interpreter and GitHub agree on ${EVALUATOR_RUNS} random scenarios; Argo on those it can express`, { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(scenarioArbitrary(30), (scenario) => {
        expect(validate(irOfPipeline(scenario.pipeline))).toEqual([]);
        try {
          compareGithub(scenario);
          if (argoExpressible(scenario.pipeline)) compareArgo(scenario);
          else {
            const refusals = emitArgo(irOfPipeline(scenario.pipeline), { image: 'dbt:test' }).diagnostics;
            expect(refusals.length).toBeGreaterThan(0);
            expect(new Set(refusals.map((d) => d.code))).toEqual(new Set([DIAGNOSTIC_CODES.TARGET_UNSUPPORTED]));
            compared.argoRefused += 1;
          }
        } catch (error) {
          throw new Error(explain(scenario, error));
        }
      }),
      { seed: SEED, numRuns: EVALUATOR_RUNS },
    );
    expect(setupFailed.interpreterGithub).toBeGreaterThan(0);
    expect(setupFailed.argo).toBeGreaterThan(0);
  });

  it(`interpreter, GitHub and Argo agree on ${EVALUATOR_RUNS} random scenarios Argo can express`, { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(scenarioArbitrary(30, { argoExpressible: true }), (scenario) => {
        expect(argoExpressible(scenario.pipeline)).toBe(true);
        try {
          compareGithub(scenario);
          compareArgo(scenario);
        } catch (error) {
          throw new Error(explain(scenario, error));
        }
      }),
      { seed: SEED + 1, numRuns: EVALUATOR_RUNS },
    );
  });

  it(`the entrypoint script under bash agrees on ${BASH_RUNS} random scenarios`, { timeout: 600_000 }, async () => {
    await assertExecuted(runFast, SEED, BASH_RUNS, (faults) => {
      compared.bash += 1;
      if (faults.setupFails) setupFailed.bash += 1;
    });
    expect(setupFailed.bash).toBeGreaterThan(0);
  });

  it(`GitLab (its rules from gitlab-notes §1-3, the job's script under bash) agrees on ${GITLAB_RUNS} random scenarios`, { timeout: 600_000 }, async () => {
    await assertExecuted(onGitlab, SEED + 2, GITLAB_RUNS, (faults) => {
      compared.gitlab += 1;
      if (faults.setupFails) setupFailed.gitlab += 1;
    });
    expect(setupFailed.gitlab).toBeGreaterThan(0);
  });
});

/**
 * Random scenarios run for real by `execute` agree with the interpreter. A real run can only be
 * cancelled while a step runs (SIGTERM to the script, or to the GitLab job's processes): a
 * cancellation before a skipped step is covered by the evaluators above.
 */
async function assertExecuted(execute: (pipeline: PipelineIR, faults: Faults) => Promise<{ statuses: Record<string, string>; result: string }>, seed: number, numRuns: number, counted: (faults: Faults) => void): Promise<void> {
  await fc.assert(
    fc.asyncProperty(scenarioArbitrary(8), async (scenario) => {
      const reference0 = simulatePipeline(scenario.pipeline, scenario.faults);
      const faults: Faults = scenario.faults.cancelAt && !reference0.executed.includes(scenario.faults.cancelAt) ? withoutCancel(scenario.faults) : scenario.faults;
      const reference = simulatePipeline(scenario.pipeline, faults);
      try {
        const run = await execute(scenario.pipeline, faults);
        expect(run.statuses).toEqual(reference.statuses);
        expect(run.result).toBe(reference.result);
        counted(faults);
      } catch (error) {
        throw new Error(explain({ ...scenario, faults }, error));
      }
    }),
    { seed, numRuns },
  );
}

// A bash stand-in (no interpreter start-up per step), so hundreds of scripts run in seconds.
const FAST_STANDIN = `#!/usr/bin/env bash
here=$(dirname "$0"); id=$1
if [ -f "$here/sleep-$id" ]; then
  sleep 30 >/dev/null 2>&1 &
  trap 'kill $! 2>/dev/null; exit 130' INT
  echo "$id" > "$here/started"
  wait $!
fi
count=0
if [ -f "$here/count-$id" ]; then count=$(cat "$here/count-$id"); fi
count=$((count + 1))
echo "$count" > "$here/count-$id"
if [ -f "$here/fail-$id" ]; then
  fails=$(cat "$here/fail-$id")
  if [ "$fails" = always ] || [ "$count" -le "$fails" ]; then exit 1; fi
fi
exit 0
`;

async function runFast(pipeline: PipelineIR, faults: Faults) {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-prop-'));
  writeFileSync(join(dir, 'sluice-step'), FAST_STANDIN);
  chmodSync(join(dir, 'sluice-step'), 0o755);
  for (const [id, attempts] of Object.entries(faults.fail ?? {})) writeFileSync(join(dir, `fail-${id}`), String(attempts));
  if (faults.cancelAt) writeFileSync(join(dir, `sleep-${faults.cancelAt}`), '');
  const script = writeScript(irOfPipeline(withStandInCommands(pipeline)));
  // A failed set-up as the launcher reports a failed `dbt deps` (the GitLab runs fail a real pip line).
  const setup = faults.setupFails ? { SLUICE_SETUP_FAILED: 'dbt deps failed' } : {};
  const child = spawn('bash', [script, pipeline.name], { cwd: dir, env: { PATH: `${dir}:${process.env.PATH}`, SLUICE_RETRY_DELAY: '0', ...setup }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const poller = faults.cancelAt
    ? setInterval(() => {
        if (existsSync(join(dir, 'started')) && readFileSync(join(dir, 'started'), 'utf8').trim() === faults.cancelAt) {
          clearInterval(poller);
          child.kill('SIGTERM');
        }
      }, 5)
    : undefined;
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (poller) clearInterval(poller);
  const statuses: Record<string, string> = {};
  for (const match of (stdout.split('[sluice] summary:\n')[1] ?? '').matchAll(/^\[sluice\] {3}(\S+)\s+(\w+)$/gm)) statuses[match[1] as string] = match[2] as string;
  return { statuses, result: code === 0 ? 'succeeded' : code === 1 ? 'failed' : code === 143 ? 'cancelled' : `exit ${code}` };
}
