/**
 * Every generated output is valid, for random pipelines with random names and strings (shell and
 * YAML metacharacters, quotes, unicode): GitHub's parser and actionlint find nothing, Argo's schema
 * and our checks pass, the script passes bash -n (and shellcheck, on a sample), every security
 * checklist holds, and random arguments reach the command as exactly themselves.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PipelineIR, SluiceIR, StepIR } from '@sluice/sdk/ir';
import { dnsLabel, emitArgo, emitEntrypoint, emitGithub } from '@sluice/targets';
import { validate } from '@sluice/compiler';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { argoProjectProblems, argoSchemaProblems } from './helpers/argo-checks.js';
import { argoChecklist, entrypointChecklist, githubChecklist } from './helpers/checklists.js';
import { actionlintFindings, githubParserErrors } from './helpers/validators.js';

const SEED = Number(process.env.SLUICE_PROPERTY_SEED ?? 20261121);
const RUNS = Number(process.env.SLUICE_OUTPUT_RUNS ?? 100);
const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;
const counts = { pipelines: 0, shellchecked: 0, executed: 0 };

/** Printable text with everything shells and YAML care about; never `${{` or `{{` (refused by design). */
const text = fc
  .array(fc.oneof(fc.constantFrom(...`abcXYZ019 -_.:/@%+,'"\`$;&|<>(){}[]*?!#~=\\^é中`.split('')), fc.constantFrom('on', 'yes', 'no', '~', '12:30', '2024-01-01', '0x1F', '012', 'null', '- ', ': ', '#')), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.join(''))
  .filter((value) => !value.includes('${{') && !value.includes('{{') && value.trim() === value && value !== '');
const identifier = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,8}$/);
const envName = fc.stringMatching(/^[A-Z][A-Z0-9]{0,6}$/).filter((name) => !/^(GITHUB|RUNNER|SLUICE|ACTIONS)/.test(name) && !/(PASSWORD|SECRET|TOKEN|KEY)$/.test(name));

const pipelineArbitrary: fc.Arbitrary<PipelineIR> = fc
  .record({
    name: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/).filter((name) => !name.includes('--')),
    description: text,
    steps: fc.uniqueArray(fc.record({ id: identifier, args: fc.array(text, { maxLength: 4 }), env: fc.dictionary(envName, text, { maxKeys: 2 }), always: fc.boolean() }), {
      minLength: 1,
      maxLength: 6,
      selector: (step) => dnsLabel(step.id),
    }),
    input: fc.record({ name: identifier, default: text }),
  })
  .map(({ name, description, steps, input }) => {
    const ids = steps.map((step) => step.id);
    const irSteps: StepIR[] = steps.map((step, index) => ({
      id: step.id,
      label: 'shell',
      command: { kind: 'argv', argv: [{ kind: 'literal', value: 'sluice-record' }, ...step.args.map((value) => ({ kind: 'literal' as const, value })), { kind: 'input', name: input.name, flag: '--value' }] },
      env: Object.entries(step.env).map(([variable, value]) => ({ name: variable, value: { kind: 'literal' as const, value } })),
      // always() steps come last and need only each other, as the Argo target requires.
      needs: index > 0 && !step.always ? [ids[index - 1] as string].filter((id) => !steps.find((s) => s.id === id)?.always) : [],
      condition: step.always ? { op: 'always' } : { op: 'success' },
      retries: 0,
      allowFailure: false,
      produces: [],
      consumes: [],
    }));
    return {
      name,
      description,
      triggers: [{ kind: 'manual' }, { kind: 'schedule', cron: '0 6 * * 1-5' }],
      inputs: [{ name: input.name, type: 'string', required: false, default: input.default }],
      env: [],
      runtime: { kind: 'python', version: '3.12', requirements: 'requirements.txt', dbtDeps: true },
      concurrency: { cancelInProgress: false },
      timeoutMinutes: 30,
      steps: irSteps,
    } satisfies PipelineIR;
  });

const irOfPipeline = (pipeline: PipelineIR): SluiceIR => ({ irVersion: 1, source: 'pipeline.ts', dbtProjectDir: '.', pipelines: [pipeline] });

afterAll(() => console.log(`generated outputs: ${counts.pipelines} random pipelines validated on 3 targets, ${counts.shellchecked} scripts shellchecked, ${counts.executed} executed`));

describe('every generated output is valid', () => {
  it(`for ${RUNS} random pipelines with random names and strings`, { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(pipelineArbitrary, async (pipeline) => {
        const ir = irOfPipeline(pipeline);
        expect(validate(ir)).toEqual([]);

        const workflow = emitGithub(ir).files.find((file) => file.path.endsWith('.yml'));
        expect(workflow).toBeDefined();
        const { path, content } = workflow as { path: string; content: string };
        expect(await githubParserErrors(path, content)).toEqual([]);
        expect(await actionlintFindings(path, content)).toEqual([]);
        expect(githubChecklist(content)).toEqual([]);

        const argo = emitArgo(ir, { image: 'ghcr.io/acme/dbt:1.10.2' });
        expect(argo.diagnostics).toEqual([]);
        const manifest = (argo.files[0] as { content: string }).content;
        expect(argoSchemaProblems(manifest)).toEqual([]);
        expect(argoProjectProblems(manifest)).toEqual([]);
        expect(argoChecklist(manifest)).toEqual([]);

        const script = (emitEntrypoint(ir).files[0] as { content: string }).content;
        expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
        expect(entrypointChecklist(script)).toEqual([]);
        if (hasShellcheck && counts.shellchecked < 30) {
          const result = spawnSync('shellcheck', ['-S', 'style', '-s', 'bash', '-'], { input: script, encoding: 'utf8' });
          expect(result.stdout).toBe('');
          counts.shellchecked += 1;
        }
        if (counts.executed < 25) {
          expect(runAndRecord(script, pipeline)).toEqual(pipeline.steps.map((step) => expectedArgv(step, pipeline)));
          counts.executed += 1;
        }
        counts.pipelines += 1;
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

function expectedArgv(step: StepIR, pipeline: PipelineIR): string[] {
  const literals = step.command.kind === 'argv' ? step.command.argv.filter((arg) => arg.kind === 'literal').slice(1).map((arg) => (arg as { value: string }).value) : [];
  return [...literals, '--value', String(pipeline.inputs[0]?.default)];
}

/** Runs the script with a recorder as the command: each call's argv, in step order. */
function runAndRecord(script: string, pipeline: PipelineIR): string[][] {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-record-'));
  writeFileSync(join(dir, 'sluice-record'), '#!/usr/bin/env python3\nimport json, os, sys\nopen(os.path.join(os.path.dirname(os.path.abspath(__file__)), "calls.jsonl"), "a").write(json.dumps(sys.argv[1:]) + "\\n")\n');
  chmodSync(join(dir, 'sluice-record'), 0o755);
  writeFileSync(join(dir, 'entrypoint.sh'), script);
  const result = spawnSync('bash', [join(dir, 'entrypoint.sh'), pipeline.name], { cwd: dir, env: { PATH: `${dir}:${process.env.PATH}` }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`script failed: ${result.stdout}${result.stderr}`);
  return readFileSync(join(dir, 'calls.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as string[]);
}
