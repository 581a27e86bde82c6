/**
 * A dbt project in a sub-folder of the repository (`dbtProjectDir`) on Argo: the emitted containers
 * are run one after the other as the pods would (their command, env and working directory, with the
 * volume at a temporary directory) against stand-in dbt and aws that record where they ran and what
 * they read. Every dbt command must run in the sub-folder and every file path must resolve there.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dbt, pipeline, state, trigger, upload, type SluiceIR } from '@sluice/sdk/ir';
import { emitArgo } from '@sluice/targets';
import { afterAll, describe, expect, it } from 'vitest';
import { argoDocuments, argoProjectProblems, argoSchemaProblems } from '../../../test/helpers/argo-checks.js';
import { irOf } from '../../../test/helpers/ir.js';
import { kubernetesExpand } from '../../../test/oracles/dataflow.js';

const VOLUME = '/workspace';
const SOURCE = '/app';

interface Container {
  command: string[];
  workingDir: string;
  env?: { name: string; value?: string }[];
}

// dbt: records its working directory and argv; `docs generate` writes the site, every command writes
// run_results.json and manifest.json to its --target-path (else target/) relative to where it runs, as dbt does.
const DBT = `#!/usr/bin/env bash
printf '%s\\t%s\\n' "$PWD" "$*" >> "$SLUICE_TEST_LOG"
out=target; previous=''
for arg in "$@"; do [ "$previous" = --target-path ] && out="$arg"; previous="$arg"; done
mkdir -p "$out" && echo '{}' > "$out/manifest.json" && echo '{}' > "$out/run_results.json"
if [ "$1 $2" = "docs generate" ]; then echo '<html>' > "$out/static_index.html"; echo '{}' > "$out/catalog.json"; fi
`;
// aws: records its working directory and argv; checks that the local source of `s3 cp|sync [--options] SRC DEST` exists.
const AWS = `#!/usr/bin/env bash
printf '%s\\t%s\\n' "$PWD" "aws $*" >> "$SLUICE_TEST_LOG"
shift 2; while [ "\${1#--}" != "$1" ]; do shift; done
case "$1" in s3://*) ;; *) if [ ! -e "$1" ]; then echo "aws: $1: no such file" >&2; exit 1; fi ;; esac
`;

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function sandbox(layout: Record<string, string>): { root: string; bin: string; log: string } {
  const root = mkdtempSync(join(tmpdir(), 'sluice-argo-subfolder-'));
  roots.push(root);
  for (const [path, content] of Object.entries(layout)) {
    mkdirSync(join(root, 'source', path, '..'), { recursive: true });
    writeFileSync(join(root, 'source', path), content);
  }
  const bin = join(root, 'bin');
  mkdirSync(bin);
  for (const [name, body] of [['dbt', DBT], ['aws', AWS]] as const) {
    writeFileSync(join(bin, name), body);
    chmodSync(join(bin, name), 0o755);
  }
  return { root, bin, log: join(root, 'calls.log') };
}

/**
 * Runs one container as its pod would, with the volume and the image's source under `root`: the
 * kubelet first expands `$(VAR)` in env values (from the variables before them) and in the command
 * (`$$` becomes `$`), as Kubernetes does.
 */
function runContainer(container: Container, box: { root: string; bin: string; log: string }): { status: number; stderr: string } {
  const local = (value: string): string => value.replace(/^\/workspace(?=\/|$)/, join(box.root, 'volume')).replace(/^\/app(?=\/|$)/, join(box.root, 'source'));
  const env: Record<string, string> = { PATH: `${box.bin}:/usr/bin:/bin`, SLUICE_TEST_LOG: box.log, HOME: box.root };
  const declared = new Map<string, string>();
  for (const variable of container.env ?? []) {
    if (variable.value === undefined) continue;
    const value = kubernetesExpand(variable.value, declared);
    declared.set(variable.name, value);
    env[variable.name] = local(value);
  }
  const cwd = local(container.workingDir);
  mkdirSync(cwd, { recursive: true }); // the container runtime creates a missing working directory
  const [program, ...args] = container.command.map((part) => kubernetesExpand(part, declared)) as [string, ...string[]];
  const result = spawnSync(program, args, { cwd, env, encoding: 'utf8' });
  return { status: result.status ?? -1, stderr: result.stderr };
}

function templatesOf(ir: SluiceIR): Map<string, { container?: Container }> {
  const result = emitArgo(ir, { image: 'ghcr.io/acme/dbt:1.10.2', source: { image: SOURCE } });
  expect(result.diagnostics).toEqual([]);
  const content = result.files[0]?.content ?? '';
  expect(argoSchemaProblems(content)).toEqual([]);
  expect(argoProjectProblems(content)).toEqual([]);
  const template = argoDocuments(content).find((d) => d.kind === 'WorkflowTemplate') as unknown as { spec: { templates: { name: string; container?: Container }[] } };
  return new Map(template.spec.templates.map((t) => [t.name, t]));
}

