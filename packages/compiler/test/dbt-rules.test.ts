/**
 * dbt rules at compile time: the dbt version (config, requirements pin, pyproject, image tag) against
 * the flags a step uses; pipelines that name their targets; built-in steps without the pipeline's
 * secrets; selections built around an input.
 */
import { DIAGNOSTIC_CODES as E, type Arg, type Diagnostic } from '@sluice/sdk/ir';
import { compileProject, loadProject } from '@sluice/compiler';
import { describe, expect, it } from 'vitest';
import { makeProject } from '../../../test/helpers/project.js';

const HEADER = "import { dbt, input, notify, pipeline, runtime, secret, selector, shell, state, trigger, upload, when } from '@sluice/sdk';\n";
const config = (extra = ''): string => `import { defineConfig } from '@sluice/sdk';\nexport default defineConfig({ target: ['github', 'argo', 'entrypoint'], targets: { argo: { image: 'dbt:1' } }${extra} });\n`;

async function diagnose(source: string, files: Record<string, string> = {}): Promise<Diagnostic[]> {
  const result = await loadProject({ cwd: makeProject({ 'pipeline.ts': HEADER + source, ...files }) });
  return result.diagnostics;
}

const features = `
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  steps: () => {
    const run = dbt.build({ eventTimeStart: '2026-01-01', eventTimeEnd: '2026-01-02' });
    const docs = dbt.docs({ needs: run });
    return { run, docs };
  },
});
`;

describe('the dbt version decides which flags compile', () => {
  it.each([
    ['requirements.txt pin', { 'requirements.txt': 'dbt-core==1.6.9\ndbt-postgres==1.6.9\n' }],
    ['pyproject.toml range (its lower bound)', { 'pyproject.toml': '[project]\ndependencies = ["dbt-core>=1.6,<2", "dbt-duckdb"]\n' }],
    ['config dbtVersion (wins over the pin)', { 'requirements.txt': 'dbt-core~=1.10.0\n', 'sluice.config.ts': config(", dbtVersion: '1.6'") }],
    ['an adapter pin when dbt-core is not pinned', { 'requirements.txt': 'dbt-snowflake~=1.6.0\n' }],
  ])('dbt 1.6 from the %s: --static (1.7) and the microbatch window (1.9) are errors naming the version', async (_name, files) => {
    const diagnostics = await diagnose(features, files);
    expect(diagnostics.map((d) => d.code)).toEqual([E.DBT_VERSION_TOO_OLD, E.DBT_VERSION_TOO_OLD]);
    expect(diagnostics.map((d) => d.message.match(/dbt >= (\d\.\d+)/)?.[1]).sort()).toEqual(['1.7', '1.9']);
    expect(diagnostics.every((d) => d.location?.file === 'pipeline.ts')).toBe(true);
  });

  it('an image tag: ghcr.io/dbt-labs/dbt-postgres:1.8.2 accepts --static and refuses the window', async () => {
    const diagnostics = await diagnose(features.replace("triggers: [trigger.manual()],", "triggers: [trigger.manual()],\n  runtime: runtime.image('ghcr.io/dbt-labs/dbt-postgres:1.8.2'),"));
    expect(diagnostics.map((d) => d.code)).toEqual([E.DBT_VERSION_TOO_OLD]);
    expect(diagnostics[0]?.message).toContain('dbt >= 1.9');
  });

  it('dbt 1.10, or no known version: no version errors', async () => {
    expect(await diagnose(features, { 'requirements.txt': 'dbt-core~=1.10.0\n' })).toEqual([]);
    expect(await diagnose(features)).toEqual([]);
  });

  it('dbt 1.4: every dbt step needs --target-path (1.5) to keep its artifacts apart', async () => {
    const diagnostics = await diagnose("export const p = pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.build() }) });\n", { 'requirements.txt': 'dbt-core==1.4.9\n' });
    expect(diagnostics.map((d) => d.code)).toEqual([E.DBT_VERSION_TOO_OLD]);
  });

  it('dbt 1.5: dbt.retry() becomes the older equivalent (no error)', async () => {
    const result = await loadProject({
      cwd: makeProject({
        'requirements.txt': 'dbt-core==1.5.11\n',
        'pipeline.ts': `${HEADER}const store = state.s3('s3://b/p');\nexport const r = pipeline('r', { triggers: [trigger.manual()], steps: () => { const last = store.load({ from: 'last-run', into: 'last-run' }); return { last, run: dbt.retry({ state: last }) }; } });\n`,
      }),
    });
    expect(result.diagnostics).toEqual([]);
    const step = result.ir?.pipelines[0]?.steps.find((s) => s.id === 'run');
    expect(step?.label).toBe('dbt build (retry of failures)');
    const words = (args: Arg[]): string[] => args.flatMap((arg) => (arg.kind === 'literal' ? [arg.value] : arg.kind === 'whenFile' ? words(arg.then) : ['?']));
    expect(step?.command.kind === 'argv' && words(step.command.argv)).toEqual(['dbt', 'build', '--select', 'result:error+', 'result:fail+', '--state', 'last-run', '--target-path', 'target/sluice/run']);
  });
});

