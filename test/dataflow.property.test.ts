/**
 * Same data on every engine: for random pipelines (inputs of every type, with and without defaults,
 * hostile values; env literals with `$`, `$(X)`, `$$`, quotes, unicode; secrets; every trigger), each
 * step's argv, declared environment and working directory, as recorded by a stand-in program, are
 * the same on GitHub Actions, Argo (+ the kubelet) and the entrypoint, and equal to the reference
 * model (`whatStepsReceive`). See test/oracles/dataflow.ts for how each engine is read.
 *
 * CI runs a fixed seed: SLUICE_DATAFLOW_RUNS pipelines (default 2000) on the model, GitHub and Argo
 * (their bodies under bash, batched), SLUICE_DATAFLOW_BASH_RUNS of them (default 500) also through
 * the whole entrypoint script under bash (a process per run and per step: the slow part). A failure is shrunk and printed as pipeline.ts.
 */
import { emitArgo, emitEntrypoint, emitGithub, escapeKubernetesExpansion, SELECTOR_PATTERN, shellQuote } from '@sluice/targets';
import { SELECTOR, validate, whatStepsReceive, type StepDelivery, type TriggerRun } from '@sluice/compiler';
import { dbt, input, pipeline, secret, state, trigger, type PipelineIR, type SluiceIR } from '@sluice/sdk/ir';
import { irOf as irOfDsl } from './helpers/ir.js';
import { dnsLabel } from '@sluice/targets';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { dataflowCaseArbitrary, dataflowScriptArgv, dataflowToPipelineTs, type DataflowCase } from './helpers/arbitraries.js';
import { argoLaunches, byStep, executeLaunches, githubLaunches, kubernetesExpand, newBatch, RECORDER, runEntrypointRecorded, runGitlabRecorded, type Batch, type Launch, type Received } from './oracles/dataflow.js';
import { emitGitlab } from '../packages/targets/src/gitlab/index.js';
import { writeScript } from './oracles/entrypoint.js';

const SEED = Number(process.env.SLUICE_PROPERTY_SEED ?? 20261130);
const RUNS = Number(process.env.SLUICE_DATAFLOW_RUNS ?? 2000);
const BASH_RUNS = Number(process.env.SLUICE_DATAFLOW_BASH_RUNS ?? 500);
const GITLAB_RUNS = Number(process.env.SLUICE_DATAFLOW_GITLAB_RUNS ?? 150);
/** Steps per bash process, and entrypoint runs at once. */
const BATCH = 250;
const PARALLEL = 4;
/** The names every environment is compared on (all a generated pipeline can set), so extras show too. */
const DECLARED = ['E_1', 'E_2', 'E_3', ...['mode', 'select', 'flag_', 'n1', 'Mixed_Case'].map((name) => `SLUICE_INPUT_${name}`)];

/** The names a hand-written example's environment is compared on. */
function declaredNames(pipeline: PipelineIR): string[] {
  const envNames = [...pipeline.env, ...pipeline.steps.flatMap((step) => step.env)].map((variable) => variable.name);
  return [...new Set(['E_1', 'E_2', 'E_3', ...envNames, ...pipeline.inputs.map((input) => `SLUICE_INPUT_${input.name}`)])].sort();
}
const counts = { pipelines: 0, steps: 0, entrypoint: 0, gitlab: 0, refusedByModel: 0, ms: 0 };

function irOf(example: { pipeline: PipelineIR; dbtProjectDir: string }): SluiceIR {
  return { irVersion: 1, source: 'pipeline.ts', dbtProjectDir: example.dbtProjectDir, pipelines: [example.pipeline] };
}

/** What the recorder must see for a step, by the model (a generated script's call is known, see arbitraries). */
function expected(step: StepDelivery, pipeline: PipelineIR): Received {
  const command = pipeline.steps.find((candidate) => candidate.id === step.id)?.command;
  if (command?.kind === 'script') expect(step.argv).toEqual(['bash', '-eo', 'pipefail', '-c', command.script]);
  return { argv: command?.kind === 'script' ? dataflowScriptArgv(step.id, step.env) : step.argv, env: step.env, cwd: step.cwd };
}

