/** The escape hatch: per-target overrides change the generated object; GitHub's invariants still hold. */
import { dbt, pipeline, trigger } from '@sluice/sdk';
import { emitArgo, emitGithub } from '@sluice/targets';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { argoSchemaProblems } from './helpers/argo-checks.js';
import { irOf } from './helpers/ir.js';
import { actionlintFindings, githubParserErrors } from './helpers/validators.js';

const ir = irOf(pipeline('daily', { triggers: [trigger.schedule('0 6 * * *')], steps: () => ({ build: dbt.build() }) }));
type Jobs = Record<string, { 'runs-on': string; steps: Record<string, unknown>[] }>;

describe('targets.github.override', () => {
  it('changes what Sluice does not model, and the result still passes the validators', async () => {
    const result = emitGithub(ir, {
      override: (workflow) => {
        const jobs = workflow.jobs as Jobs;
        for (const job of Object.values(jobs)) job['runs-on'] = 'self-hosted-large';
        return { ...workflow, 'run-name': 'Nightly dbt build' };
      },
    });
    expect(result.diagnostics).toEqual([]);
    const file = result.files[0] as { path: string; content: string };
    const workflow = parse(file.content) as { 'run-name': string; jobs: Jobs };
    expect(workflow['run-name']).toBe('Nightly dbt build');
    expect(workflow.jobs.daily?.['runs-on']).toBe('self-hosted-large');
    expect(await githubParserErrors(file.path, file.content)).toEqual([]);
    expect((await actionlintFindings(file.path, file.content)).filter((f) => !f.includes('self-hosted-large'))).toEqual([]);
  });

  it('may not splice an expression into run: or add an unpinned action', () => {
    const unsafe = emitGithub(ir, {
      override: (workflow) => {
        const job = Object.values(workflow.jobs as Jobs)[0] as Jobs[string];
        job.steps.push({ run: 'echo ${{ github.head_ref }}' }, { uses: 'actions/cache@v4' });
        return workflow;
      },
    });
    expect(unsafe.files).toEqual([]);
    expect(unsafe.diagnostics.map((d) => d.code)).toEqual(['SLUICE_E_OVERRIDE_UNSAFE', 'SLUICE_E_OVERRIDE_UNSAFE']);
  });
});

describe('targets.argo.override', () => {
  it('changes each generated object; the schema still accepts it', () => {
    const result = emitArgo(ir, {
      image: 'dbt:1',
      override: (object) => ({ ...object, metadata: { ...(object.metadata as object), annotations: { team: 'metric' } } }),
    });
    const content = (result.files[0] as { content: string }).content;
    for (const document of parseAllDocuments(content)) expect(document.toJS().metadata.annotations).toEqual({ team: 'metric' });
    expect(argoSchemaProblems(content)).toEqual([]);
  });
});