describe('a pipeline names the targets it is for', () => {
  const source = `
const artifact = state.githubArtifact({ pipeline: 'nightly' });
export const nightly = pipeline('nightly', {
  triggers: [trigger.schedule('0 3 * * *')],
  TARGETS
  steps: () => { const run = dbt.build(); return { run, save: artifact.save({ needs: run }) }; },
});
export const full = pipeline('full', { triggers: [trigger.manual()], steps: () => ({ run: dbt.build() }) });
`;
  it('GitHub-only steps in a pipeline for github do not block argo and the entrypoint; they skip it and say so', async () => {
    const result = await compileProject({ cwd: makeProject({ 'sluice.config.ts': config(), 'pipeline.ts': HEADER + source.replace('TARGETS', "targets: ['github'],") }) });
    expect(result.diagnostics).toEqual([]);
    expect(result.files.map((f) => f.path).filter((p) => p.includes('nightly'))).toEqual(['.github/workflows/nightly.yml']);
    expect(result.files.some((f) => f.path === 'argo/full.yaml')).toBe(true);
    expect(result.files.find((f) => f.path === 'docker/entrypoint.sh')?.content).not.toContain('nightly)');
    expect(result.notes).toEqual(['pipeline nightly is for github: skipped on argo', 'pipeline nightly is for github: skipped on entrypoint']);
  });
  it('without targets the same pipeline is refused by argo and the entrypoint, by name', async () => {
    const result = await compileProject({ cwd: makeProject({ 'sluice.config.ts': config(), 'pipeline.ts': HEADER + source.replace('TARGETS', '') }) });
    expect(result.diagnostics.map((d) => d.code)).toEqual([E.TARGET_UNSUPPORTED, E.TARGET_UNSUPPORTED]);
  });
  it('an unknown target name is an error at the pipeline', async () => {
    const result = await compileProject({ cwd: makeProject({ 'sluice.config.ts': config(), 'pipeline.ts': HEADER + source.replace('TARGETS', "targets: ['jenkins' as 'github'],") }) });
    expect(result.diagnostics.map((d) => [d.code, d.location?.line])).toEqual([[E.UNKNOWN_TARGET, 4]]);
  });
});

