/**
 * A dbt project in a sub-folder (`dbtProjectDir: 'transform'`) on GitHub Actions, executed: the
 * compiled workflow's steps run in order in a fake workspace, each `run:` under bash in the directory
 * GitHub would use (the step's `working-directory`, else the job default), each action checked for
 * the workspace-relative paths it reads. Stand-ins for python, dbt, gh and aws behave like the real
 * ones where it matters here: dbt refuses to run without dbt_project.yml in its directory and writes
 * its --target-path (else target/), pip reads the requirements file it is given.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileProject } from '@sluice/compiler';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeProject } from './helpers/project.js';
import { actionlintFindings, githubParserErrors } from './helpers/validators.js';

const PIPELINE = `import { dbt, notify, pipeline, secret, state, trigger, upload, when } from '@sluice/sdk';
const production = state.githubArtifact({ pipeline: 'nightly' });
export const nightly = pipeline('nightly', {
  triggers: [trigger.schedule('0 5 * * *')],
  steps: () => {
    const prod = production.load();
    const run = dbt.build({ select: 'state:modified+', state: prod, target: 'prod' });
    const save = production.save({ needs: run });
    const docs = dbt.docs({ needs: run, target: 'prod' });
    const publish = upload.githubPages({ from: docs.site });
    const s3 = upload.s3({ from: docs.site, to: 's3://acme-docs/metric/' });
    const alert = notify.slack({ webhook: secret('SLACK_WEBHOOK'), needs: [run], if: when.always() });
    return { prod, run, save, docs, publish, s3, alert };
  },
});
`;

/** One stand-in for every command: logs `name|cwd|args`, and acts as described above. */
const STANDIN = `#!/bin/bash
name="$(basename "$0")"
printf '%s|%s|%s\\n' "$name" "$PWD" "$*" >> "$STANDIN_LOG"
case "$name" in
  python|python3)
    if [ "$1 $2 $3" = "-m pip install" ]; then
      [ -f "$5" ] || { echo "ERROR: Could not open requirements file: $5" >&2; exit 1; }
      exit 0
    fi
    exec /usr/bin/env -u STANDIN_LOG PATH="$REAL_PATH" python3 "$@" ;;
  dbt)
    [ -f dbt_project.yml ] || { echo "Runtime Error: No dbt_project.yml found at expected path $PWD/dbt_project.yml" >&2; exit 2; }
    # Like dbt, writes its artifacts to --target-path when given (each Sluice step has its own), else target/.
    out=target; previous=''
    for arg in "$@"; do [ "$previous" = --target-path ] && out="$arg"; previous="$arg"; done
    mkdir -p "$out"
    case "$1" in
      build) echo '{"metadata": {}, "nodes": {}}' > "$out/manifest.json"
             echo '{"metadata": {"invocation_id": "x"}, "results": [{"unique_id": "model.p.a", "status": "success"}]}' > "$out/run_results.json" ;;
      docs) echo '<html></html>' > "$out/static_index.html" ;;
    esac ;;
  gh)
    # The default branch, then no earlier run: a first run.
    if [ "$1" = api ]; then if [ "$2" = --method ]; then echo ""; else echo main; fi; fi ;;
  git) ;;
  aws)
    [ -e "$3" ] || { echo "The user-provided path $3 does not exist." >&2; exit 255; } ;;
esac
`;