function githubOf(example: DataflowCase): Launch[] {
  const file = emitGithub(irOf(example)).files.find((candidate) => candidate.path.endsWith('.yml'));
  if (!file) throw new Error('GitHub emitted no workflow');
  expect(file.content).not.toContain('[object Object]');
  return githubLaunches(file.content, example.run, example.secrets);
}

function argoOf(example: DataflowCase): Launch[] {
  const emitted = emitArgo(irOf(example), { image: 'dbt:test', eventTriggers: 'ignore' });
  const file = emitted.files[0];
  if (!file) throw new Error(`Argo refused: ${emitted.diagnostics.map((d) => d.message).join('; ')}`);
  expect(file.content).not.toContain('[object Object]');
  const launches = argoLaunches(file.content, example.run, example.secrets, new Map(example.pipeline.steps.map((step) => [step.id, `step-${dnsLabel(step.id)}`])));
  if ('refused' in launches) throw new Error(`Argo refused the submission: ${launches.refused}`);
  return launches;
}

function explain(example: DataflowCase, error: unknown): Error {
  return new Error(`${(error as Error).message}\n\nShrunk counterexample (paste into pipeline.ts):\n\n${dataflowToPipelineTs(example)}\n`);
}

interface Prepared {
  example: DataflowCase;
  want: Record<string, Received>;
  launches: [Launch[], Launch[]];
}

/** The model's expectation and both engines' launches, or undefined when the model refuses the run. */
function prepare(example: DataflowCase): Prepared | undefined {
  expect(validate(irOf(example))).toEqual([]);
  const model = whatStepsReceive(example.pipeline, example.run, { secrets: example.secrets, dbtProjectDir: example.dbtProjectDir });
  if (!model.ok) {
    // A run the model refuses (a required input submitted empty) is refused before any step; that is
    // control flow, compared by the conformance properties.
    counts.refusedByModel += 1;
    return undefined;
  }
  const want = Object.fromEntries(model.steps.map((step) => [step.id, expected(step, example.pipeline)]));
  return { example, want, launches: [githubOf(example), argoOf(example)] };
}

function check(prepared: Prepared, [github, argo]: Received[][][]): void {
  expect({ engine: 'github', steps: byStep((github as Received[][]).flat()) }).toEqual({ engine: 'github', steps: prepared.want });
  expect({ engine: 'argo', steps: byStep((argo as Received[][]).flat()) }).toEqual({ engine: 'argo', steps: prepared.want });
}

/**
 * The shared runner (entrypoint and GitLab job) refuses a secret the pipeline reads that is empty (a
 * mistake in the Secret, not a value: GitHub cannot tell it from unset), before any step: exit 2,
 * naming the secret. True when that is the case here (and the refusal was checked).
 */
function refusedForEmptySecret(example: DataflowCase, run: { code: number | null; stderr: string; records: Received[] }): boolean {
  const read = new Set([...example.pipeline.env, ...example.pipeline.steps.flatMap((step) => step.env)].flatMap((variable) => (variable.value.kind === 'secret' ? [variable.value.name] : [])));
  const empty = [...read].sort().find((name) => (example.secrets[name] ?? '') === '');
  if (empty === undefined) return false;
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toContain(`secret ${empty} is empty`);
  expect(run.records).toEqual([]);
  return true;
}

async function checkEntrypoint(prepared: Prepared, batch: Batch): Promise<void> {
  const { example } = prepared;
  const run = await runEntrypointRecorded(writeScript(irOf(example)), example.pipeline.name, example.run, example.secrets, batch);
  if (refusedForEmptySecret(example, run)) return;
  expect(run.code, run.stderr).toBe(0);
  expect({ engine: 'entrypoint', steps: byStep(run.records) }).toEqual({ engine: 'entrypoint', steps: prepared.want });
}

