/**
 * User mistakes: each gets its stable code, the pipeline.ts line of the DSL call, and a hint; all
 * problems are collected in one pass. Tests match codes and locations, never message text.
 */
import { DIAGNOSTIC_CODES as E, type Diagnostic } from '@sluice/sdk/ir';
import { compileProject, loadProject } from '@sluice/compiler';
import { describe, expect, it } from 'vitest';
import { makeProject } from '../../../test/helpers/project.js';

const HEADER = "import { dbt, input, notify, pipeline, secret, shell, trigger, upload, when } from '@sluice/sdk';\n";

async function diagnose(source: string): Promise<Diagnostic[]> {
  const result = await loadProject({ cwd: makeProject({ 'pipeline.ts': HEADER + source }) });
  return result.diagnostics;
}

const codesAndLines = (diagnostics: Diagnostic[]): [string, number | undefined][] =>
  diagnostics.map((d) => [d.code, d.location?.line]);

describe('pipeline errors carry code and pipeline.ts location', () => {
  it('a condition on a step that is not upstream', async () => {
    const diagnostics = await diagnose(`
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const a = dbt.run();
    const b = dbt.test();
    const c = shell(['echo'], { needs: a, if: when.failed(b) });
    return { a, b, c };
  },
});
`);
    expect(codesAndLines(diagnostics)).toEqual([[E.CONDITION_NOT_UPSTREAM, 8]]);
    expect(diagnostics[0]?.path).toEqual(['pipeline p', 'step c']);
    expect(diagnostics[0]?.location?.file).toBe('pipeline.ts');
    expect(diagnostics[0]?.hint).toBeTruthy();
  });

  it('a step used in needs but not returned', async () => {
    const diagnostics = await diagnose(`
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const forgotten = dbt.seed();
    const run = dbt.run({ needs: forgotten });
    return { run };
  },
});
`);
    expect(codesAndLines(diagnostics)).toEqual([[E.UNKNOWN_STEP, 7]]);
  });

  it('collects every problem at once: cron, timezone, names, env, selector, empty', async () => {
    const diagnostics = await diagnose(`
export const bad = pipeline('Bad_Name', {
  triggers: [trigger.schedule('61 * * * *'), trigger.schedule('0 1 * * *', { timezone: 'Mars/Olympus' })],
  env: { '1X': 'a', GITHUB_TOKEN: 'b' },
  steps: () => ({ run: dbt.build({ select: '-rf' }) }),
});
export const empty = pipeline('empty', { triggers: [trigger.manual()], steps: () => ({}) });
`);
    const codes = diagnostics.map((d) => d.code).sort();
    expect(codes).toEqual(
      [E.EMPTY_PIPELINE, E.INVALID_CRON, E.INVALID_ENV_NAME, E.INVALID_ENV_NAME, E.INVALID_NAME, E.INVALID_SELECTOR, E.INVALID_TIMEZONE, E.LITERAL_SECRET].sort(),
    );
    const byCode = (code: string) => diagnostics.find((d) => d.code === code)?.location?.line;
    expect(byCode(E.INVALID_CRON)).toBe(4);
    expect(byCode(E.INVALID_TIMEZONE)).toBe(4);
    expect(byCode(E.INVALID_SELECTOR)).toBe(6);
    expect(byCode(E.EMPTY_PIPELINE)).toBe(8);
  });

  it('a cycle built by mutating needs', async () => {
    const diagnostics = await diagnose(`
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const needsOfA: ReturnType<typeof dbt.run>[] = [];
    const a = dbt.run({ needs: needsOfA });
    const b = dbt.test({ needs: a });
    needsOfA.push(b);
    return { a, b };
  },
});
`);
    expect(diagnostics.map((d) => d.code)).toEqual([E.CYCLE]);
  });

  it('self reference, duplicate step and ids that differ only in case', async () => {
    const diagnostics = await diagnose(`
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const run = dbt.run();
    return { run, again: run, Run: dbt.test(), x: shell(['true'], { if: when.failed(run) }) };
  },
});
`);
    expect(diagnostics.map((d) => d.code).sort()).toEqual([E.CONDITION_NOT_UPSTREAM, E.DUPLICATE_STEP, E.DUPLICATE_STEP].sort());
  });

  it('${{ in a user string, control characters, and a required input on a schedule', async () => {
    const diagnostics = await diagnose(`
export const p = pipeline('p', {
  triggers: [trigger.schedule('0 1 * * *')],
  inputs: { select: input.string({ required: true }) },
  env: { NOTE: '\${{ github.token }}', ODD: 'a\\u202Eb' },
  steps: ({ inputs }) => ({ run: dbt.build({ select: inputs.select }) }),
});
`);
    expect(diagnostics.map((d) => d.code).sort()).toEqual([E.EXPRESSION_IN_STRING, E.REQUIRED_INPUT_WITHOUT_DEFAULT, E.UNSAFE_STRING].sort());
  });

  it('an input of another pipeline', async () => {
    const diagnostics = await diagnose(`
let leaked: any;
export const a = pipeline('a', {
  triggers: [trigger.manual()],
  inputs: { select: input.string({ default: 'x' }) },
  steps: ({ inputs }) => { leaked = inputs.select; return { run: dbt.build({ select: inputs.select }) }; },
});
export const b = pipeline('b', { triggers: [trigger.manual()], steps: () => ({ run: dbt.build({ select: leaked }) }) });
`);
    expect(diagnostics.map((d) => d.code)).toEqual([E.UNKNOWN_INPUT]);
  });

  it('a wrong type from JavaScript reaches the schema check', async () => {
    const diagnostics = await diagnose(`
export const p = pipeline('p', { triggers: [trigger.manual()], description: 42 as any, steps: () => ({ run: dbt.run() }) });
`);
    expect(diagnostics.map((d) => d.code)).toEqual([E.WRONG_TYPE]);
    expect(diagnostics[0]?.location?.line).toBe(3);
  });

  it('a value the schema would call a wrong type gets its own rule first (timeout, retries), at its line', async () => {
    const diagnostics = await diagnose(`
export const p = pipeline('p', { triggers: [trigger.manual()], timeoutMinutes: 'soon' as any, description: 42 as any,
  steps: () => ({ run: dbt.run({ retries: 11 }) }) });
`);
    expect(diagnostics.map((d) => [d.code, d.location?.line])).toEqual([[E.INVALID_TIMEOUT, 3], [E.INVALID_RETRIES, 4]]);
  });
});

