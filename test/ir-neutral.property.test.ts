/**
 * The IR says what, never how (ARCHITECTURE.md, "The IR"): the SDK writes no shell and no engine's
 * command line. Walked structurally over the IR of every example and of generated pipelines that use
 * every built-in step (state stores of each kind, both sets, every upload, every notifier, dbt steps
 * reading state): only a step the user wrote with `shell(...)` or `shell.script(...)` may hold a
 * program of its own; every other command is dbt's argv or a meaning-level command whose strings
 * hold no CLI call, shebang or bash syntax; no step's environment carries a SLUICE_ name (the SDK
 * sets none: targets add their own settings when they lower a command).
 */
import { join } from 'node:path';
import { buildIR, compileProject } from '@sluice/compiler';
import { emitArgo, emitEntrypoint, emitGithub } from '@sluice/targets';
import { emitGitlab } from '../packages/targets/src/gitlab/index.js';
import { dbt, notify, pipeline, secret, shell, state, trigger, upload, when, type PipelineIR, type StateStore, type Step } from '@sluice/sdk/ir';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { examplesWithConfig, REPO_ROOT } from './helpers/project.js';

/** What a CLI call, a script or a shell fragment looks like. */
const ENGINE_SYNTAX: [RegExp, string][] = [
  [/(^|[\s;|&(])(aws|gcloud|gsutil|gh|git|curl|python3?|bash|sh)(\s|$)/, 'a command-line program'],
  [/#!\//, 'a shebang'],
  [/\$\(|\$\{|\$[A-Za-z_]|`/, 'a shell expansion'],
  [/\[\[|\]\]|&&|\|\||>&|2>|<</, 'a shell operator'],
  [/(^|[\s;])(if|then|else|elif|fi|case|esac|for|while|do|done|function)(\s|;|$)/, 'a bash keyword'],
  [/\n/, 'a multi-line program'],
];

/** Labels `shell(...)` and `shell.script(...)` give: the user's own programs, the only ones allowed. */
const USER_PROGRAM_LABELS = new Set(['shell', 'shell script']);

function stringsIn(value: unknown, path: string): { path: string; value: string }[] {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringsIn(item, `${path}[${index}]`));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => stringsIn(item, `${path}.${key}`));
  return [];
}

/** Every place where the SDK put engine syntax into this pipeline's IR (empty: none). */
function engineSyntaxIn(pipeline: PipelineIR): string[] {
  const found: string[] = [];
  for (const step of pipeline.steps) {
    for (const variable of step.env) if (variable.name.startsWith('SLUICE_')) found.push(`step ${step.id}: env ${variable.name} set for a target's program`);
    if (USER_PROGRAM_LABELS.has(step.label)) continue;
    const command = step.command;
    if (command.kind === 'script') {
      found.push(`step ${step.id} (${step.label}): a script the user did not write`);
      continue;
    }
    if (command.kind === 'argv') {
      const program = command.argv[0];
      if (program?.kind !== 'literal' || program.value !== 'dbt') found.push(`step ${step.id} (${step.label}): a command line the user did not write`);
      // dbt's own arguments are the user's options (selectors, vars): only the program is ours to check.
      continue;
    }
    for (const { path, value } of stringsIn(command, 'command')) {
      for (const [pattern, what] of ENGINE_SYNTAX) if (pattern.test(value)) found.push(`step ${step.id} (${step.label}): ${path} holds ${what}: ${JSON.stringify(value)}`);
    }
  }
  return found;
}

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const prefix = fc.array(word, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
const storeArbitrary: fc.Arbitrary<StateStore> = fc.oneof(
  prefix.map((path) => state.s3(`s3://${path}`)),
  prefix.map((path) => state.gcs(`gs://${path}/`)),
  fc.tuple(word, fc.option(word, { nil: undefined })).map(([name, branch]) => state.githubArtifact(branch === undefined ? { pipeline: name } : { pipeline: name, branch })),
);

interface Generated {
  store: StateStore;
  set: 'last-success' | 'last-run';
  whenNoState: 'without-state' | 'skip' | 'fail';
  saveFrom: 'from' | 'needs';
  uploads: ('s3' | 'gcs' | 'pages')[];
  uploadTarget: string;
  staticDocs: boolean;
  notifier: 'slack' | 'teams' | 'webhook' | 'email';
  retry: boolean;
}

const generatedArbitrary: fc.Arbitrary<Generated> = fc.record({
  store: storeArbitrary,
  set: fc.constantFrom('last-success' as const, 'last-run' as const),
  whenNoState: fc.constantFrom('without-state' as const, 'skip' as const, 'fail' as const),
  saveFrom: fc.constantFrom('from' as const, 'needs' as const),
  uploads: fc.subarray(['s3', 'gcs', 'pages'] as const),
  uploadTarget: fc.tuple(prefix, fc.boolean()).map(([path, directory]) => (directory ? `${path}/` : path)),
  staticDocs: fc.boolean(),
  notifier: fc.constantFrom('slack' as const, 'teams' as const, 'webhook' as const, 'email' as const),
  retry: fc.boolean(),
});

function generatedPipeline(generated: Generated) {
  return pipeline('generated', {
    triggers: [trigger.schedule('0 3 * * *'), trigger.manual()],
    steps: () => {
      const steps: Record<string, Step> = {};
      const load = generated.store.load({ from: generated.set, into: generated.set === 'last-run' ? 'last-run' : 'prod-state' });
      const run = generated.retry ? dbt.retry({ state: load }) : dbt.build({ select: 'state:modified+', state: load, defer: true, whenNoState: generated.whenNoState });
      const docs = dbt.docs({ needs: run, static: generated.staticDocs });
      const save = generated.saveFrom === 'from' ? generated.store.save({ from: run }) : generated.store.save({ needs: run });
      Object.assign(steps, { load, run, docs, save });
      for (const kind of generated.uploads) {
        const to = kind === 'gcs' ? `gs://${generated.uploadTarget}` : `s3://${generated.uploadTarget}`;
        steps[`upload_${kind}`] = kind === 'pages' ? upload.githubPages({ from: docs.site }) : upload[kind]({ from: docs.site, to });
      }
      // The user's own programs: allowed to hold anything, including what Sluice itself must not write.
      steps.userShell = shell(['aws', 's3', 'ls', 's3://mine/'], { needs: run });
      steps.userScript = shell.script('if [ -f target/run_results.json ]; then gh run list; fi\n', { needs: run });
      const needs = Object.values(steps);
      steps.notify =
        generated.notifier === 'slack'
          ? notify.slack({ webhook: secret('SLACK_WEBHOOK'), needs, if: when.always() })
          : generated.notifier === 'teams'
            ? notify.teams({ webhook: secret('TEAMS_WEBHOOK'), needs, if: when.always() })
            : generated.notifier === 'webhook'
              ? notify.webhook({ url: secret('ALERT_URL'), needs, if: when.always() })
              : notify.email({ smtp: { host: 'smtp.example.com', username: secret('SMTP_USER'), password: secret('SMTP_PASSWORD') }, from: 'sluice@example.com', to: ['data@example.com'], needs, if: when.always() });
      return steps;
    },
  });
}

describe('the IR holds no engine syntax', () => {
  it('the check finds engine syntax where the SDK used to write it (state as a bash script, upload as aws argv, SDK env)', () => {
    const base = { needs: [], condition: { op: 'success' as const }, retries: 0, allowFailure: false, produces: [], consumes: [] };
    const old: PipelineIR = {
      name: 'old',
      triggers: [{ kind: 'manual' }],
      inputs: [],
      env: [],
      runtime: { kind: 'image', image: 'dbt:1', dbtDeps: false },
      concurrency: { cancelInProgress: false },
      timeoutMinutes: 60,
      steps: [
        { ...base, id: 'load', label: 'load state from s3', command: { kind: 'script', script: 'aws s3api head-object --bucket "$b"' }, env: [{ name: 'SLUICE_STATE_URL', value: { kind: 'literal', value: 's3://b/p' } }] },
        { ...base, id: 'upload', label: 'upload s3', command: { kind: 'argv', argv: [{ kind: 'literal', value: 'aws' }, { kind: 'literal', value: 's3' }] }, env: [] },
        { ...base, id: 'publish', label: 'publish', command: { kind: 'publish', destination: { kind: 's3', url: 's3://b/$(whoami)' }, path: 'target', isDirectory: true }, env: [] },
        { ...base, id: 'mine', label: 'shell script', command: { kind: 'script', script: 'aws s3 ls\n' }, env: [] },
      ],
    };
    const found = engineSyntaxIn(old);
    expect(found.some((problem) => problem.startsWith('step load: env SLUICE_STATE_URL'))).toBe(true);
    expect(found.some((problem) => problem.startsWith('step load (load state from s3): a script'))).toBe(true);
    expect(found.some((problem) => problem.startsWith('step upload (upload s3): a command line'))).toBe(true);
    expect(found.some((problem) => problem.includes('command.destination.url holds a shell expansion'))).toBe(true);
    expect(found.some((problem) => problem.startsWith('step mine'))).toBe(false);
  });

  it('generated pipelines with every built-in step: only the user-written steps hold programs', () => {
    fc.assert(
      fc.property(generatedArbitrary, (generated) => {
        const { ir, diagnostics } = buildIR([generatedPipeline(generated)]);
        // The one rule these pipelines may break: a GitHub artifact keeps no last run (validate.ts, STATE_SOURCE).
        const lastRunFromArtifact = generated.store.kind === 'github-artifact' && generated.set === 'last-run';
        expect(diagnostics.map((diagnostic) => diagnostic.code)).toEqual(lastRunFromArtifact ? ['SLUICE_E_STATE_SOURCE'] : []);
        const pipelineIR = ir.pipelines[0] as PipelineIR;
        expect(engineSyntaxIn(pipelineIR)).toEqual([]);
        // The walk saw what it should: meaning-level commands for every built-in step.
        const kinds = new Map(pipelineIR.steps.map((step) => [step.id, step.command.kind]));
        expect([kinds.get('load'), kinds.get('save'), ...generated.uploads.map((kind) => kinds.get(`upload_${kind}`))]).toEqual(['state-load', 'state-save', ...generated.uploads.map(() => 'publish')]);
        expect([kinds.get('userShell'), kinds.get('userScript')]).toEqual(['argv', 'script']);
      }),
      { numRuns: 300, seed: 16 },
    );
  });

  it('every target lowers the generated pipelines, or refuses what only GitHub can do, naming step, target and the way out', () => {
    fc.assert(
      fc.property(generatedArbitrary, (generated) => {
        if (generated.store.kind === 'github-artifact' && generated.set === 'last-run') return;
        const { ir } = buildIR([generatedPipeline(generated)]);
        const github = emitGithub(ir);
        expect(github.diagnostics).toEqual([]);
        const githubOnly = [...(generated.store.kind === 'github-artifact' ? ['load', 'save'] : []), ...(generated.uploads.includes('pages') ? ['upload_pages'] : [])];
        const others = { argo: emitArgo(ir, { image: 'dbt:1' }), entrypoint: emitEntrypoint(ir), gitlab: emitGitlab(ir) };
        for (const [target, emitted] of Object.entries(others)) {
          // GitLab publishes Pages itself (one site per project); only GitHub keeps artifacts.
          const refused = githubOnly.filter((id) => !(target === 'gitlab' && id === 'upload_pages'));
          expect(emitted.diagnostics.map((diagnostic) => diagnostic.path), target).toEqual(refused.map((id) => ['pipeline generated', `step ${id}`, `target ${target}`]));
          for (const diagnostic of emitted.diagnostics) expect(diagnostic.hint).toMatch(/state\.s3|upload\.s3/);
          if (refused.length === 0) expect(emitted.files.length, target).toBeGreaterThan(0);
          for (const file of [...github.files, ...emitted.files]) expect(file.content).not.toContain('[object Object]');
        }
      }),
      { numRuns: 100, seed: 16 },
    );
  });

  it('every example', async () => {
    const kinds = new Set<string>();
    for (const example of examplesWithConfig()) {
      const { ir } = await compileProject({ cwd: join(REPO_ROOT, 'examples', example) });
      expect(ir, example).toBeDefined();
      for (const pipelineIR of ir?.pipelines ?? []) {
        expect(engineSyntaxIn(pipelineIR), `${example}: ${pipelineIR.name}`).toEqual([]);
        for (const step of pipelineIR.steps) kinds.add(step.command.kind);
      }
    }
    // The examples use Sluice's own steps, so the walk is not vacuous.
    expect([...kinds].filter((kind) => ['state-load', 'state-save', 'publish'].includes(kind) || kind.startsWith('notify-')).sort()).toEqual(['notify-slack', 'publish', 'state-load', 'state-save']);
  });
});
