/**
 * The GitHub Actions target: the security checklist as named assertions over every emitted
 * workflow, and the emitted `run:` bodies executed by bash (GitHub's `bash -e -o pipefail`) with
 * stand-in commands, to prove values arrive as exactly the intended argv.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dbt, input, pipeline, shell, trigger, type SluiceIR } from '@sluice/sdk/ir';
import { emitGithub, type GeneratedFile } from '@sluice/targets';
import { compileProject } from '@sluice/compiler';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { irOf } from '../../../test/helpers/ir.js';
import { examplesWithConfig, REPO_ROOT } from '../../../test/helpers/project.js';
import { makeStandIns } from '../../../test/helpers/standins.js';
import { githubChecklist } from '../../../test/helpers/checklists.js';
import { actionlintFindings, githubParserErrors } from '../../../test/helpers/validators.js';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: unknown;
  concurrency?: { group?: string };
  jobs: Record<string, { permissions?: Record<string, string>; 'timeout-minutes'?: number; defaults?: { run?: { shell?: string } }; steps: Step[] }>;
}

const backfill = pipeline('backfill', {
  triggers: [trigger.manual()],
  inputs: {
    select: input.string({ required: true }),
    fullRefresh: input.boolean({ default: false }),
    exclude: input.string({ default: 'tag:deprecated' }),
  },
  steps: ({ inputs }) => ({
    run: dbt.build({ select: inputs.select, exclude: inputs.exclude, fullRefresh: inputs.fullRefresh, target: 'prod', retries: 2 }),
    echo: shell(['dbt', 'debug', inputs.select]),
  }),
});

async function allWorkflows(): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  for (const example of examplesWithConfig()) {
    const result = await compileProject({ cwd: `${REPO_ROOT}/examples/${example}`, target: 'github' });
    files.push(...result.files.filter((file) => file.path.endsWith('.yml')).map((file) => ({ ...file, path: `${example}/${file.path}` })));
  }
  files.push(...emitGithub(irOf(backfill)).files.filter((file) => file.path.endsWith('.yml')));
  return files;
}

describe('GitHub security checklist, on every emitted workflow', async () => {
  const workflows = await allWorkflows();
  it.each(workflows)('$path: every property of the security checklist holds', ({ content }) => {
    expect(githubChecklist(content)).toEqual([]);
  });
  it.each(workflows)('$path: passes GitHub’s parser and actionlint', async ({ path, content }) => {
    expect(await githubParserErrors(path, content)).toEqual([]);
    expect(await actionlintFindings(path, content)).toEqual([]);
  });
});

describe('the checklist can fail', () => {
  it('names each property a hand-written workflow breaks', () => {
    const unsafe = 'name: x\non:\n  pull_request_target: {}\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    permissions: { contents: write }\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo ${{ github.head_ref }}\n';
    expect(githubChecklist(unsafe)).toEqual([
      'permissions: {} at the top',
      'least privilege per job',
      'every uses: pinned to a 40-character SHA',
      'every pin carries its version',
      'persist-credentials: false',
      'no ${{ }} inside run:',
      'no pull_request_target or workflow_run',
      'shell: bash',
      'timeout-minutes on every job',
      'a concurrency group',
    ]);
  });
});

describe('the validators can fail', () => {
  it('GitHub’s parser and actionlint reject a broken workflow', async () => {
    const broken = 'name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n        if: ${{ steps.missing.outcome = 1 }}\n';
    expect((await githubParserErrors('broken.yml', broken)).length).toBeGreaterThan(0);
    expect((await actionlintFindings('broken.yml', broken)).length).toBeGreaterThan(0);
  });
});

function runStep(ir: SluiceIR, stepId: string, env: Record<string, string>) {
  const workflow = parse(emitGithub(ir).files[0]?.content ?? '') as Workflow;
  const step = steps(workflow).find((s) => s.id === stepId);
  if (!step?.run) throw new Error(`no run body for ${stepId}`);
  const standIns = makeStandIns(['dbt']);
  // The step's env: entries that are plain values (expressions are the test's to give), as the runner sets them.
  const literalEnv = Object.fromEntries(Object.entries((step as { env?: Record<string, string> }).env ?? {}).filter(([, value]) => !String(value).includes('${{')));
  const fullEnv = { GITHUB_EVENT_NAME: 'workflow_dispatch', ...literalEnv, PATH: standIns.path, ...env };
  return { standIns, run: () => spawnSync('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', step.run as string], { cwd: mkdtempSync(`${tmpdir()}/sluice-gh-`), encoding: 'utf8', env: fullEnv }) };
}
const steps = (workflow: Workflow): Step[] => Object.values(workflow.jobs).flatMap((job) => job.steps);

describe('run: bodies executed under bash', () => {
  const ir = irOf(backfill);
  const HOSTILE = [`a; rm -rf / $(touch pwned) \`id\` | cat & > out < in`, 'two\nlines', `'single' "double" * ? [x]`, '-leading --dash', ''];

  it.each(HOSTILE.filter(Boolean))('a selection input %j is refused before dbt runs', (value) => {
    const { standIns, run } = runStep(ir, 'run', { SLUICE_INPUT_select: value, SLUICE_INPUT_fullRefresh: 'true', SLUICE_INPUT_exclude: '' });
    const result = run();
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('input select is not a dbt selection');
    expect(standIns.calls()).toEqual([]);
  });

  it.each(HOSTILE.filter(Boolean))('input %j reaches a command as one argument', (value) => {
    const echo = runStep(ir, 'echo', { SLUICE_INPUT_select: value });
    expect(echo.run().status).toBe(0);
    expect(echo.standIns.calls()).toEqual([{ command: 'dbt', argv: ['debug', value] }]);
  });

  it('a valid selection arrives as one argument; an empty exclude submitted on purpose stays empty', () => {
    const { standIns, run } = runStep(ir, 'run', { SLUICE_INPUT_select: 'tag:nightly fct_orders+', SLUICE_INPUT_fullRefresh: 'true', SLUICE_INPUT_exclude: '' });
    expect(run().status).toBe(0);
    expect(standIns.calls()).toEqual([{ command: 'dbt', argv: ['build', '--select', 'tag:nightly fct_orders+', '--full-refresh', '--target', 'prod', '--target-path', 'target/sluice/run'] }]);
  });

  it('outside workflow_dispatch (inputs empty) every input takes its default, whatever inputs.x held', () => {
    const { standIns, run } = runStep(ir, 'run', { GITHUB_EVENT_NAME: 'schedule', SLUICE_INPUT_select: 'x', SLUICE_INPUT_fullRefresh: 'true', SLUICE_INPUT_exclude: '' });
    expect(run().status).toBe(0);
    expect(standIns.calls()).toEqual([{ command: 'dbt', argv: ['build', '--select', 'x', '--exclude', 'tag:deprecated', '--target', 'prod', '--target-path', 'target/sluice/run'] }]);
  });

  it('a missing required input fails before dbt runs', () => {
    const { standIns, run } = runStep(ir, 'run', {});
    expect(run().status).toBe(2);
    expect(standIns.calls()).toEqual([]);
  });

  it('retries: two failures then success is a success; three failures fail the step', () => {
    const flaky = runStep(ir, 'run', { SLUICE_INPUT_select: 'x', SLUICE_RETRY_DELAY: '0' });
    flaky.standIns.failTimes('dbt', 2);
    const result = flaky.run();
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(flaky.standIns.calls()).toHaveLength(3);
    const broken = runStep(ir, 'run', { SLUICE_INPUT_select: 'x', SLUICE_RETRY_DELAY: '0' });
    broken.standIns.failTimes('dbt', 'always');
    expect(broken.run().status).not.toBe(0);
    expect(broken.standIns.calls()).toHaveLength(3);
  });
});

describe('schedules in a time zone', () => {
  const paris = irOf(pipeline('paris', { triggers: [trigger.schedule('0 6 * * *', { timezone: 'Europe/Paris' })], steps: () => ({ run: dbt.build() }) }));
  it('are refused by default, naming the option', () => {
    const result = emitGithub(paris);
    expect(result.files).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['SLUICE_E_TARGET_UNSUPPORTED']);
    expect(result.diagnostics[0]?.hint).toContain('scheduleTimezones');
  });
  it('emit GitHub’s timezone key when asked, which GitHub’s parser accepts', async () => {
    const file = emitGithub(paris, { scheduleTimezones: true }).files[0] as GeneratedFile;
    expect((parse(file.content) as Workflow).on.schedule).toEqual([{ cron: '0 6 * * *', timezone: 'Europe/Paris' }]);
    expect(await githubParserErrors(file.path, file.content)).toEqual([]);
  });
});