/** The GitLab job, with its variables as GitLab sets them, running the runner it emitted. */
async function checkGitlab(prepared: Prepared, batch: Batch): Promise<void> {
  const { example } = prepared;
  const dir = mkdtempSync(join(tmpdir(), 'sluice-gitlab-'));
  const emitted = emitGitlab(irOf(example), { path: join(dir, 'sluice.yml') });
  expect(emitted.diagnostics).toEqual([]);
  for (const file of emitted.files) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.content, { mode: 0o755 });
  }
  const run = await runGitlabRecorded(emitted.files[0]?.content as string, `sluice-${example.pipeline.name}`, example.run, example.secrets, batch);
  if (refusedForEmptySecret(example, run)) return;
  expect(run.code, run.stderr).toBe(0);
  expect({ engine: 'gitlab', steps: byStep(run.records) }).toEqual({ engine: 'gitlab', steps: prepared.want });
}

/** One case on every engine, each in its own bash: for examples and for shrinking a counterexample. */
async function compare(example: DataflowCase, withEntrypoint: boolean): Promise<void> {
  const prepared = prepare(example);
  if (!prepared) return;
  const batch = newBatch(declaredNames(example.pipeline), [example.dbtProjectDir]);
  check(prepared, executeLaunches(batch, prepared.launches) as Received[][][]);
  if (withEntrypoint) {
    await checkEntrypoint(prepared, batch);
    await checkGitlab(prepared, batch);
  }
}

afterAll(() => {
  console.log(
    `dataflow: ${counts.pipelines} pipelines (${counts.steps} steps) identical on the model, GitHub and Argo; ${counts.entrypoint} also on the entrypoint under bash, ${counts.gitlab} on the GitLab job; ${counts.refusedByModel} runs refused by the model; ${(counts.ms / 1000).toFixed(1)} s`,
  );
});

