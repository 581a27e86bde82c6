/**
 * GitHub-artifact state and Pages, executed: the emitted `run:` bodies under bash with a stand-in `gh`
 * that answers the REST API from a fixture through the real `jq` (gh's --jq), and a stand-in `git`
 * that records its argv and the GIT_CONFIG_* environment.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dbt, pipeline, state, trigger, upload } from '@sluice/sdk';
import { emitGithub } from '@sluice/targets';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { irOf } from './helpers/ir.js';

interface Step {
  id?: string;
  run?: string;
  env?: Record<string, string>;
}

function emittedStep(pipelineIr: ReturnType<typeof irOf>, id: string): Step {
  const result = emitGithub(pipelineIr);
  expect(result.diagnostics).toEqual([]);
  const workflow = parse((result.files[0] as { content: string }).content) as { jobs: Record<string, { steps: Step[] }> };
  return Object.values(workflow.jobs)[0]?.steps.find((step) => step.id === id) as Step;
}

const GH = `#!/bin/bash
here="$(dirname "$0")"
printf '%s\\n' "$*" >> "$here/gh.log"
if [ "$1" = api ]; then
  if [ -f "$here/api.fail" ]; then echo "HTTP 403: Resource not accessible by integration" >&2; exit 1; fi
  shift; filter=""; answer="$here/runs.json"
  case "$1" in repos/*/actions/*) ;; repos/*) answer="$here/repo.json" ;; esac
  while [ $# -gt 0 ]; do case "$1" in --jq) filter="$2"; shift 2 ;; *) shift ;; esac; done
  exec jq -r "$filter" "$answer"
fi
if [ "$1 $2" = "run download" ]; then
  if [ -f "$here/download.fail" ]; then echo "no artifact" >&2; exit 1; fi
  id="$3"; dir=""; while [ $# -gt 0 ]; do case "$1" in --dir) dir="$2"; shift 2 ;; *) shift ;; esac; done
  mkdir -p "$dir" && printf '{"run": "%s"}' "$id" > "$dir/manifest.json"
fi
`;

const REPO = 'acme/analytics';
const run = (id: number, event: string, branch: string, headRepo: string) => ({
  id,
  event,
  head_branch: branch,
  conclusion: 'success',
  head_repository: { full_name: headRepo },
  repository: { full_name: REPO },
});

describe('the GitHub-artifact state loader', () => {
  const slim = irOf(
    pipeline('ci', {
      triggers: [trigger.pullRequest()],
      steps: () => {
        const prod = state.githubArtifact({ pipeline: 'full' }).load();
        return { prod, run: dbt.build({ select: 'state:modified+', state: prod }) };
      },
    }),
  );
  const defaultStep = emittedStep(slim, 'prod');
  const onBranch = (branch: string) =>
    emittedStep(
      irOf(
        pipeline('ci', {
          triggers: [trigger.pullRequest()],
          steps: () => {
            const prod = state.githubArtifact({ pipeline: 'full', branch }).load();
            return { prod, run: dbt.build({ select: 'state:modified+', state: prod }) };
          },
        }),
      ),
      'prod',
    );

  function load(runs: unknown[], options: { apiFails?: boolean; downloadFails?: boolean; defaultBranch?: string; step?: Step } = {}) {
    const step = options.step ?? defaultStep;
    const bin = mkdtempSync(join(tmpdir(), 'sluice-gh-'));
    writeFileSync(join(bin, 'repo.json'), JSON.stringify({ full_name: REPO, default_branch: options.defaultBranch ?? 'main' }));
    writeFileSync(join(bin, 'gh'), GH);
    chmodSync(join(bin, 'gh'), 0o755);
    writeFileSync(join(bin, 'runs.json'), JSON.stringify({ total_count: runs.length, workflow_runs: runs }));
    if (options.apiFails) writeFileSync(join(bin, 'api.fail'), '');
    if (options.downloadFails) writeFileSync(join(bin, 'download.fail'), '');
    const work = mkdtempSync(join(tmpdir(), 'sluice-work-'));
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, value.replace('${{ github.token }}', 'ghs_secret').replace('${{ github.repository }}', REPO)]));
    const result = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', step.run as string], { cwd: work, encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH}`, ...env } });
    const manifest = join(work, 'prod-state', 'manifest.json');
    return { ...result, manifest: existsSync(manifest) ? readFileSync(manifest, 'utf8') : undefined, log: readFileSync(join(bin, 'gh.log'), 'utf8') };
  }

  it('passes only literal environment to gh (no expression in the script)', () => {
    expect(defaultStep.run).not.toContain('${{');
    expect(defaultStep.env).toMatchObject({ GH_REPO: '${{ github.repository }}', SLUICE_STATE_WORKFLOW: 'full.yml' });
    expect(defaultStep.env?.SLUICE_STATE_BRANCH).toBeUndefined();
    expect(onBranch('production').env?.SLUICE_STATE_BRANCH).toBe('production');
  });

  it("without a branch, only runs on the repository's default branch count", () => {
    const result = load([run(30, 'schedule', 'main', REPO), run(20, 'push', 'trunk', REPO)], { defaultBranch: 'trunk' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.manifest).toBe('{"run": "20"}');
    expect(result.log).toContain(`api repos/${REPO} --jq .default_branch`);
  });

  it('a branch named in the pipeline is used as it is', () => {
    const result = load([run(30, 'schedule', 'main', REPO), run(20, 'schedule', 'production', REPO)], { step: onBranch('production') });
    expect(result.manifest).toBe('{"run": "20"}');
    expect(result.log).not.toContain('default_branch');
  });

  it("skips a fork's pull request from its own branch named main, and same-repository pull-request runs", () => {
    const result = load([run(30, 'pull_request', 'main', 'mallory/analytics'), run(20, 'pull_request', 'main', REPO), run(15, 'workflow_run', 'main', REPO), run(10, 'schedule', 'main', REPO)]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.manifest).toBe('{"run": "10"}');
    expect(result.stdout).toContain('state from run 10');
  });

  it('takes the newest trusted run (schedule, workflow_dispatch or push)', () => {
    for (const event of ['schedule', 'workflow_dispatch', 'push']) {
      expect(load([run(40, event, 'main', REPO), run(10, 'schedule', 'main', REPO)]).manifest).toBe('{"run": "40"}');
    }
  });

  it('a run of another branch or from a fork is never state; no trusted run is "no state yet"', () => {
    const result = load([run(30, 'push', 'feature', REPO), run(20, 'push', 'main', 'mallory/analytics'), run(10, 'pull_request_target', 'main', REPO)]);
    expect(result.status).toBe(0);
    expect(result.manifest).toBeUndefined();
    expect(result.stdout).toContain('no production state');
    expect(result.log).not.toContain('run download');
  });

  it('an API error fails the step loudly (it is not "first run")', () => {
    const listing = load([run(10, 'schedule', 'main', REPO)], { apiFails: true, step: onBranch('main') });
    expect(listing.status).toBe(1);
    expect(listing.stderr).toContain('HTTP 403');
    expect(listing.stderr).toContain('could not list the runs');
    const lookup = load([run(10, 'schedule', 'main', REPO)], { apiFails: true });
    expect(lookup.status).toBe(1);
    expect(lookup.stderr).toContain('could not read the default branch');
    expect(lookup.manifest).toBeUndefined();
  });

  it('a failed download fails the step', () => {
    expect(load([run(10, 'schedule', 'main', REPO)], { downloadFails: true }).status).not.toBe(0);
  });
});

describe('publishing GitHub Pages', () => {
  it('never puts the job token on a command line', () => {
    const docsPipeline = irOf(
      pipeline('docs', {
        triggers: [trigger.schedule('0 6 * * *')],
        steps: () => {
          const docs = dbt.docs();
          return { docs, publish: upload.githubPages({ from: docs.site }) };
        },
      }),
    );
    const step = emittedStep(docsPipeline, 'publish');
    const bin = mkdtempSync(join(tmpdir(), 'sluice-git-'));
    // A git that records its argv and the GIT_CONFIG_* environment it was given.
    writeFileSync(join(bin, 'git'), `#!/bin/bash\nprintf '%s\\n' "ARGV $*" "ENV \${GIT_CONFIG_COUNT:-} \${GIT_CONFIG_KEY_0:-} \${GIT_CONFIG_VALUE_0:-}" >> "${bin}/git.log"\n`);
    chmodSync(join(bin, 'git'), 0o755);
    const work = mkdtempSync(join(tmpdir(), 'sluice-work-'));
    writeFileSync(join(work, 'index.html'), '<html></html>');
    const token = 'ghs_secretjobtoken';
    const result = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', step.run as string], {
      cwd: work,
      encoding: 'utf8',
      env: { PATH: `${bin}:${process.env.PATH}`, RUNNER_TEMP: work, GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: REPO, GH_TOKEN: token, SLUICE_PAGES_FROM: 'index.html', SLUICE_PAGES_AS: 'index.html' },
    });
    expect(result.status, result.stderr).toBe(0);
    const log = readFileSync(join(bin, 'git.log'), 'utf8');
    const encoded = Buffer.from(`x-access-token:${token}`).toString('base64');
    const argvLines = log.split('\n').filter((line) => line.startsWith('ARGV'));
    expect(argvLines.some((line) => line.includes('push'))).toBe(true);
    for (const line of argvLines) {
      expect(line).not.toContain(token);
      expect(line).not.toContain(encoded);
    }
    expect(log).toContain(`ENV 1 http.extraheader AUTHORIZATION: basic ${encoded}`);
    expect(step.run).not.toContain('${{');
  });
});
