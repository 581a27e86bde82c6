/**
 * `sluice import` round trip: hand-written workflows of different shapes are imported, the result
 * compiles, and the compiled workflow has the same triggers, the same steps (same commands, in the
 * same order) and the same conditions as the original, for the importable subset.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeProject, REPO_ROOT, SLUICE_BIN } from './helpers/project.js';
import { actionlintFindings, githubParserErrors } from './helpers/validators.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  id?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { steps: Step[] }>;
}

const FIXTURES = join(REPO_ROOT, 'test/fixtures/workflows');
const SETUP = /^(actions\/(checkout|setup-python|cache)|aws-actions|google-github-actions)/;

/** What a step does, comparable across both: its command's words (sorted after the subcommand) or its action. */
function signature(step: Step): string {
  if (step.uses) return `uses ${step.uses.split('@')[0]}`;
  // Inputs as the original spells them, as a script reads them, and as Sluice's argv arrays carry them.
  let run = (step.run ?? '').replace(/\$\{\{\s*inputs\.(\w+)\s*\}\}/g, '<$1>').replace(/"\$INPUT_(\w+)"/g, (_, name: string) => `<${name.toLowerCase()}>`);
  if (run.includes('sluice_cmd')) {
    run = [...run.matchAll(/sluice_cmd\+=\((.*?)\); fi$|^sluice_cmd\+=\((.*)\)$/gm)].map((match) => match[1] ?? match[2]).join(' ').replace(/"\$\{SLUICE_INPUT_(\w+):-\}"/g, '<$1>');
  }
  // Sluice gives each dbt step its own --target-path (target/sluice/<step id>): not part of the user's command.
  run = run.replace(/ --target-path target\/sluice\/[\w-]+/g, '');
  const command = run.split('\n').map((line) => line.trim()).find((line) => /^(dbt|aws|echo|python3) /.test(line)) ?? run.trim();
  const words = command.split(/\s+/);
  return [...words.slice(0, 2), ...words.slice(2).sort()].join(' ');
}

function condition(step: Step): string {
  const raw = (step.if ?? '').replace(/\$\{\{|\}\}/g, '').trim();
  if (raw.includes('always()')) return 'always';
  // Sluice spells the default out (`!cancelled() && steps.previous.outcome == 'success'`).
  const outcome = /steps\.(\w+)\.outcome == '(failure|skipped)'/.exec(raw);
  return outcome ? `${outcome[1]}:${outcome[2]}` : 'success';
}

function userSteps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs)
    .flatMap((job) => job.steps)
    .filter((step) => !(step.uses && SETUP.test(step.uses)) && !/^\s*(pip install|python -m pip install|dbt deps)/.test(step.run ?? '') && step.id !== 'sluice-setup');
}

describe.each(['nightly', 'slim', 'backfill'])('importing %s.yml', (fixture) => {
  const original = readFileSync(join(FIXTURES, `${fixture}.yml`), 'utf8');

  it('compiles to a workflow with the same triggers, steps and conditions', async () => {
    const dir = makeProject({ [`${fixture}.yml`]: original });
    const imported = spawnSync(process.execPath, [SLUICE_BIN, 'import', `${fixture}.yml`, '--out', 'pipeline.ts'], { cwd: dir, encoding: 'utf8' });
    expect(imported.status, imported.stderr).toBe(0);
    const check = spawnSync(process.execPath, [SLUICE_BIN, 'check'], { cwd: dir, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toContain('No problems found.');
    const compile = spawnSync(process.execPath, [SLUICE_BIN, 'compile'], { cwd: dir, encoding: 'utf8' });
    expect(compile.status, compile.stderr).toBe(0);
    const outputPath = /created (\.github\/workflows\/[\w-]+\.yml)/.exec(compile.stdout)?.[1] as string;
    const output = readFileSync(join(dir, outputPath), 'utf8');
    expect(await githubParserErrors(outputPath, output)).toEqual([]);
    expect(await actionlintFindings(outputPath, output)).toEqual([]);

    const before = parse(original) as Workflow;
    const after = parse(output) as Workflow;
    expect(Object.keys(after.on).sort()).toEqual(Object.keys(before.on).sort());
    for (const event of ['schedule', 'pull_request', 'push'] as const) expect(after.on[event]).toEqual(before.on[event] ?? undefined);

    // The importable subset: steps an action Sluice cannot run are left out (with a TODO).
    const importable = userSteps(before).filter((step) => !step.uses || step.uses.startsWith('slackapi/'));
    const compiled = userSteps(after);
    const expected = importable.map((step) => (step.uses?.startsWith('slackapi/') ? 'notify slack' : signature(step)));
    const actual = compiled.map((step) => (/notify_slack\.py/.test(step.run ?? '') ? 'notify slack' : signature(step)));
    expect(actual).toEqual(expected);
    expect(compiled.map(condition)).toEqual(importable.map(condition));
    if (fixture === 'backfill') expect(readFileSync(join(dir, 'pipeline.ts'), 'utf8')).toContain('// TODO: step \'some-org/custom-action@v1\'');
  });
});

it('refuses to write over an existing file', () => {
  const dir = makeProject({ 'w.yml': 'on: push\njobs: {}\n', 'pipeline.ts': '// mine\n' });
  const result = spawnSync(process.execPath, [SLUICE_BIN, 'import', 'w.yml', '--out', 'pipeline.ts'], { cwd: dir, encoding: 'utf8' });
  expect(result.status).toBe(1);
  expect(readFileSync(join(dir, 'pipeline.ts'), 'utf8')).toBe('// mine\n');
  writeFileSync(join(dir, 'unused'), '');
});