describe('what each step receives is the same on every engine, by property', () => {
  it(`${RUNS} random pipelines: model = GitHub = Argo; ${Math.min(BASH_RUNS, RUNS)} also = entrypoint`, { timeout: 900_000 }, async () => {
    const started = Date.now();
    // Fast path: every case's bodies in a few bash processes. On a difference, fast-check replays the
    // same seed case by case, which finds it again and shrinks it to a small pipeline.ts.
    // A few more than RUNS: runs the model refuses (about 3%) are not compared here.
    const examples = fc.sample(dataflowCaseArbitrary(), { seed: SEED, numRuns: Math.ceil(RUNS * 1.1) });
    const prepared = examples.map(prepare).filter((entry): entry is Prepared => entry !== undefined).slice(0, RUNS);
    expect(prepared).toHaveLength(RUNS);
    const batch = newBatch(DECLARED, ['.', 'dbt', 'warehouse project']);
    let failure: unknown;
    for (let start = 0; start < prepared.length && failure === undefined; start += BATCH) {
      const chunk = prepared.slice(start, start + BATCH);
      const results = executeLaunches(batch, chunk.flatMap((entry) => entry.launches));
      chunk.forEach((entry, index) => {
        if (failure !== undefined) return;
        try {
          check(entry, results.slice(index * 2, index * 2 + 2));
          counts.pipelines += 1;
          counts.steps += entry.example.pipeline.steps.length;
        } catch (error) {
          failure = error;
        }
      });
    }
    for (let start = 0; start < Math.min(BASH_RUNS, prepared.length) && failure === undefined; start += PARALLEL) {
      try {
        const chunk = prepared.slice(start, Math.min(start + PARALLEL, BASH_RUNS));
        await Promise.all(chunk.map((entry) => checkEntrypoint(entry, batch)));
        counts.entrypoint += chunk.length;
      } catch (error) {
        failure = error;
      }
    }
    for (let start = 0; start < Math.min(GITLAB_RUNS, prepared.length) && failure === undefined; start += PARALLEL) {
      try {
        const chunk = prepared.slice(start, Math.min(start + PARALLEL, GITLAB_RUNS));
        await Promise.all(chunk.map((entry) => checkGitlab(entry, batch)));
        counts.gitlab += chunk.length;
      } catch (error) {
        failure = error;
      }
    }
    counts.ms = Date.now() - started;
    if (failure === undefined) return;
    await fc.assert(
      fc.asyncProperty(dataflowCaseArbitrary(), async (example) => {
        try {
          await compare(example, true);
        } catch (error) {
          throw explain(example, error);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    throw new Error(`the batched run found a difference that the replay did not: ${(failure as Error).message}`);
  });
});

// ---------------------------------------------------------------------------------------------------
// The four known differences (issue 13), each a regression test on all engines
// ---------------------------------------------------------------------------------------------------

function example(pipeline: Partial<PipelineIR> & Pick<PipelineIR, 'steps'>, run: TriggerRun, secrets: Record<string, string> = {}): DataflowCase {
  return {
    pipeline: { name: 'dataflow', triggers: [{ kind: 'manual' }], inputs: [], env: [], runtime: { kind: 'image', image: 'dbt:test', dbtDeps: false }, concurrency: { cancelInProgress: false }, timeoutMinutes: 60, ...pipeline },
    dbtProjectDir: '.',
    run,
    secrets,
  };
}

function recordStep(id: string, argv: PipelineIR['steps'][number]['command'], env: PipelineIR['steps'][number]['env'] = []): PipelineIR['steps'][number] {
  return { id, label: 'shell', command: argv, env, needs: [], condition: { op: 'success' }, retries: 0, allowFailure: false, produces: [], consumes: [] };
}

/** Every engine's record of one step, after checking they all agree with the model. */
async function receivedEverywhere(example: DataflowCase, id: string): Promise<Received> {
  await compare(example, true);
  const model = whatStepsReceive(example.pipeline, example.run, { secrets: example.secrets, dbtProjectDir: example.dbtProjectDir });
  if (!model.ok) throw new Error(model.refused);
  return expected(model.steps.find((step) => step.id === id) as StepDelivery, example.pipeline);
}

describe('known differences, fixed in the emitters', () => {
  const schema = { name: 'schema', type: 'string' as const, required: false, default: 'analytics' };
  const full = { name: 'full', type: 'boolean' as const, required: false, default: true };
  const withDefaults = (run: TriggerRun) =>
    example(
      {
        triggers: [{ kind: 'schedule', cron: '0 3 * * *' }, { kind: 'manual' }, { kind: 'push', branches: [], paths: [] }, { kind: 'pullRequest', branches: [], paths: [] }],
        inputs: [schema, full],
        env: [{ name: 'E_1', value: { kind: 'input', name: 'schema' } }],
        steps: [recordStep('s0', { kind: 'argv', argv: [{ kind: 'literal', value: RECORDER }, { kind: 'literal', value: 's0' }, { kind: 'input', name: 'schema', flag: '--schema' }, { kind: 'switch', name: 'full', flag: '--full' }] })],
      },
      run,
    );

  it.each<TriggerRun>([{ kind: 'schedule' }, { kind: 'push' }, { kind: 'pullRequest' }, { kind: 'manual', inputs: {} }])('(a) input defaults reach the step on a $kind run, on GitHub too', async (run) => {
    const received = await receivedEverywhere(withDefaults(run), 's0');
    expect(received.argv).toEqual([RECORDER, 's0', '--schema', 'analytics', '--full']);
    expect(received.env.E_1).toBe('analytics');
  });

  it('(a) an empty string and false submitted on purpose stay empty and false (no `|| default` trap)', async () => {
    const received = await receivedEverywhere(withDefaults({ kind: 'manual', inputs: { schema: '', full: 'false' } }), 's0');
    expect(received.argv).toEqual([RECORDER, 's0']);
    expect(received.env).toMatchObject({ E_1: '', SLUICE_INPUT_schema: '', SLUICE_INPUT_full: 'false' });
  });

  const secretive = (note: string, select: string) =>
    example(
      {
        inputs: [
          { name: 'note', type: 'string', required: false },
          { name: 'select', type: 'string', required: false },
        ],
        env: [{ name: 'SNOWFLAKE_PASSWORD', value: { kind: 'secret', name: 'SNOWFLAKE_PASSWORD' } }],
        steps: [
          recordStep('s0', { kind: 'argv', argv: [{ kind: 'literal', value: RECORDER }, { kind: 'literal', value: 's0' }, { kind: 'input', name: 'note' }] }, [{ name: 'E_2', value: { kind: 'input', name: 'note' } }]),
          recordStep('s1', { kind: 'argv', argv: [{ kind: 'literal', value: RECORDER }, { kind: 'literal', value: 's1' }, { kind: 'input', name: 'select', flag: '--select', validate: 'selector' }] }),
        ],
      },
      { kind: 'manual', inputs: { note, select } },
      { SNOWFLAKE_PASSWORD: 'hunter2' },
    );

  it('(b) Argo: a submitted $(SNOWFLAKE_PASSWORD) is not expanded into the password', async () => {
    const received = await receivedEverywhere(secretive('$(SNOWFLAKE_PASSWORD) $$', ''), 's0');
    expect(received.argv).toEqual([RECORDER, 's0', '$(SNOWFLAKE_PASSWORD) $$']);
    expect(received.env.E_2).toBe('$(SNOWFLAKE_PASSWORD) $$');
    expect(received.argv.join(' ')).not.toContain('hunter2');
  });

  it('(b) Argo: select=$(SNOWFLAKE_PASSWORD) fails the selector check instead of becoming the password', async () => {
    const run = secretive('', '$(SNOWFLAKE_PASSWORD)');
    const model = whatStepsReceive(run.pipeline, run.run, { secrets: run.secrets });
    expect(model.ok && model.steps.find((step) => step.id === 's1')?.refused).toBe('input select is not a dbt selection');
    const launches = argoOf(run);
    const [[, s1]] = executeLaunches(newBatch(declaredNames(run.pipeline), ['.']), [launches]) as [Received[][]];
    expect(s1).toEqual([]);
  });

  it('(b) Argo: env literals and arguments with $, $$, $(X) arrive byte for byte', async () => {
    const nasty = '$$ $(E_1) $$(E_1) $( $ a$';
    const received = await receivedEverywhere(
      example(
        {
          env: [{ name: 'E_1', value: { kind: 'literal', value: 'one' } }],
          steps: [recordStep('s0', { kind: 'argv', argv: [{ kind: 'literal', value: RECORDER }, { kind: 'literal', value: 's0' }, { kind: 'literal', value: nasty }] }, [{ name: 'E_2', value: { kind: 'literal', value: nasty } }])],
        },
        { kind: 'manual', inputs: {} },
      ),
      's0',
    );
    expect(received.argv[2]).toBe(nasty);
    expect(received.env.E_2).toBe(nasty);
  });

  it('(c) no generator output holds [object Object]', () => {
    fc.assert(
      fc.property(dataflowCaseArbitrary(), (generated) => {
        for (const file of [...emitGithub(irOf(generated)).files, ...emitArgo(irOf(generated), { image: 'dbt:test', eventTriggers: 'ignore' }).files, ...emitEntrypoint(irOf(generated)).files]) {
          expect(file.content).not.toContain('[object Object]');
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('(d) Argo: optional inputs without a default run from the CronWorkflow and a submission that leaves them out', async () => {
    const pipeline = {
      triggers: [{ kind: 'schedule' as const, cron: '0 3 * * *' }, { kind: 'manual' as const }],
      inputs: [
        { name: 'mode', type: 'string' as const, required: false },
        { name: 'flag_', type: 'boolean' as const, required: false },
        { name: 'Mixed_Case', type: 'choice' as const, required: false, options: ['a', 'b'] },
      ],
      steps: [
        recordStep('s0', { kind: 'argv', argv: [{ kind: 'literal', value: RECORDER }, { kind: 'literal', value: 's0' }, { kind: 'input', name: 'mode' }, { kind: 'switch', name: 'flag_', flag: '--flag' }, { kind: 'input', name: 'Mixed_Case', flag: '--case' }] }),
      ],
    };
    for (const run of [{ kind: 'schedule' }, { kind: 'manual', inputs: {} }] as TriggerRun[]) {
      const received = await receivedEverywhere(example(pipeline, run), 's0');
      expect(received.argv).toEqual([RECORDER, 's0', '']);
    }
  });

  it('Argo: a required input submitted empty stops the run in sluice-prepare, before any step (as the model and the entrypoint)', () => {
    const required = example(
      {
        inputs: [{ name: 'select', type: 'string', required: true }],
        steps: [recordStep('s0', { kind: 'argv', argv: [{ kind: 'literal', value: RECORDER }, { kind: 'literal', value: 's0' }, { kind: 'input', name: 'select' }] })],
      },
      { kind: 'manual', inputs: { select: '' } },
    );
    expect(whatStepsReceive(required.pipeline, required.run)).toEqual({ ok: false, refused: "input 'select' is required" });
    const file = emitArgo(irOf(required), { image: 'dbt:test' }).files[0]?.content ?? '';
    const prepare = (value: string) => {
      const launches = argoLaunches(file, { kind: 'manual', inputs: { select: value } }, {}, new Map([['prepare', 'sluice-prepare']]));
      if ('refused' in launches) throw new Error(launches.refused);
      const launch = launches[0] as Launch;
      if (launch.run.kind !== 'exec') throw new Error('prepare is an sh -c command');
      return spawnSync(launch.run.argv[0] as string, launch.run.argv.slice(1), { env: { ...launch.env, PATH: process.env.PATH, SLUICE_SOURCE: '' }, cwd: mkdtempSync(join(tmpdir(), 'sluice-prepare-')), encoding: 'utf8' });
    };
    const empty = prepare('');
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('input select is required');
    // With a value, the check passes and preparation goes on (to `test -f dbt_project.yml`, absent here).
    const given = prepare('$(SLUICE_INPUT_select)');
    expect(given.stderr).not.toContain('required');
  });

  it("the model's selector check is bash's run-time check (SELECTOR = SELECTOR_PATTERN under [[ =~ ]])", () => {
    const values = fc.sample(fc.array(fc.constantFrom('a', 'Z', '0', '_', '.', ':', '/', '*', '?', '+', '@', ',', '=', '[', ']', '-', ' ', '$', '(', ')', '"', '\n', '🙂', '{', '|'), { maxLength: 8 }).map((chars) => chars.join('')), { seed: SEED, numRuns: 500 });
    const script = values.map((value) => `v=${shellQuote(value)}; if [[ $v =~ $p ]]; then echo 1; else echo 0; fi`).join('\n');
    const bash = spawnSync('bash', ['-c', `p=$1\n${script}`, 'bash', SELECTOR_PATTERN], { encoding: 'utf8' });
    expect(bash.stdout.trim().split('\n')).toEqual(values.map((value) => (SELECTOR.test(value) ? '1' : '0')));
  });
});

describe("Kubernetes' $(VAR) expansion, as the Argo oracle applies it", () => {
  const mapping = new Map([['VAR_A', 'A'], ['VAR_B', 'B'], ['VAR_EMPTY', '']]);
  // Cases from Kubernetes' own expansion tests (third_party/forked/golang/expansion/expand_test.go).
  it.each([
    ['$(VAR_A)', 'A'],
    ['___$(VAR_B)___', '___B___'],
    ['$(VAR_A)-$(VAR_B)', 'A-B'],
    ['$$(VAR_A)', '$(VAR_A)'],
    ['$$$(VAR_A)', '$A'],
    ['$$$$(VAR_A)', '$$(VAR_A)'],
    ['$(VAR_DNE)', '$(VAR_DNE)'],
    ['$(VAR_A', '$(VAR_A'],
    ['$()', '$()'],
    ['$VAR_A', '$VAR_A'],
    ['$$', '$'],
    ['f00$', 'f00$'],
    ['$(VAR_EMPTY)x', 'x'],
    ['$(VAR_A)$(', 'A$('],
  ])('%j expands to %j', (input, output) => {
    expect(kubernetesExpand(input, mapping)).toBe(output);
  });

  it('escaped by the Argo emitter, any string comes back byte for byte, whatever is defined', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('$', '(', ')', 'V', 'A', 'R', '_', 'a', ' ', 'é', '🙂') }), (text) => {
        expect(kubernetesExpand(escapeKubernetesExpansion(text), new Map([['VAR', 'x'], ['A', 'y'], ['', 'z']]))).toBe(text);
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });
});

describe('a real pipeline (dbt options, slim CI state, inputs, secrets) receives the same on GitHub and Argo as in the model', () => {
  const production = state.s3('s3://acme-dbt-state/metric');
  const slim = pipeline('slim', {
    triggers: [trigger.schedule('0 3 * * *'), trigger.manual(), trigger.pullRequest()],
    inputs: {
      select: input.string({ default: 'state:modified+' }),
      exclude: input.string(),
      fullRefresh: input.boolean({ default: false }),
      vars: input.string({ default: '{"run": "$(date) $$"}' }),
    },
    env: { SNOWFLAKE_PASSWORD: secret('SNOWFLAKE_PASSWORD'), DBT_VARS_NOTE: 'cost $$ $(SNOWFLAKE_PASSWORD)' },
    steps: ({ inputs }) => {
      const load = production.load();
      const build = dbt.build({ select: inputs.select, exclude: inputs.exclude, fullRefresh: inputs.fullRefresh, vars: inputs.vars, state: load, defer: true, target: 'ci' });
      return { load, build };
    },
  });
  const ir = { ...irOfDsl(slim), dbtProjectDir: 'warehouse' };
  const pipelineIR = ir.pipelines[0] as PipelineIR;
  const secrets = { SNOWFLAKE_PASSWORD: 'pa$$(word)' };
  const names = ['SNOWFLAKE_PASSWORD', 'DBT_VARS_NOTE', 'SLUICE_STATE_URL', 'SLUICE_STATE_DIR', ...pipelineIR.inputs.map((i) => `SLUICE_INPUT_${i.name}`)];
  const runs: TriggerRun[] = [
    { kind: 'schedule' },
    { kind: 'pullRequest' },
    { kind: 'manual', inputs: {} },
    { kind: 'manual', inputs: { select: 'tag:x fct+', exclude: 'tag:old', fullRefresh: 'true', vars: '{"a": "$(SNOWFLAKE_PASSWORD) $$"}' } },
    // Not a selection: the build step refuses to start dbt, on every engine.
    { kind: 'manual', inputs: { exclude: '$(SNOWFLAKE_PASSWORD)', vars: '' } },
  ];

  it.each(runs.flatMap((run) => [{ run, state: false }, { run, state: true }]))('$run.kind $run.inputs, production state present: $state', async ({ run, state: present }) => {
    const model = whatStepsReceive(pipelineIR, run, { secrets, dbtProjectDir: 'warehouse', ...(present ? { existingFiles: new Set(['prod-state/manifest.json']) } : {}) });
    if (!model.ok) throw new Error(model.refused);
    const github = emitGithub(ir).files.find((file) => file.path.endsWith('slim.yml'))?.content ?? '';
    const argo = emitArgo(ir, { image: 'dbt:test', eventTriggers: 'ignore' }).files[0]?.content ?? '';
    const argoRun = argoLaunches(argo, run, secrets, new Map(pipelineIR.steps.map((step) => [step.id, `step-${dnsLabel(step.id)}`])));
    if ('refused' in argoRun) throw new Error(argoRun.refused);
    // Present: the store holds production's manifest, which the load step downloads (a file left in
    // the state directory beforehand never counts: the load clears it first).
    const batch = newBatch(names, ['warehouse'], ['dbt', 'aws'], present ? { 's3://acme-dbt-state/metric/manifest.json': '{}' } : {});
    const [onGithub, onArgo] = executeLaunches(batch, [githubLaunches(github, run, secrets), argoRun]) as [Received[][], Received[][]];
    // Both engines make the same calls (the load step's aws calls included), in the same order.
    expect(onArgo).toEqual(onGithub);
    const build = model.steps.find((step) => step.id === 'build') as StepDelivery;
    const dbtCall = onGithub.flat().find((call) => call.argv[0] === 'dbt');
    if (build.refused) expect(dbtCall).toBeUndefined();
    else expect(dbtCall).toEqual({ argv: build.argv, env: build.env, cwd: 'warehouse' });
    if (present) expect(build.argv).toContain('--defer');
    else expect(build.argv).not.toContain('--defer');
    for (const call of onGithub.flat()) expect(call.env.DBT_VARS_NOTE).toBe('cost $$ $(SNOWFLAKE_PASSWORD)');
    // The entrypoint, run for real with the same stand-ins: the same calls. (It checks selections before
    // any step, so a refused selection stops the load step too: that is control flow, compared elsewhere.)
    const entrypoint = await runEntrypointRecorded(writeScript(ir), 'slim', run, secrets, batch);
    if (build.refused) expect(entrypoint.code).toBe(2);
    else expect(entrypoint.records).toEqual(onGithub.flat());
  });
});
