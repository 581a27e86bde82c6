/**
 * The semantic round trip of `sluice import`, on a corpus of real-world-shaped dbt workflows
 * (test/fixtures/import/). For each workflow, under no fault, every single-step failure and a
 * cancellation at each step, for each event that triggers it:
 *   the original workflow, as GitHub runs it (oracles/github.ts runGithubWorkflow, jobs and all), and
 *   the workflow compiled from the imported pipeline.ts (the real CLI, then runGithubJob)
 * run the same steps with the same statuses and the same run result, or import reported that very
 * step (or the run result) in a TODO. A pipeline with TODOs must fail `sluice check` with one
 * SLUICE_E_IMPORT_TODO per TODO; the round trip then compiles it with the todos deleted, as a
 * person would once they have read them.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { importWorkflow, type ImportReport } from '../packages/compiler/src/import/index.js';
import { makeProject, REPO_ROOT, SLUICE_BIN } from './helpers/project.js';
import { githubParserErrors } from './helpers/validators.js';
import { runGithubJob, runGithubWorkflow } from './oracles/github.js';

const CORPUS = join(REPO_ROOT, 'test/fixtures/import');
const FIXTURES = readdirSync(CORPUS).filter((name) => name.endsWith('.yml')).sort();

/** Jobs in file order, each after the jobs it needs (the order Sluice's single job runs them in). */
function jobOrder(workflow: { jobs: Record<string, { needs?: string | string[] }> }): string[] {
  const names = Object.keys(workflow.jobs);
  const order: string[] = [];
  while (order.length < names.length) {
    const ready = names.find((name) => !order.includes(name) && [workflow.jobs[name]?.needs ?? []].flat().every((need) => order.includes(need)));
    order.push(ready ?? (names.find((name) => !order.includes(name)) as string));
  }
  return order;
}

/** Deletes the todos (what a person does after handling them) so the pipeline compiles. */
function withoutTodos(code: string): string {
  return code.replace(/\n\s*\/\/ Each todo[^\n]*\n\s*\/\/[^\n]*\n\s*todos: \[\n(?:\s*todo\([^\n]*\),\n)*\s*\],/, '').replace(/, todo,/, ',').replace(/, todo }/, ' }');
}

function reported(report: ImportReport, id: string | undefined): boolean {
  if (id === undefined) return report.todos.some((item) => item.what.startsWith('the run result'));
  const label = report.steps.find((step) => step.id === id)?.label;
  return report.todos.some((item) => item.what.includes(`step '${label}'`));
}

it('the corpus has at least 15 workflows', () => {
  expect(FIXTURES.length).toBeGreaterThanOrEqual(15);
});

describe.each(FIXTURES)('%s', (fixture) => {
  it('compiles back to a workflow that runs the same steps with the same results, or says where it differs', async () => {
    const original = readFileSync(join(CORPUS, fixture), 'utf8');
    const { code, report } = await importWorkflow(fixture, original);
    const dir = makeProject({ 'pipeline.ts': code });

    if (report.todos.length > 0) {
      const check = spawnSync(process.execPath, [SLUICE_BIN, 'check', '--json'], { cwd: dir, encoding: 'utf8' });
      expect(check.status).not.toBe(0);
      const codes = (JSON.parse(check.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((diagnostic) => diagnostic.code);
      expect(codes.filter((value) => value === 'SLUICE_E_IMPORT_TODO')).toHaveLength(report.todos.length);
      writeFileSync(join(dir, 'pipeline.ts'), withoutTodos(code));
    }
    // The generated pipeline.ts type-checks and validates (`check` runs the project's TypeScript).
    const checked = spawnSync(process.execPath, [SLUICE_BIN, 'check'], { cwd: dir, encoding: 'utf8' });
    expect(checked.stdout + checked.stderr).toContain('No problems found.');
    const compile = spawnSync(process.execPath, [SLUICE_BIN, 'compile'], { cwd: dir, encoding: 'utf8' });
    expect(compile.status, compile.stdout + compile.stderr).toBe(0);
    const outputPath = /created (\.github\/workflows\/[\w-]+\.yml)/.exec(compile.stdout)?.[1] as string;
    const output = readFileSync(join(dir, outputPath), 'utf8');
    expect(await githubParserErrors(outputPath, output)).toEqual([]);

    const workflow = parse(original) as { on: unknown; jobs: Record<string, { needs?: string | string[] }> };
    const order = jobOrder(workflow);
    const stepIds = new Map(report.steps.map((step) => [step.where, step.id]));
    const imported = report.steps.filter((step) => step.imported).map((step) => step.id);
    const events = typeof workflow.on === 'string' ? [workflow.on] : Array.isArray(workflow.on) ? workflow.on : Object.keys(workflow.on as object);
    const inputs = Object.fromEntries(
      Object.entries(((workflow.on as Record<string, { inputs?: Record<string, { default?: string | boolean | number }> }>)?.workflow_dispatch?.inputs) ?? {})
        .filter(([, definition]) => definition.default !== undefined)
        .map(([name, definition]) => [name, definition.default as string | boolean | number]),
    );
    const scenarios: { fail: string[]; cancelAt?: string }[] = [{ fail: [] }, ...imported.map((id) => ({ fail: [id] })), ...imported.map((id) => ({ fail: [], cancelAt: id }))];
    let compared = 0;
    for (const eventName of events as string[]) {
      for (const scenario of scenarios) {
        const faults = { fail: new Set(scenario.fail), ...(scenario.cancelAt ? { cancelAt: scenario.cancelAt } : {}) };
        const before = runGithubWorkflow(original, faults, { order, stepIds, eventName, inputs });
        const after = runGithubJob(output, faults, new Set(imported));
        const what = `${JSON.stringify(scenario)} on ${eventName}`;
        for (const id of imported) {
          if (before.statuses[id] !== after.statuses[id]) expect(reported(report, id), `${id} differs ${what}: ${before.statuses[id]} vs ${after.statuses[id]}`).toBe(true);
          else compared += 1;
        }
        if (before.result !== after.result) expect(reported(report, undefined), `run result differs ${what}: ${before.result} vs ${after.result}`).toBe(true);
      }
    }
    expect(compared).toBeGreaterThan(0);
    // Import's own check (verify.ts) may only find differences that come from something it already
    // flagged (a condition part Sluice cannot express); anything else is a translation bug.
    const differences = report.todos.filter((item) => / differs from the workflow /.test(item.what));
    if (differences.length > 0) expect(report.todos.some((item) => item.what.includes('has no Sluice equivalent; the step runs as if it were true'))).toBe(true);
  });
});