const nightly = pipeline('nightly', {
  triggers: [trigger.manual()],
  steps: () => {
    const production = state.s3('s3://acme-state/metric');
    const run = dbt.build({ target: 'prod' });
    const save = production.save({ needs: run });
    const docs = dbt.docs({ needs: run });
    const publish = upload.s3({ from: docs.site, to: 's3://acme-docs/' });
    return { run, save, docs, upload: publish };
  },
});

describe('Argo with the dbt project in a sub-folder', () => {
  const ir = { ...irOf(nightly), dbtProjectDir: 'transform/dbt' };
  const templates = templatesOf(ir);
  const steps = ['step-run', 'step-save', 'step-docs', 'step-upload'];

  it('every step pod works in the sub-folder; preparation and verdict in the volume', () => {
    for (const name of steps) expect(templates.get(name)?.container?.workingDir, name).toBe(`${VOLUME}/project/transform/dbt`);
  });

  it('prepare finds dbt_project.yml in the sub-folder (none at the root), then every step runs there and finds its files', () => {
    const box = sandbox({ 'transform/dbt/dbt_project.yml': 'name: metric\n', 'README.md': 'repo root\n' });
    const prepare = runContainer(templates.get('sluice-prepare')?.container as Container, box);
    expect(prepare).toEqual({ status: 0, stderr: '' });
    expect(existsSync(join(box.root, 'volume/project/transform/dbt/dbt_project.yml'))).toBe(true);
    for (const name of steps) expect(runContainer(templates.get(name)?.container as Container, box), name).toMatchObject({ status: 0 });
    const calls = readFileSync(box.log, 'utf8').trim().split('\n').map((line) => line.split('\t') as [string, string]);
    const dbtHome = join(box.root, 'volume/project/transform/dbt');
    expect(calls.map(([cwd]) => cwd)).toEqual(calls.map(() => dbtHome));
    expect(calls.map(([, argv]) => argv.split(' ').slice(0, 2).join(' '))).toEqual(['build --target', 'aws s3', 'aws s3', 'docs generate', 'aws s3']);
    // save copied the run step's own artifacts (target/sluice/run) to last-run/ for dbt retry; the stand-in's
    // empty results are not a full success, so the slim-CI baseline is not promoted.
    expect(calls.filter(([, argv]) => argv.includes('last-run/')).map(([, argv]) => argv.split(' ')[4])).toEqual(['target/sluice/run/manifest.json', 'target/sluice/run/run_results.json']);
    // The docs site the upload read is the one dbt docs wrote, in the sub-folder's target/sluice/<step id>.
    expect(existsSync(join(dbtHome, 'target/sluice/docs/static_index.html'))).toBe(true);
    expect(existsSync(join(box.root, 'volume/project/target'))).toBe(false);
  });

  it('with dbt deps: runs in the sub-folder', () => {
    const withDeps = templatesOf({ ...ir, pipelines: ir.pipelines.map((p) => ({ ...p, runtime: { ...p.runtime, dbtDeps: true } })) });
    const box = sandbox({ 'transform/dbt/dbt_project.yml': 'name: metric\n' });
    expect(runContainer(withDeps.get('sluice-prepare')?.container as Container, box).status).toBe(0);
    expect(readFileSync(box.log, 'utf8')).toBe(`${join(box.root, 'volume/project/transform/dbt')}\tdeps\n`);
  });

  it('fails the run with a clear message when dbt_project.yml is not where dbtProjectDir says', () => {
    const box = sandbox({ 'dbt_project.yml': 'name: metric\n' });
    const prepare = runContainer(templates.get('sluice-prepare')?.container as Container, box);
    expect(prepare.status).toBe(1);
    expect(prepare.stderr).toContain('no dbt_project.yml in /workspace/project/transform/dbt'.replace('/workspace', join(box.root, 'volume')));
  });

  it('at the root (the default) nothing changes: steps work in the project copy', () => {
    const atRoot = templatesOf(irOf(nightly));
    for (const name of steps) expect(atRoot.get(name)?.container?.workingDir).toBe(`${VOLUME}/project`);
    const box = sandbox({ 'dbt_project.yml': 'name: metric\n' });
    expect(runContainer(atRoot.get('sluice-prepare')?.container as Container, box).status).toBe(0);
  });

  it('the prepare script passes shellcheck', () => {
    const script = (templates.get('sluice-prepare')?.container as Container).command[2] as string;
    expect(() => execFileSync('shellcheck', ['-s', 'sh', '-'], { input: script, encoding: 'utf8' })).not.toThrow();
  });
});
