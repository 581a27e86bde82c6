/**
 * The GitLab CI/CD target: every emitted file against GitLab's own CI JSON schema (ajv), our own
 * checks the schema cannot make (needs exist, no interpolation syntax, no user value in `script:`),
 * the refusals, and semantics.md's reference scenarios executed as GitLab would run the job
 * (test/oracles/gitlab.ts), cancellation included.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dbt, input, notify, pipeline, secret, trigger, upload, when, type PipelineIR, type SluiceIR, type StepStatus } from '@sluice/sdk/ir';
import { simulatePipeline, type Faults } from '@sluice/compiler';
import { emitGitlab, globToRegex, pipelineRules } from '../packages/targets/src/gitlab/index.js';
import { Ajv } from 'ajv';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { pipelineArbitrary } from './helpers/arbitraries.js';
import { irOf } from './helpers/ir.js';
import { copyExample, REPO_ROOT, SLUICE_BIN, snapshotTree } from './helpers/project.js';
import { evaluateIf, jobAdded, onGitlab } from './oracles/gitlab.js';

const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/gitlab/ci-schema.json'), 'utf8')) as object;
const ajv = new Ajv({ strict: false, allErrors: true });
// ajv-formats (a dependency of ajv's ecosystem already installed) adds the `format` checks the schema uses.
(createRequire(import.meta.url)('ajv-formats') as (ajv: Ajv) => void)(ajv);
const validateCi = ajv.compile(schema);

/** Schema findings plus the checks the schema does not make (gitlab-notes §0). */
function ciProblems(content: string): string[] {
  const problems: string[] = [];
  // `$[[ inputs.x ]]` is interpolated only in a file with a `spec:` header (gitlab-notes §0, §4): we write none.
  if (/^---$/m.test(content) || /^spec:/m.test(content)) return ['a spec: header'];
  const document = parse(content) as Record<string, unknown>;
  if (!validateCi(document)) problems.push(...(validateCi.errors ?? []).map((error: { instancePath: string; message?: string }) => `${error.instancePath} ${error.message}`));
  for (const [name, job] of Object.entries(document)) {
    if (name === 'variables' || typeof job !== 'object' || job === null) continue;
    const { needs, script } = job as { needs?: { job: string }[]; script?: string[] };
    for (const need of needs ?? []) if (!(need.job in document)) problems.push(`${name} needs missing job ${need.job}`);
    for (const line of script ?? []) {
      if (line.includes('$[[') || line.includes('${{')) problems.push('interpolation syntax in script');
      // A script line is fixed text: the runner and a pipeline name, or the pages check; no variable of ours or the user's.
      if (/\$(?!\{?CI_)/.test(line.replace(/'[^']*'/g, ''))) problems.push(`${name}: a $ outside quotes in script: ${line}`);
    }
  }
  return problems;
}

const reference = pipeline('reference', {
  triggers: [trigger.manual()],
  steps: () => {
    const run = dbt.build();
    const site = dbt.docs({ needs: run });
    const publish = upload.s3({ from: site.site, to: 's3://bucket/docs/' });
    const alert = notify.slack({ webhook: secret('SLACK_WEBHOOK'), needs: [run, publish], if: when.always() });
    return { run, docs: site, upload: publish, notify: alert };
  },
});

const ok = 'succeeded';
const TABLE: { name: string; faults: Faults; statuses: Record<string, StepStatus>; result: 'succeeded' | 'failed' | 'cancelled' }[] = [
  { name: 'all succeed', faults: {}, statuses: { run: ok, docs: ok, upload: ok, notify: ok }, result: 'succeeded' },
  { name: 'run fails', faults: { fail: { run: 'always' } }, statuses: { run: 'failed', docs: 'skipped', upload: 'skipped', notify: ok }, result: 'failed' },
  { name: 'docs fails', faults: { fail: { docs: 'always' } }, statuses: { run: ok, docs: 'failed', upload: 'skipped', notify: ok }, result: 'failed' },
  { name: 'upload fails', faults: { fail: { upload: 'always' } }, statuses: { run: ok, docs: ok, upload: 'failed', notify: ok }, result: 'failed' },
  { name: 'cancelled while run runs', faults: { cancelAt: 'run' }, statuses: { run: 'cancelled', docs: 'skipped', upload: 'skipped', notify: ok }, result: 'cancelled' },
];

describe('GitLab target: files GitLab accepts', () => {
  it('the example project: every file passes GitLab\'s CI schema and our checks', () => {
    const content = readFileSync(join(REPO_ROOT, 'examples/dbt-metric/.gitlab/sluice.yml'), 'utf8');
    expect(ciProblems(content)).toEqual([]);
  });

  it('a check that can fail: the schema rejects an invented keyword and a bad when', () => {
    expect(ciProblems('job:\n  script: [x]\n  when: on_cancel\n').length).toBeGreaterThan(0);
    expect(ciProblems('job:\n  script: ["echo $[[ inputs.x ]]"]\n')).toContain('interpolation syntax in script');
    expect(ciProblems('spec:\n  inputs: {}\n---\njob:\n  script: [x]\n')).toContain('a spec: header');
    expect(ciProblems("job:\n  script: ['bash run.sh $SLUICE_INPUT_x']\n").length).toBeGreaterThan(0);
    expect(ciProblems('a:\n  script: [x]\n  needs: [{ job: b }]\n')).toContain('a needs missing job b');
  });

  it('random pipelines with every trigger, inputs, cloud and Pages: schema-valid, user values never in script', () => {
    fc.assert(
      fc.property(pipelineArbitrary(12), fc.string({ maxLength: 12 }), fc.boolean(), (generated, text, cancelInProgress) => {
        const value = `$HOME ${text} $[[ inputs.x ]] \${{ secrets.Y }} '"`;
        const pipelineIR: PipelineIR = {
          ...generated,
          triggers: [
            { kind: 'manual' },
            { kind: 'schedule', cron: '0 3 * * *' },
            { kind: 'push', branches: ['main', 'release/**', 'v$1?'], paths: ['models/**'] },
            { kind: 'pullRequest', branches: [], paths: [] },
          ],
          inputs: [{ name: 'select', type: 'string', required: false, default: value, description: value }],
          env: [{ name: 'E', value: { kind: 'literal', value } }],
          runtime: { kind: 'python', version: '3.12', requirements: 'requirements.txt', dbtDeps: true },
          cloud: { kind: 'gcp', workloadIdentityProvider: 'projects/1/locations/global/workloadIdentityPools/p/providers/q', serviceAccount: 'sa@p.iam.gserviceaccount.com' },
          concurrency: { cancelInProgress },
          steps: [...generated.steps, { ...(generated.steps[0] as PipelineIR['steps'][number]), id: 'publish', needs: [], command: { kind: 'publish', destination: { kind: 'pages' }, path: 'target', isDirectory: true } }],
        };
        const emitted = emitGitlab({ irVersion: 1, source: 'pipeline.ts', dbtProjectDir: 'dbt', pipelines: [pipelineIR] });
        expect(emitted.diagnostics).toEqual([]);
        const ci = emitted.files[0]?.content as string;
        expect(ciProblems(ci)).toEqual([]);
        const document = parse(ci) as Record<string, { script?: string[] }>;
        expect(Object.keys(document).sort()).toEqual(['pages', 'sluice-generated', 'variables']);
        expect(document['sluice-generated']?.script).toEqual(['bash .gitlab/sluice/run.sh generated']);
      }),
      { seed: 16, numRuns: 150 },
    );
  });
});

describe('GitLab target: the runner passes shellcheck with every set-up', () => {
  it.skipIf(spawnSync('shellcheck', ['--version']).status !== 0).each([
    { kind: 'aws' as const, roleToAssume: 'arn:aws:iam::1:role/r', region: 'eu-west-1' },
    { kind: 'gcp' as const, workloadIdentityProvider: 'projects/1/locations/global/workloadIdentityPools/p/providers/q', serviceAccount: 'sa@p.iam.gserviceaccount.com' },
  ])('$kind', (cloud) => {
    const base = irOf(reference).pipelines[0] as PipelineIR;
    const pages = { ...(base.steps[1] as PipelineIR['steps'][number]), id: 'pages', command: { kind: 'publish' as const, destination: { kind: 'pages' as const }, path: 'target/index.html', isDirectory: false } };
    const ir: SluiceIR = { irVersion: 1, source: 'pipeline.ts', dbtProjectDir: 'dbt', pipelines: [{ ...base, cloud, runtime: { kind: 'python', version: '3.12', requirements: 'requirements.txt', dbtDeps: true }, steps: [...base.steps, pages] }] };
    const runner = emitGitlab(ir).files[1]?.content as string;
    expect(runner).toContain('SLUICE_OIDC_TOKEN');
    const result = spawnSync('shellcheck', ['-S', 'style', '-s', 'bash', '-'], { input: runner, encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('GitLab target: refusals name the way out', () => {
  it('GitHub artifacts, a second Pages site, the GitHub token and clashing inputs are refused with SLUICE_E_TARGET_UNSUPPORTED', () => {
    const base = irOf(reference).pipelines[0] as PipelineIR;
    const pages = { ...(base.steps[0] as PipelineIR['steps'][number]), id: 'pages', command: { kind: 'publish' as const, destination: { kind: 'pages' as const }, path: 'target', isDirectory: true } };
    const ir: SluiceIR = {
      irVersion: 1,
      source: 'pipeline.ts',
      dbtProjectDir: '.',
      pipelines: [
        { ...base, name: 'a', steps: [...base.steps, pages], inputs: [{ name: 'x', type: 'string', required: false, default: '1' }] },
        { ...base, name: 'b', steps: [...base.steps, pages, { ...pages, id: 'save', command: { kind: 'state-save', store: { kind: 'github-artifact', pipeline: 'b' }, from: 'target' } }], inputs: [{ name: 'x', type: 'string', required: false, default: '2' }] },
        { ...base, name: 'c', runtime: { kind: 'image', image: 'ghcr.io/a/b:1', credentials: { kind: 'github-token' }, dbtDeps: false } },
      ],
    };
    const result = emitGitlab(ir);
    expect(result.files).toEqual([]);
    expect(result.diagnostics.map((d: { code: string; path: string[] }) => [d.code, d.path.join(' / ')])).toEqual([
      ['SLUICE_E_TARGET_UNSUPPORTED', 'pipeline b / step pages / target gitlab'],
      ['SLUICE_E_TARGET_UNSUPPORTED', 'pipeline b / step save / target gitlab'],
      ['SLUICE_E_TARGET_UNSUPPORTED', 'pipeline c / target gitlab'],
      ['SLUICE_E_TARGET_UNSUPPORTED', 'pipeline b / target gitlab'],
    ]);
    for (const diagnostic of result.diagnostics) expect(diagnostic.hint?.length).toBeGreaterThan(10);
  });
});

describe('GitLab target: when a job is added (rules, gitlab-notes §1 and §4)', () => {
  const scheduled = irOf(
    pipeline('nightly', { triggers: [trigger.schedule('0 3 * * *'), trigger.manual()], steps: () => ({ run: dbt.build() }) }),
    pipeline('ci', { triggers: [trigger.pullRequest({ branches: ['main', 'release/*'] }), trigger.push({ branches: ['main'] })], steps: () => ({ run: dbt.build() }) }),
  );
  const document = parse(emitGitlab(scheduled).files[0]?.content as string) as Record<string, { rules: { if: string }[] }>;
  const added = (variables: Record<string, string>) => ['sluice-ci', 'sluice-nightly'].filter((job) => jobAdded(document[job] as { rules: { if: string }[] }, variables).added);

  it.each([
    [{ CI_PIPELINE_SOURCE: 'schedule', SLUICE_SCHEDULE: 'nightly' }, ['sluice-nightly']],
    [{ CI_PIPELINE_SOURCE: 'schedule' }, []],
    [{ CI_PIPELINE_SOURCE: 'schedule', SLUICE_SCHEDULE: 'ci' }, []],
    [{ CI_PIPELINE_SOURCE: 'web', SLUICE_PIPELINE: 'nightly' }, ['sluice-nightly']],
    [{ CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main', SLUICE_PIPELINE: 'nightly' }, ['sluice-ci']],
    [{ CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'mainline' }, []],
    [{ CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'release/2026' }, ['sluice-ci']],
    [{ CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'release/2026/x' }, []],
  ])('%j adds %j', (variables, jobs) => {
    expect(added(variables)).toEqual(jobs);
  });

  it('branch globs become anchored RE2 literals; anything else is refused', () => {
    expect(globToRegex('release/**')).toBe('/^release\\/.*$/');
    expect(evaluateIf(`$B =~ ${globToRegex('v$1.*') as string}`, { B: 'v$1.x' })).toBe(true);
    expect(evaluateIf(`$B =~ ${globToRegex('v$1.*') as string}`, { B: 'v11.x' })).toBe(false);
    expect(pipelineRules({ ...(scheduled.pipelines[0] as PipelineIR), triggers: [{ kind: 'push', branches: ['a b'], paths: [] }] }).problems).toHaveLength(1);
  });
});

describe('GitLab target: semantics.md reference scenarios, as GitLab runs the job', () => {
  const pipelineIR = irOf(reference).pipelines[0] as PipelineIR;
  it.each(TABLE)('$name', { timeout: 30_000 }, async (row) => {
    expect(simulatePipeline(pipelineIR, row.faults).statuses).toEqual(row.statuses);
    const run = await onGitlab(pipelineIR, row.faults);
    expect(run.statuses, run.stdout).toEqual(row.statuses);
    expect(run.result).toBe(row.result);
    // Each executed step is one collapsible log section (gitlab-notes §6), opened and closed.
    for (const [id, status] of Object.entries(row.statuses)) {
      const opened = new RegExp(String.raw`\x1b\[0Ksection_start:\d+:sluice_step_${id}\r\x1b\[0K`).test(run.stdout);
      const closed = new RegExp(String.raw`\x1b\[0Ksection_end:\d+:sluice_step_${id}\r\x1b\[0K`).test(run.stdout);
      expect([id, opened, closed]).toEqual([id, status !== 'skipped', status !== 'skipped']);
    }
  });

  it('the allow_failure trap: a docs step allowed to fail still stops upload, and the run succeeds', async () => {
    const trap = irOf(
      pipeline('trap', {
        triggers: [trigger.manual()],
        steps: () => {
          const run = dbt.build();
          const site = dbt.docs({ needs: run, allowFailure: true });
          const publish = upload.s3({ from: site.site, to: 's3://bucket/docs/' });
          return { run, docs: site, upload: publish };
        },
      }),
    ).pipelines[0] as PipelineIR;
    const faults: Faults = { fail: { docs: 'always' } };
    const expected = simulatePipeline(trap, faults);
    expect(expected.statuses.upload).toBe('skipped');
    const run = await onGitlab(trap, faults);
    expect(run.statuses).toEqual(expected.statuses);
    expect(run.result).toBe(expected.result);
  });

  it('Pages: deployed only when the Pages step succeeded, even if a later step failed; never after a cancel', async () => {
    const base = irOf(reference).pipelines[0] as PipelineIR;
    const withPages: PipelineIR = { ...base, steps: [...base.steps.slice(0, 2), { ...(base.steps[1] as PipelineIR['steps'][number]), id: 'pages', needs: ['docs'], condition: { op: 'success' }, command: { kind: 'publish', destination: { kind: 'pages' }, path: 'target', isDirectory: true } }, ...base.steps.slice(2)] };
    // A later step failed: the job fails, the site the Pages step staged is still deployed (pages exits 0).
    const failedAfter = await onGitlab(withPages, { fail: { upload: 'always' } });
    expect(failedAfter.statuses.pages).toBe('succeeded');
    expect(failedAfter.jobs['sluice-reference']).toBe('failed');
    expect([failedAfter.jobs.pages, failedAfter.exitCodes.pages]).toEqual(['success', 0]);
    expect(failedAfter.result).toBe('failed');
    // The Pages step was skipped: the pages job ends with the allowed code 3, so nothing is deployed and the pipeline keeps its status.
    const skipped = await onGitlab(withPages, { fail: { docs: 'always' } });
    expect(skipped.statuses.pages).toBe('skipped');
    expect([skipped.jobs.pages, skipped.exitCodes.pages]).toEqual(['success', 3]);
    expect(skipped.result).toBe('failed');
    // Cancelled: the pages job is never started (always() does not accept a cancelled need).
    const cancelled = await onGitlab(withPages, { cancelAt: 'run' });
    expect(cancelled.jobs.pages).toBe('canceled');
    expect(cancelled.exitCodes.pages).toBeUndefined();
    expect(cancelled.result).toBe('cancelled');
  });
});

describe('GitLab target: the DSL end to end', () => {
  it('inputs reach the runner as SLUICE_INPUT_ variables with description, default and options', () => {
    const ir = irOf(
      pipeline('backfill', {
        triggers: [trigger.manual()],
        inputs: { select: input.string({ description: 'dbt selection', required: true }), target: input.choice({ options: ['prod', 'ci'], default: 'prod' }) },
        steps: ({ inputs }) => ({ run: dbt.build({ select: inputs.select }) }),
      }),
    );
    const document = parse(emitGitlab(ir).files[0]?.content as string) as { variables: Record<string, unknown> };
    expect(document.variables).toEqual({
      SLUICE_PIPELINE: { value: 'backfill', options: ['backfill'], description: expect.any(String) },
      SLUICE_INPUT_select: { value: '', description: 'backfill: dbt selection (required)', expand: false },
      SLUICE_INPUT_target: { value: 'prod', options: ['prod', 'ci'], description: 'backfill: target', expand: false },
    });
  });
});

describe('GitLab target: the notifier channels', () => {
  const ir = irOf(
    pipeline('nightly', {
      triggers: [trigger.manual()],
      steps: () => {
        const run = dbt.build();
        return {
          run,
          teams: notify.teams({ webhook: secret('TEAMS_WEBHOOK'), needs: run, if: when.always() }),
          hook: notify.webhook({ url: secret('ALERT_URL'), needs: run, if: when.always() }),
        };
      },
    }),
  );
  const [ci, runner] = emitGitlab(ir).files;

  it('a missing channel secret stops the job before any step, saying where to add it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-gitlab-notify-'));
    writeFileSync(join(dir, 'run.sh'), runner?.content as string);
    const env = { PATH: process.env.PATH ?? '', TEAMS_WEBHOOK: 'https://example.com/teams' };
    const result = spawnSync('bash', [join(dir, 'run.sh'), 'nightly'], { cwd: dir, env, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain('run.sh: secret ALERT_URL is not set: add it as a masked CI/CD variable');
    expect(result.stdout).not.toContain('notify');
  });

  it('each channel gets its settings; the job gives the notifiers the pipeline link', () => {
    expect(runner?.content).toMatch(/export SLUICE_NOTIFY_CHANNEL=teams\n/);
    expect(runner?.content).toMatch(/export SLUICE_NOTIFY_CHANNEL=webhook\n/);
    const job = (parse(ci?.content as string) as Record<string, { variables?: Record<string, string> }>)['sluice-nightly'];
    expect(job?.variables?.SLUICE_RUN_URL).toBe('$CI_PIPELINE_URL');
    expect(ciProblems(ci?.content as string)).toEqual([]);
  });
});

describe('GitLab target: a hand-written .gitlab-ci.yml is never written', () => {
  const compile = (dir: string) => spawnSync(process.execPath, [SLUICE_BIN, 'compile', '--target', 'gitlab'], { cwd: dir, encoding: 'utf8' });
  const HAND_WRITTEN = 'stages: [build]\nbuild:\n  stage: build\n  script: [make]\n';

  it('by default Sluice writes its own file and leaves .gitlab-ci.yml alone', () => {
    const dir = copyExample('dbt-metric');
    writeFileSync(join(dir, '.gitlab-ci.yml'), HAND_WRITTEN);
    const result = compile(dir);
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8')).toBe(HAND_WRITTEN);
    expect(readFileSync(join(dir, '.gitlab/sluice.yml'), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'examples/dbt-metric/.gitlab/sluice.yml'), 'utf8'));
  });

  it('pointed at a hand-written .gitlab-ci.yml, the compile refuses and writes nothing', () => {
    const dir = copyExample('dbt-metric');
    writeFileSync(join(dir, '.gitlab-ci.yml'), HAND_WRITTEN);
    const config = readFileSync(join(dir, 'sluice.config.ts'), 'utf8').replace("entrypoint: { path: 'docker/entrypoint.sh' },", "entrypoint: { path: 'docker/entrypoint.sh' },\n    gitlab: { path: '.gitlab-ci.yml' },");
    expect(config).toContain("gitlab: { path: '.gitlab-ci.yml' }");
    writeFileSync(join(dir, 'sluice.config.ts'), config);
    const before = snapshotTree(dir);
    const result = compile(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SLUICE_E_NOT_GENERATED');
    expect(snapshotTree(dir)).toEqual(before);
  });
});
