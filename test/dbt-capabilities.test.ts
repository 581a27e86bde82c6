/**
 * dbt-native capabilities, end to end on the entrypoint (stand-in commands, argv asserted) and
 * through the validators on GitHub and Argo.
 */
import { cloud, dbt, input, notify, pipeline, secret, state, trigger, upload, when } from '@sluice/sdk/ir';
import { describeCommand, emitArgo, emitEntrypoint, emitGithub } from '@sluice/targets';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { argoProjectProblems, argoSchemaProblems } from './helpers/argo-checks.js';
import { githubChecklist } from './helpers/checklists.js';
import { irOf } from './helpers/ir.js';
import { actionlintFindings, githubParserErrors } from './helpers/validators.js';
import { runScript, writeScript } from './oracles/entrypoint.js';

const gcsState = state.gcs('gs://acme-state/metric/');
const nightly = pipeline('nightly', {
  triggers: [trigger.schedule('0 3 * * *')],
  cloud: cloud.gcp({ workloadIdentityProvider: 'projects/1/locations/global/workloadIdentityPools/ci/providers/github', serviceAccount: 'dbt@acme.iam.gserviceaccount.com' }),
  steps: () => {
    const run = dbt.build();
    const save = gcsState.save({ needs: run });
    return { run, save };
  },
});
const pr = pipeline('pr', {
  triggers: [trigger.manual()],
  steps: () => {
    const prodState = gcsState.load();
    const run = dbt.build({ select: ['state:modified+', 'tag:always'], defer: true, state: prodState });
    return { prodState, run };
  },
});
const legacyRetry = pipeline('legacy-retry', {
  triggers: [trigger.manual()],
  steps: () => {
    const previous = gcsState.load({ from: 'last-run', into: 'last-run' });
    const run = dbt.retry({ dbtVersion: '1.5.4', state: previous, threads: 4 });
    return { previous, run };
  },
});
const backfill = pipeline('backfill', {
  triggers: [trigger.manual()],
  inputs: {
    select: input.string({ required: true }),
    vars: input.string(),
    eventTimeStart: input.string(),
    eventTimeEnd: input.string(),
  },
  steps: ({ inputs }) => ({
    run: dbt.build({ select: inputs.select, vars: inputs.vars, eventTimeStart: inputs.eventTimeStart, eventTimeEnd: inputs.eventTimeEnd }),
    notify: notify.slack({ webhook: secret('SLACK_WEBHOOK'), needs: [], if: when.always() }),
  }),
});
const ir = irOf(nightly, pr, legacyRetry, backfill);
const script = writeScript(ir);
const calls = (run: Awaited<ReturnType<typeof runScript>>) => run.standIns.calls().filter((call) => !call.started).map((call) => [call.command, ...(call.argv ?? [])].join(' '));

describe('state stores', () => {
  // (Outcomes of loads, saves and retries against stateful stand-ins: test/dbt-state.test.ts.)
  it('save: the build in its own target directory; when dbt left no run results, nothing is saved and last-run/ is cleared', async () => {
    const run = await runScript(script, 'nightly');
    expect(run.code, run.stderr).toBe(0);
    expect(calls(run)).toEqual([
      'dbt build --target-path target/sluice/run',
      'gcloud storage objects describe gs://acme-state/metric/last-run/manifest.json',
      'gcloud storage rm gs://acme-state/metric/last-run/manifest.json',
      'gcloud storage objects describe gs://acme-state/metric/last-run/run_results.json',
      'gcloud storage rm gs://acme-state/metric/last-run/run_results.json',
    ]);
    expect(run.stdout).toContain('nothing to save');
  });
  it('dbt before 1.6 retries with result selectors and --state (executed in dbt-state.test.ts)', () => {
    const step = ir.pipelines.find((p) => p.name === 'legacy-retry')?.steps.find((s) => s.id === 'run');
    expect(step && describeCommand(step.command)).toBe('dbt build [--select result:error+ result:fail+ --state last-run --threads 4 if last-run/run_results.json exists; when the store has no state: fail the step] --target-path target/sluice/run');
  });
});

