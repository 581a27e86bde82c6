/**
 * Rule "one string checker" (docs/security.md, class 1), proven by enumeration: a unique sentinel
 * (`zqNNzq`) is planted in every string option of the DSL and every string setting of the config.
 * After compiling for every target:
 * - every sentinel found in any generated file came from a string the checker walked (a new field
 *   that reaches output some other way fails here);
 * - every planted sentinel reaches some generated file (so the list below stays the real surface);
 * - planting `${{` next to each sentinel, one at a time, makes the compile fail with
 *   SLUICE_E_EXPRESSION_IN_STRING (so walking really means checking).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGNOSTIC_CODES, userStrings } from '@sluice/sdk/ir';
import { compileProject, type CompileResult } from '@sluice/compiler';
import { describe, expect, it } from 'vitest';
import { makeProject } from '../../../test/helpers/project.js';
import { configStrings } from '../src/config.js';

const PORTABLE = `import { cloud, dbt, input, notify, pipeline, runtime, secret, shell, state, trigger, upload, when } from '@sluice/sdk';
const store = state.s3('s3://__01__/state');
export const alpha = pipeline('alpha', {
  description: 'about __02__',
  triggers: [trigger.schedule('0 6 * * *'), trigger.manual(), trigger.push({ branches: ['__03__'], paths: ['models/__04__/**'] })],
  inputs: {
    note: input.string({ description: 'note __05__', default: '__06__' }),
    mode: input.choice({ options: ['__07__', '__08__'], default: '__07__', description: '__09__' }),
  },
  env: { DBT_SCHEMA: '__10__', SNOWFLAKE_PASSWORD: secret('SNOWFLAKE_PASSWORD') },
  runtime: runtime.python({ version: '3.12', requirements: 'req/__11__.txt' }),
  cloud: cloud.aws({ roleToAssume: 'arn:aws:iam::123456789012:role/__12__', region: '__13__' }),
  concurrency: { group: 'grp-__14__', cancelInProgress: false },
  steps: ({ inputs }) => {
    const load = store.load({ into: '__15__' });
    const run = dbt.build({ select: ['tag:__16__'], exclude: 'tag:__17__', selector: '__18__', target: '__19__', vars: { key: '__20__' }, profilesDir: 'p__21__', state: load, defer: true, eventTimeStart: '__22__', eventTimeEnd: '__23__', env: { STEP_VAR: '__24__' } });
    const docs = dbt.docs({ needs: run, target: '__25__' });
    const publish = upload.s3({ from: docs.site, to: 's3://__26__/docs/' });
    const check = shell(['python3', 'check.py', '--flag', '__27__', inputs.note], { needs: run });
    const script = shell.script('echo __28__', { needs: run });
    const save = store.save({ needs: run });
    const retry = dbt.retry({ dbtVersion: '1.5.0', state: 'st__29__', needs: run, if: when.failed(run) });
    const gcs = upload.gcs({ from: 'target/__30__.json', to: 'gs://__31__/', needs: run });
    const alert = notify.slack({ webhook: secret('SLACK_WEBHOOK'), needs: [run], if: when.always() });
    return { load, run, docs, publish, check, script, save, retry, gcs, alert };
  },
});
export const gamma = pipeline('gamma', {
  triggers: [trigger.manual()],
  runtime: runtime.image('ghcr.io/acme/__32__:1'),
  cloud: cloud.gcp({ workloadIdentityProvider: 'projects/1/locations/global/workloadIdentityPools/__33__/providers/gh', serviceAccount: '__34__@acme.iam.gserviceaccount.com' }),
  steps: () => ({ run: dbt.run({ select: 'tag:x', env: { G: '__35__' } }) }),
});
`;

const PORTABLE_CONFIG = `import { defineConfig } from '@sluice/sdk';
export default defineConfig({
  target: ['github', 'argo', 'entrypoint'],
  pipelinesMarkdown: 'docs/__50__.md',
  targets: {
    github: { dir: '.github/workflows', runsOn: 'runner-__51__' },
    argo: {
      dir: 'argo',
      image: 'ghcr.io/acme/__52__:1',
      imagePullSecrets: ['pull-__53__'],
      namespace: 'ns-__54__',
      serviceAccountName: 'sa-__55__',
      executorServiceAccountName: 'ex-__56__',
      source: { git: { repo: 'https://example.com/__57__.git', revision: 'rev-__58__' } },
      workspace: { size: '5Gi', storageClassName: 'sc-__59__' },
      secretName: 'sec-__60__',
      secrets: { SLACK_WEBHOOK: { name: 'hook-__61__', key: 'key-__62__' } },
      uiUrl: 'https://argo.example.com/__63__',
      eventTriggers: 'ignore',
    },
    entrypoint: { path: 'docker/__64__.sh' },
  },
});
`;

const GITHUB_ONLY = `import { dbt, pipeline, state, trigger, upload } from '@sluice/sdk';
const artifacts = state.githubArtifact({ pipeline: '__40__', branch: '__41__' });
export const beta = pipeline('beta', {
  triggers: [trigger.manual()],
  steps: () => {
    const prod = artifacts.load({ into: '__42__' });
    const run = dbt.build({ state: prod, defer: true, select: 'state:modified+' });
    const docs = dbt.docs({ needs: run });
    const pages = upload.githubPages({ from: '__43__/', needs: docs });
    const save = artifacts.save({ needs: run });
    return { prod, run, docs, pages, save };
  },
});
`;

const GITHUB_CONFIG = `import { defineConfig } from '@sluice/sdk';
export default defineConfig({ target: 'github', dbtProjectDir: 'dbt__65__', entry: 'pipelines/__66__.ts', targets: { github: { runsOn: 'r__67__' } } });
`;

const SENTINEL = /zq\d\dzq/g;
const plant = (text: string): string => text.replace(/__(\d\d)__/g, 'zq$1zq');

interface Fixture {
  name: string;
  files: Record<string, string>;
}

const FIXTURES: Fixture[] = [
  { name: 'portable pipelines, every target', files: { 'pipeline.ts': plant(PORTABLE), 'sluice.config.ts': plant(PORTABLE_CONFIG) } },
  { name: 'GitHub-only steps', files: { 'pipelines/zq66zq.ts': plant(GITHUB_ONLY), 'sluice.config.ts': plant(GITHUB_CONFIG) } },
];

/** Every string the checker saw: the pipelines' walked strings and the config's. */
function checkedStrings(result: CompileResult): string[] {
  const config = result.config;
  if (!config || !result.ir) return [];
  const settings = { entry: config.entry, dbtProjectDir: config.dbtProjectDir, pipelinesMarkdown: config.pipelinesMarkdown, targets: config.targetOptions };
  return [...result.ir.pipelines.flatMap((pipeline) => userStrings(pipeline).map((string) => string.value)), ...configStrings(settings).map((found) => found.value)];
}