describe('built-in steps get only what they need', () => {
  it("the pipeline's secrets and inputs reach the user's steps, not upload, notify or state steps, unless given to them", async () => {
    const result = await loadProject({
      cwd: makeProject({
        'pipeline.ts': `${HEADER}const store = state.s3('s3://b/p');
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  inputs: { schema: input.string({ default: 'analytics' }) },
  env: { SNOWFLAKE_PASSWORD: secret('SNOWFLAKE_PASSWORD'), DBT_SCHEMA: (null as never) ?? 'x', REGION: 'eu-west-1' },
  steps: ({ inputs }) => {
    const load = store.load();
    const run = dbt.build({ env: { SCHEMA: inputs.schema } });
    const docs = dbt.docs({ needs: run });
    const publish = upload.s3({ from: docs.site, to: 's3://docs/', env: { AWS_PROFILE_SECRET: secret('AWS_KEY') } });
    const save = store.save({ needs: run });
    const alert = notify.slack({ webhook: secret('SLACK'), needs: [run, publish], if: when.always() });
    return { load, run, docs, upload: publish, save, notify: alert };
  },
});
`,
      }),
    });
    expect(result.diagnostics).toEqual([]);
    const pipeline = result.ir?.pipelines[0];
    const envOf = (id: string): string[] => [...(pipeline?.env ?? []), ...(pipeline?.steps.find((s) => s.id === id)?.env ?? [])].map((v) => v.name).sort();
    expect(pipeline?.env.map((v) => v.name)).toEqual(['DBT_SCHEMA', 'REGION']);
    expect(envOf('run')).toEqual(['DBT_SCHEMA', 'REGION', 'SCHEMA', 'SNOWFLAKE_PASSWORD']);
    expect(envOf('docs')).toEqual(['DBT_SCHEMA', 'REGION', 'SNOWFLAKE_PASSWORD']);
    expect(envOf('upload')).toEqual(['AWS_PROFILE_SECRET', 'DBT_SCHEMA', 'REGION']);
    expect(envOf('notify')).toEqual(['DBT_SCHEMA', 'REGION']);
    // State steps say what they do in their command; the SDK sets no environment of its own.
    expect(envOf('save')).toEqual(['DBT_SCHEMA', 'REGION']);
    expect(envOf('load')).toEqual(['DBT_SCHEMA', 'REGION']);
    expect(pipeline?.steps.find((s) => s.id === 'save')?.command).toEqual({ kind: 'state-save', store: { kind: 's3', url: 's3://b/p' }, from: 'target/sluice/run' });
    expect(pipeline?.steps.find((s) => s.id === 'load')?.command).toEqual({ kind: 'state-load', store: { kind: 's3', url: 's3://b/p' }, set: 'last-success', dir: 'prod-state' });
    expect(pipeline?.steps.find((s) => s.id === 'upload')?.command).toEqual({ kind: 'publish', destination: { kind: 's3', url: 's3://docs/index.html' }, path: 'target/sluice/docs/static_index.html', isDirectory: false });
  });
});

describe('selections built around an input', () => {
  it('selector.children(inputs.model) compiles; a template string with the input is an error at its line', async () => {
    const ok = await diagnose("export const e = pipeline('e', { triggers: [trigger.manual()], inputs: { model: input.string({ required: true }) }, steps: ({ inputs }) => ({ run: dbt.build({ select: selector.children(inputs.model) }) }) });\n");
    expect(ok).toEqual([]);
    const bad = await diagnose("export const e = pipeline('e', {\n  triggers: [trigger.manual()],\n  inputs: { model: input.string({ required: true }) },\n  env: { WHERE: `schema_${'x'}` },\n  steps: ({ inputs }) => ({\n    run: dbt.build({ select: [`+${inputs.model}`, 'tag:x'] }),\n  }),\n});\n");
    expect(bad.map((d) => [d.code, d.location?.line])).toEqual([[E.INPUT_IN_STRING, 7]]);
  });
});

describe('state stores used the wrong way', () => {
  it('a save with no dbt step to save from, and last-run results from a GitHub artifact, are errors at their lines', async () => {
    const diagnostics = await diagnose(`const s3 = state.s3('s3://b/p');
const gh = state.githubArtifact({ pipeline: 'p' });
export const p = pipeline('p', {
  triggers: [trigger.manual()],
  targets: ['github'],
  steps: () => {
    const a = dbt.build();
    const b = dbt.build();
    const save = s3.save({ needs: [a, b] });
    const last = gh.load({ from: 'last-run' });
    return { a, b, save, last };
  },
});
`);
    expect(diagnostics.map((d) => [d.code, d.location?.line])).toEqual([
      [E.STATE_SOURCE, 10],
      [E.STATE_SOURCE, 11],
    ]);
  });
});
