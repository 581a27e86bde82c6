/**
 * The entrypoint target's launcher: one image, many selections. A repository is compiled and committed,
 * the launcher (as it would be baked into an image) runs the pipeline from a git ref or a mounted
 * checkout; a selection is changed, recompiled and committed; the SAME launcher file runs the new
 * selection. Stand-in dbt records what ran.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject, SLUICE_BIN } from './helpers/project.js';
import { makeStandIns } from './helpers/standins.js';

const CONFIG = "import { defineConfig } from '@sluice/sdk';\nexport default defineConfig({ target: 'entrypoint' });\n";
const pipelineWith = (select: string): string =>
  `import { dbt, pipeline, runtime, trigger } from '@sluice/sdk';
export const nightly = pipeline('nightly', {
  triggers: [trigger.schedule('0 5 * * *')],
  runtime: runtime.image('ghcr.io/acme/dbt:1.9'),
  steps: () => ({ run: dbt.build({ select: ${JSON.stringify(select)}, target: 'prod' }) }),
});
`;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
}

function compileAndCommit(repo: string, select: string, message: string): string {
  writeFileSync(join(repo, 'pipeline.ts'), pipelineWith(select));
  const compiled = spawnSync(process.execPath, [SLUICE_BIN, 'compile'], { cwd: repo, encoding: 'utf8' });
  expect(compiled.status, compiled.stderr).toBe(0);
  git(repo, 'add', '-A', '.');
  git(repo, 'commit', '-qm', message);
  return git(repo, 'rev-parse', 'HEAD');
}

describe('sluice-launch.sh: a selection change needs a commit, not a new image', () => {
  let repo: string;
  let image: string;
  let firstCommit: string;

  beforeAll(() => {
    repo = makeProject({ 'sluice.config.ts': CONFIG, 'dbt_project.yml': 'name: metric\n', '.gitignore': 'node_modules\n' });
    git(repo, 'init', '-q', '-b', 'main');
    // A fetch by commit SHA, as GitHub allows; a local repository needs it said.
    git(repo, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
    firstCommit = compileAndCommit(repo, 'tag:nightly', 'first selection');
    // "Build the image" once: the launcher is copied out and never regenerated below.
    image = mkdtempSync(join(tmpdir(), 'sluice-image-'));
    copyFileSync(join(repo, 'docker/sluice-launch.sh'), join(image, 'sluice-launch.sh'));
  });

  function launch(env: Record<string, string>, ...args: string[]) {
    const standIns = makeStandIns(['dbt']);
    const result = spawnSync('bash', [join(image, 'sluice-launch.sh'), ...args], {
      cwd: tmpdir(),
      encoding: 'utf8',
      env: { PATH: standIns.path, HOME: tmpdir(), ...env },
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr, calls: standIns.calls() };
  }

  it('runs the selection of the ref it fetches, then the new one after a commit, with the same launcher', () => {
    const before = launch({ SLUICE_GIT_URL: `file://${repo}`, SLUICE_GIT_REF: 'main' }, 'nightly');
    expect(before.code, before.stderr).toBe(0);
    expect(before.calls.map((call) => call.argv)).toEqual([['build', '--select', 'tag:nightly', '--target', 'prod', '--target-path', 'target/sluice/run']]);

    const second = compileAndCommit(repo, 'tag:nightly,tag:finance', 'add finance');
    const after = launch({ SLUICE_GIT_URL: `file://${repo}`, SLUICE_GIT_REF: 'main' }, 'nightly');
    expect(after.code, after.stderr).toBe(0);
    expect(after.calls.map((call) => call.argv)).toEqual([['build', '--select', 'tag:nightly,tag:finance', '--target', 'prod', '--target-path', 'target/sluice/run']]);
    expect(after.stderr).toContain(`at commit ${second}`);

    // A pinned commit still runs what it held.
    const pinned = launch({ SLUICE_GIT_URL: `file://${repo}`, SLUICE_GIT_REF: firstCommit }, 'nightly');
    expect(pinned.code, pinned.stderr).toBe(0);
    expect(pinned.calls.map((call) => call.argv)).toEqual([['build', '--select', 'tag:nightly', '--target', 'prod', '--target-path', 'target/sluice/run']]);
  });

  it('runs a mounted checkout (SLUICE_PROJECT_DIR) and passes the entrypoint its arguments', () => {
    const result = launch({ SLUICE_PROJECT_DIR: repo }, 'nightly', '--dry-run');
    expect(result.code, result.stderr).toBe(0);
    expect(result.calls).toEqual([]);
    const help = launch({ SLUICE_PROJECT_DIR: repo }, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('nightly');
  });

  it('refuses what it cannot run with exit 2 and one line, before running anything', () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'no project: mount a checkout at /project'],
      [{ SLUICE_GIT_URL: `file://${repo}` }, 'SLUICE_GIT_URL is set but SLUICE_GIT_REF is not'],
      [{ SLUICE_GIT_URL: `file://${repo}`, SLUICE_GIT_REF: '--upload-pack=touch /tmp/sluice-pwned' }, 'SLUICE_GIT_REF is not a branch, tag or commit SHA'],
      [{ SLUICE_GIT_URL: `file://${repo}`, SLUICE_GIT_REF: 'main..other' }, 'SLUICE_GIT_REF is not a branch, tag or commit SHA'],
      [{ SLUICE_GIT_URL: '--upload-pack=touch /tmp/sluice-pwned', SLUICE_GIT_REF: 'main' }, 'SLUICE_GIT_URL must start with https://'],
      [{ SLUICE_GIT_URL: 'ext::sh -c touch% /tmp/sluice-pwned', SLUICE_GIT_REF: 'main' }, 'SLUICE_GIT_URL must start with https://'],
      [{ SLUICE_GIT_URL: `file://${repo}`, SLUICE_GIT_REF: 'no-such-branch' }, 'could not fetch no-such-branch'],
      [{ SLUICE_PROJECT_DIR: tmpdir() }, 'the project has no docker/entrypoint.sh'],
    ];
    for (const [env, message] of cases) {
      const result = launch(env, 'nightly');
      expect(result.code, JSON.stringify(env)).toBe(2);
      expect(result.stderr).toContain(`sluice-launch: ${message}`);
      expect(result.calls).toEqual([]);
    }
    expect(spawnSync('test', ['-e', '/tmp/sluice-pwned']).status).toBe(1);
  });

  it('sends a token as a header from the environment, never on a command line', () => {
    const launcher = readFileSync(join(image, 'sluice-launch.sh'), 'utf8');
    expect(launcher).toContain('GIT_CONFIG_VALUE_0="Authorization: Basic');
    expect(launcher).not.toMatch(/git [^\n]*SLUICE_GIT_TOKEN/);
    const result = launch({ SLUICE_GIT_URL: `file://${repo}`, SLUICE_GIT_REF: 'main', SLUICE_GIT_TOKEN: 'secret-token' }, 'nightly');
    expect(result.code, result.stderr).toBe(0);
    expect(`${result.stdout}${result.stderr}`).not.toContain('secret-token');
  });

  it('passes shellcheck', () => {
    const result = spawnSync('shellcheck', ['-s', 'bash', join(image, 'sluice-launch.sh')], { encoding: 'utf8' });
    if (result.error) throw new Error('shellcheck is not installed (.ci/run installs it)');
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('sluice-launch.sh before the exec', () => {
  it('a SIGTERM during dbt deps stops it at once: the child gets SIGTERM, exit 143', async () => {
    const repo = makeProject({ 'sluice.config.ts': CONFIG, 'dbt_project.yml': 'name: metric\n', 'packages.yml': 'packages: []\n', 'pipeline.ts': pipelineWith('tag:a') });
    expect(spawnSync(process.execPath, [SLUICE_BIN, 'compile'], { cwd: repo }).status).toBe(0);
    const standIns = makeStandIns(['dbt']);
    standIns.rules([{ match: 'dbt deps', sleep: 30 }]);
    const { spawn } = await import('node:child_process');
    const child = spawn('bash', [join(repo, 'docker/sluice-launch.sh'), 'nightly'], { env: { PATH: standIns.path, SLUICE_PROJECT_DIR: repo } });
    for (let i = 0; i < 100 && !standIns.calls().some((call) => call.started); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    const sent = Date.now();
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (status) => resolve(status)));
    expect(code).toBe(143);
    expect(Date.now() - sent).toBeLessThan(3000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(standIns.calls().filter((call) => !call.started)).toEqual([{ command: 'dbt', argv: ['deps'], signal: 'SIGTERM' }]);
  });

  it('a failed dbt deps fails the run, not the launch: the build skips, the always() notifier runs, exit 1', () => {
    const source = `import { dbt, notify, pipeline, runtime, secret, trigger, when } from '@sluice/sdk';
export const nightly = pipeline('nightly', {
  triggers: [trigger.schedule('0 5 * * *')],
  runtime: runtime.image('ghcr.io/acme/dbt:1.9'),
  steps: () => {
    const run = dbt.build({ select: 'tag:a' });
    return { run, notify: notify.slack({ webhook: secret('SLACK_WEBHOOK'), needs: run, if: when.always() }) };
  },
});
`;
    const repo = makeProject({ 'sluice.config.ts': CONFIG, 'dbt_project.yml': 'name: metric\n', 'packages.yml': 'packages: []\n', 'pipeline.ts': source });
    const compiled = spawnSync(process.execPath, [SLUICE_BIN, 'compile'], { cwd: repo, encoding: 'utf8' });
    expect(compiled.status, compiled.stderr).toBe(0);
    const standIns = makeStandIns(['dbt']);
    standIns.rules([{ match: 'dbt deps', fail: 'always' }]);
    const env = { PATH: standIns.path, HOME: tmpdir(), SLUICE_PROJECT_DIR: repo, SLACK_WEBHOOK: 'https://hooks.slack.com/services/T/B/x', SLUICE_NOTIFY_DRY_RUN: '1' };
    const result = spawnSync('bash', [join(repo, 'docker/sluice-launch.sh'), 'nightly'], { env, encoding: 'utf8' });
    expect(result.status, result.stdout + result.stderr).toBe(1);
    expect(result.stderr).toContain('sluice-launch: dbt deps failed');
    expect(result.stdout).toContain('[sluice] set-up failed: dbt deps failed;');
    expect(standIns.calls().map((call) => call.argv?.[0])).toEqual(['deps']);
    expect(result.stdout).toMatch(/^\[sluice\] {3}run\s+skipped$/m);
    expect(result.stdout).toMatch(/^\[sluice\] {3}notify\s+succeeded$/m);
    // The real notifier (python3, dry run: it prints what it would post) reports the failed run.
    expect(result.stdout.split('\n').find((line) => line.startsWith('{'))).toMatch(/failed/);
  });
});