describe('loading errors', () => {
  it('a syntax error points at the line', async () => {
    const diagnostics = await diagnose(`export const p = pipeline('p', {\n  triggers: [trigger.manual()\n});\n`);
    expect(diagnostics[0]?.code).toBe(E.SYNTAX);
    expect(diagnostics[0]?.location?.file).toBe('pipeline.ts');
    expect(diagnostics[0]?.location?.line).toBe(4);
  });

  it('an exception at module level points at the throwing line', async () => {
    const diagnostics = await diagnose(`const x = 1;\nif (x) throw new Error('boom');\nexport const p = 1;\n`);
    expect(codesAndLines(diagnostics)).toEqual([[E.MODULE_THREW, 3]]);
  });

  it('an exception inside steps() points at the throwing line', async () => {
    const diagnostics = await diagnose(`
function helper(): never { throw new Error('no warehouse'); }
export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => helper() });
`);
    expect(codesAndLines(diagnostics)).toEqual([[E.STEPS_THREW, 3]]);
  });

  it('a file that exports no pipeline', async () => {
    const diagnostics = await diagnose('export const nothing = 1;\n');
    expect(diagnostics.map((d) => d.code)).toEqual([E.NO_PIPELINES]);
  });

  it('a missing config file', async () => {
    const dir = makeProject({ 'pipeline.ts': 'export {}' });
    const result = await compileProject({ cwd: dir, config: 'missing.config.ts' });
    expect(result.diagnostics.map((d) => d.code)).toEqual([E.CONFIG_NOT_FOUND]);
  });

  it('an unknown target is a usage error', async () => {
    const dir = makeProject({ 'pipeline.ts': HEADER + "export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run() }) });\n" });
    const result = await compileProject({ cwd: dir, target: 'jenkins' });
    expect(result.diagnostics.map((d) => d.code)).toEqual([E.UNKNOWN_TARGET]);
  });
});
