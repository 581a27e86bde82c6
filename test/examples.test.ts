/**
 * Examples are the golden suite: every example is compiled in-process and its output compared byte
 * for byte with the files committed in the example (found by glob, never listed by hand). To update
 * after an intended change: `npm run compile`, then review the diff. This test never writes.
 */
import { join } from 'node:path';
import { compileProject, planChanges } from '@sluice/compiler';
import { describe, expect, it } from 'vitest';
import { examplesWithConfig, REPO_ROOT } from './helpers/project.js';
import { actionlintFindings, githubParserErrors } from './helpers/validators.js';

const examples = examplesWithConfig();

describe.each(examples)('example %s', (example) => {
  const cwd = join(REPO_ROOT, 'examples', example);

  it('compiles to exactly the committed files', async () => {
    const result = await compileProject({ cwd });
    expect(result.diagnostics).toEqual([]);
    expect(result.files.length).toBeGreaterThan(0);
    const { changes, refusals } = planChanges(cwd, result.files, result.outputDirs);
    expect(refusals).toEqual([]);
    expect(changes.map((change) => change.path), 'stale goldens: run `npm run compile` and review the diff').toEqual([]);
  });

  it('emits workflows that GitHub’s parser and actionlint accept with zero findings', async () => {
    const result = await compileProject({ cwd, target: 'github' });
    const workflows = result.files.filter((file) => file.path.endsWith('.yml'));
    expect(workflows.length).toBeGreaterThan(0);
    for (const workflow of workflows) {
      expect(await githubParserErrors(workflow.path, workflow.content), workflow.path).toEqual([]);
      expect(await actionlintFindings(workflow.path, workflow.content), workflow.path).toEqual([]);
    }
  });

  it('is byte-identical when compiled twice', async () => {
    const first = await compileProject({ cwd });
    const second = await compileProject({ cwd });
    expect(second.files).toEqual(first.files);
  });
});

it('finds the examples by glob', () => {
  expect(examples).toEqual(expect.arrayContaining(['dbt-metric', 'minimal']));
});