interface Step {
  name: string;
  id?: string;
  uses?: string;
  with?: Record<string, string | boolean | number>;
  run?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Job {
  defaults: { run: { 'working-directory'?: string } };
  steps: Step[];
}

describe("a dbt project in a sub-folder (dbtProjectDir: 'transform') on GitHub", async () => {
  const project = makeProject({
    'sluice.config.ts': "import { defineConfig } from '@sluice/sdk';\nexport default defineConfig({ target: 'github', dbtProjectDir: 'transform' });\n",
    'pipeline.ts': PIPELINE,
    'requirements.txt': 'dbt-core==1.10.2\ndbt-duckdb==1.9.4\n',
    'transform/dbt_project.yml': "name: p\nversion: '1.0'\nprofile: p\n",
    'transform/packages.yml': 'packages: []\n',
    'transform/models/a.sql': 'select 1 as id\n',
  });
  const result = await compileProject({ cwd: project, target: 'github' });
  const file = result.files.find((f) => f.path === '.github/workflows/nightly.yml') as { path: string; content: string };
  const notifier = result.files.find((f) => f.path.endsWith('notify_slack.py')) as { path: string; content: string };
  const job = Object.values((parse(file.content) as { jobs: Record<string, Job> }).jobs)[0] as Job;

  it('compiles, and GitHub’s parser and actionlint accept the workflow', async () => {
    expect(result.diagnostics).toEqual([]);
    expect(await githubParserErrors(file.path, file.content)).toEqual([]);
    expect(await actionlintFindings(file.path, file.content)).toEqual([]);
  });

  it.skipIf(spawnSync('shellcheck', ['--version']).status !== 0)('every run: body passes shellcheck -S style', () => {
    for (const step of job.steps.filter((candidate) => candidate.run !== undefined)) {
      const result = spawnSync('shellcheck', ['-S', 'style', '-s', 'bash', '-'], { input: step.run, encoding: 'utf8' });
      expect(result.stdout, step.name).toBe('');
    }
  });

  it('every step runs in the right directory and finds the paths it names', () => {
    // The repository as actions/checkout leaves it, with our generated helper in place.
    const workspace = mkdtempSync(join(tmpdir(), 'sluice-workspace-'));
    for (const [path, content] of Object.entries({
      'requirements.txt': 'dbt-core\n',
      'transform/dbt_project.yml': 'name: p\n',
      'transform/packages.yml': 'packages: []\n',
      [notifier.path]: notifier.content,
    })) {
      mkdirSync(join(workspace, path, '..'), { recursive: true });
      writeFileSync(join(workspace, path), content);
    }
    const bin = mkdtempSync(join(tmpdir(), 'sluice-bin-'));
    writeFileSync(join(bin, 'standin'), STANDIN);
    chmodSync(join(bin, 'standin'), 0o755);
    for (const name of ['python', 'python3', 'dbt', 'gh', 'git', 'aws']) symlinkSync(join(bin, 'standin'), join(bin, name));
    const log = join(bin, 'calls.log');
    const runtime = { RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'sluice-runner-')), GITHUB_WORKSPACE: workspace, GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/analytics' };

    const checked: string[] = [];
    for (const step of job.steps) {
      if (step.uses?.startsWith('actions/setup-python@')) {
        // setup-python hashes cache-dependency-path from the workspace root.
        expect(existsSync(join(workspace, String(step.with?.['cache-dependency-path']))), 'cache-dependency-path').toBe(true);
        checked.push('pip cache key');
      } else if (step.uses?.startsWith('actions/upload-artifact@')) {
        // upload-artifact resolves each path from the workspace root.
        const paths = String(step.with?.path).trim().split('\n');
        for (const path of paths) expect(existsSync(join(workspace, path)), `artifact path ${path}`).toBe(true);
        checked.push('artifact state paths');
      } else if (step.run !== undefined) {
        const directory = step['working-directory'] ?? job.defaults.run['working-directory'] ?? '.';
        const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, value.replace(/\$\{\{[^}]*\}\}/g, (expression) => (expression.includes('repository') ? 'acme/analytics' : expression.includes('job.status') ? 'success' : 'x'))]));
        const ran = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
          cwd: join(workspace, directory),
          encoding: 'utf8',
          env: { PATH: `${bin}:${process.env.PATH}`, REAL_PATH: process.env.PATH, STANDIN_LOG: log, SLUICE_NOTIFY_DRY_RUN: '1', ...runtime, ...env },
        });
        expect(ran.status, `${step.name}\n${ran.stderr}`).toBe(0);
        if (step.id === 'alert') checked.push(`notifier: ${ran.stdout}`);
      }
    }
    const calls = readFileSync(log, 'utf8').trim().split('\n').map((line) => line.split('|'));
    const cwdOf = (prefix: string) => calls.filter(([, , args]) => args?.startsWith(prefix)).map(([, cwd]) => cwd);
    expect(calls.find(([name, , args]) => name === 'python' && args?.startsWith('-m pip'))?.[1]).toBe(workspace);
    for (const dbtCall of calls.filter(([name]) => name === 'dbt')) expect(dbtCall[1], dbtCall[2]).toBe(join(workspace, 'transform'));
    expect(cwdOf('deps')).toEqual([join(workspace, 'transform')]);
    expect(calls.find(([name, , args]) => name === 'aws' && args?.includes('static_index.html'))).toBeTruthy();
    expect(checked.slice(0, 2)).toEqual(['pip cache key', 'artifact state paths']);
    // The notifier read this run's results from transform/target/sluice/<step id> (one success, not "no run_results").
    const notice = checked.find((line) => line.startsWith('notifier:')) ?? '';
    expect(notice).toContain('1');
    expect(notice).not.toContain('wrote no run_results.json');
  });
});