describe('every output string passes the one checker', () => {
  for (const fixture of FIXTURES) {
    it(`${fixture.name}: each sentinel in the output was checked, and each planted one is output`, async () => {
      const result = await compileProject({ cwd: makeProject(fixture.files) });
      expect(result.diagnostics).toEqual([]);
      const checked = checkedStrings(result);
      const planted = new Set(Object.values(fixture.files).flatMap((text) => text.match(SENTINEL) ?? []));
      const emitted = new Set<string>();
      for (const file of result.files) {
        for (const sentinel of `${file.path}\n${file.content}`.match(SENTINEL) ?? []) {
          emitted.add(sentinel);
          expect(checked.some((value) => value.includes(sentinel)), `${sentinel} reaches ${file.path} without passing the checker`).toBe(true);
        }
      }
      expect([...planted].filter((sentinel) => !emitted.has(sentinel)), 'planted but never emitted: the fixture no longer matches the output surface').toEqual([]);
      expect(planted.size).toBeGreaterThanOrEqual(5);
    });

    it(`${fixture.name}: '\${{' next to any one sentinel is refused`, { timeout: 240_000 }, async () => {
      const dir = makeProject(fixture.files);
      const planted = Object.entries(fixture.files).flatMap(([path, text]) => [...new Set(text.match(SENTINEL) ?? [])].map((sentinel) => ({ path, sentinel })));
      const missed: string[] = [];
      for (const { path, sentinel } of planted) {
        // Paths of files are not changed on disk (the entry must still exist): only their mention.
        const original = readFileSync(join(dir, path), 'utf8');
        writeFileSync(join(dir, path), original.replace(sentinel, `${sentinel}\${{ x }}`));
        const result = await compileProject({ cwd: dir });
        writeFileSync(join(dir, path), original);
        if (!result.diagnostics.some((diagnostic) => diagnostic.code === DIAGNOSTIC_CODES.EXPRESSION_IN_STRING)) missed.push(`${sentinel} in ${path}: ${result.diagnostics.map((d) => d.code).join(', ') || 'compiled'}`);
      }
      expect(missed).toEqual([]);
    });
  }
});

describe('invisible characters are found by Unicode category, not by a list', () => {
  it('refuses every character the review named, and whole ranges of them; keeps ordinary text', async () => {
    const { stringProblems } = await import('@sluice/sdk/ir');
    const flagged = (value: string, multiline = false): boolean => stringProblems({ value, what: 'x', multiline }).some((problem) => problem.code === DIAGNOSTIC_CODES.UNSAFE_STRING);
    const named = ['\u061c', '\u200b', '\u200d', '\ufeff', '\u202e', '\u2066', '\u00ad', '\u0085', '\u2028', '\u2029', '\r', '\u001b', '\ue000', '\u{f0000}', '\ud800', '\udfff', '\u{e0001}', '\u{e007f}'];
    for (const character of named) expect(flagged(`a${character}b`, true), `U+${character.codePointAt(0)?.toString(16)}`).toBe(true);
    for (let code = 0xe0000; code <= 0xe007f; code++) expect(flagged(String.fromCodePoint(code)), code.toString(16)).toBe(true);
    for (const ordinary of ['Nightly build, docs and Slack', 'déjà vu — naïve café', '日本語のモデル', 'tab\there', 'emoji 🚀']) expect(flagged(ordinary), ordinary).toBe(false);
    expect(flagged('two\nlines')).toBe(true);
    expect(flagged('two\nlines', true)).toBe(false);
  });
});