describe('backfill inputs', () => {
  it('vars and the microbatch window reach dbt as data', async () => {
    const vars = '{"start_date": "2026-01-01", "note": "it\'s $(fine)"}';
    const run = await runScript(script, 'backfill', {
      env: { SLACK_WEBHOOK: 'https://hooks.invalid/x' },
      args: ['--input', 'select=fct_events+', '--input', `vars=${vars}`, '--input', 'eventTimeStart=2026-11-01', '--input', 'eventTimeEnd=2026-11-02'],
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.standIns.calls().find((call) => call.command === 'dbt')?.argv).toEqual(['build', '--select', 'fct_events+', '--event-time-start', '2026-11-01', '--event-time-end', '2026-11-02', '--vars', vars, '--target-path', 'target/sluice/run']);
  });
});

describe('cloud credentials', () => {
  it('GitHub: OIDC with Google auth and id-token: write on the job that needs it only', async () => {
    const files = emitGithub(ir).files.filter((file) => file.path.endsWith('.yml'));
    for (const file of files) {
      expect(await githubParserErrors(file.path, file.content)).toEqual([]);
      expect(await actionlintFindings(file.path, file.content)).toEqual([]);
      expect(githubChecklist(file.content)).toEqual([]);
      const job = Object.values((parse(file.content) as { jobs: Record<string, { permissions: Record<string, string>; steps: { uses?: string }[] }> }).jobs)[0];
      const oidc = job?.steps.some((step) => step.uses?.startsWith('google-github-actions/auth@'));
      expect(job?.permissions['id-token'] === 'write', file.path).toBe(file.path.endsWith('nightly.yml'));
      expect(oidc).toBe(file.path.endsWith('nightly.yml'));
    }
  });
  it('Argo: the same pipelines pass the schema and our checks (credentials come from the service account)', () => {
    const result = emitArgo(ir, { image: 'ghcr.io/acme/dbt:1.10.2' });
    expect(result.diagnostics).toEqual([]);
    for (const file of result.files) {
      expect(argoSchemaProblems(file.content)).toEqual([]);
      expect(argoProjectProblems(file.content)).toEqual([]);
    }
  });
});

describe('GitHub-artifact state', () => {
  const artifactState = state.githubArtifact({ pipeline: 'nightly-gh' });
  const saving = pipeline('nightly-gh', {
    triggers: [trigger.schedule('0 2 * * *')],
    steps: () => {
      const run = dbt.build();
      return { run, save: artifactState.save({ needs: run }) };
    },
  });
  const loading = pipeline('pr-gh', {
    triggers: [trigger.pullRequest()],
    steps: () => {
      const prodState = artifactState.load();
      return { prodState, run: dbt.build({ select: 'state:modified+', defer: true, state: prodState }) };
    },
  });
  const artifactIR = irOf(saving, loading);

  it('GitHub: upload-artifact (pinned) to save; gh to load, with actions: read on that job only', async () => {
    for (const file of emitGithub(artifactIR).files.filter((f) => f.path.endsWith('.yml'))) {
      expect(await githubParserErrors(file.path, file.content)).toEqual([]);
      expect(await actionlintFindings(file.path, file.content)).toEqual([]);
      expect(githubChecklist(file.content)).toEqual([]);
      const job = Object.values((parse(file.content) as { jobs: Record<string, { permissions: Record<string, string>; steps: { uses?: string; run?: string }[] }> }).jobs)[0];
      expect(job?.permissions.actions, file.path).toBe(file.path.endsWith('pr-gh.yml') ? 'read' : undefined);
      if (file.path.endsWith('nightly-gh.yml')) expect(job?.steps.some((step) => step.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
    }
  });

  // Which run is trusted (event, branch, repository) is tested against API answers in github-state.test.ts.
  it('the load step downloads the artifact of the run the API names', () => {
    const workflow = parse(emitGithub(artifactIR).files.find((f) => f.path.endsWith('pr-gh.yml'))?.content ?? '') as { jobs: Record<string, { steps: { id?: string; run?: string; env?: Record<string, string> }[] }> };
    const load = Object.values(workflow.jobs)[0]?.steps.find((step) => step.id === 'prodState');
    const dir = mkdtempSync(join(tmpdir(), 'sluice-gh-'));
    writeFileSync(join(dir, 'gh'), '#!/usr/bin/env bash\necho "$1 $2" >> "$(dirname "$0")/gh.log"\nif [ "$1" = api ]; then echo 4242; fi\nif [ "$1 $2" = "run download" ]; then mkdir -p "${@: -1}" && echo "{}" > "${@: -1}/manifest.json"; fi\n');
    chmodSync(join(dir, 'gh'), 0o755);
    const env = { ...Object.fromEntries(Object.entries(load?.env ?? {}).filter(([key]) => key.startsWith('SLUICE_'))), GH_REPO: 'acme/metric' };
    const result = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', load?.run ?? ''], { cwd: dir, env: { PATH: `${dir}:${process.env.PATH}`, ...env }, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(dir, 'gh.log'), 'utf8')).toBe('api repos/acme/metric\napi --method\nrun download\n');
    expect(readFileSync(join(dir, 'prod-state/manifest.json'), 'utf8')).toBe('{}\n');
  });

  it('Argo and the entrypoint refuse it by name, pointing to s3 or gcs', () => {
    for (const diagnostics of [emitArgo(artifactIR, { image: 'dbt:1', eventTriggers: 'ignore' }).diagnostics, emitEntrypoint(artifactIR).diagnostics]) {
      expect(diagnostics.map((d) => d.code)).toEqual(['SLUICE_E_TARGET_UNSUPPORTED', 'SLUICE_E_TARGET_UNSUPPORTED']);
      expect(diagnostics[0]?.hint).toContain('state.s3');
    }
  });
});

describe('docs on GitHub Pages', () => {
  const docsPipeline = pipeline('docs-site', {
    triggers: [trigger.manual()],
    steps: () => {
      const docs = dbt.docs();
      return { docs, publish: upload.githubPages({ from: docs.site }) };
    },
  });
  const pagesIR = irOf(docsPipeline);

  it('GitHub: passes the validators; contents: write on that job only', async () => {
    const file = emitGithub(pagesIR).files.find((f) => f.path.endsWith('docs-site.yml')) as { path: string; content: string };
    expect(await githubParserErrors(file.path, file.content)).toEqual([]);
    expect(await actionlintFindings(file.path, file.content)).toEqual([]);
    expect(githubChecklist(file.content)).toEqual([]);
    expect(Object.values((parse(file.content) as { jobs: Record<string, { permissions: Record<string, string> }> }).jobs)[0]?.permissions).toEqual({ contents: 'write' });
  });

  it('publishes static_index.html as index.html on gh-pages, with git alone', () => {
    const workflow = parse(emitGithub(pagesIR).files[0]?.content ?? '') as { jobs: Record<string, { steps: { id?: string; run?: string; env?: Record<string, string> }[] }> };
    const publish = Object.values(workflow.jobs)[0]?.steps.find((step) => step.id === 'publish');
    const work = mkdtempSync(join(tmpdir(), 'sluice-pages-'));
    spawnSync('git', ['init', '-q', '--bare', join(work, 'acme/metric.git')]);
    mkdirSync(join(work, 'project/target/sluice/docs'), { recursive: true });
    writeFileSync(join(work, 'project/target/sluice/docs/static_index.html'), '<html>docs</html>\n');
    const env = { PATH: process.env.PATH ?? '', HOME: work, RUNNER_TEMP: join(work, 'tmp'), GH_TOKEN: 'token', GITHUB_SERVER_URL: `file://${work}`, GITHUB_REPOSITORY: 'acme/metric', SLUICE_PAGES_FROM: publish?.env?.SLUICE_PAGES_FROM ?? '', SLUICE_PAGES_AS: publish?.env?.SLUICE_PAGES_AS ?? '' };
    mkdirSync(env.RUNNER_TEMP);
    const result = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', publish?.run ?? ''], { cwd: join(work, 'project'), env, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const shown = spawnSync('git', ['--git-dir', join(work, 'acme/metric.git'), 'show', 'gh-pages:index.html'], { encoding: 'utf8' });
    expect(shown.stdout).toBe('<html>docs</html>\n');
  });

  it('Argo and the entrypoint refuse it, naming upload.s3', () => {
    for (const diagnostics of [emitArgo(pagesIR, { image: 'dbt:1' }).diagnostics, emitEntrypoint(pagesIR).diagnostics]) {
      expect(diagnostics.map((d) => d.code)).toEqual(['SLUICE_E_TARGET_UNSUPPORTED']);
      expect(diagnostics[0]?.hint).toContain('upload.s3');
    }
  });
});
