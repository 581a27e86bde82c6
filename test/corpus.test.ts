/**
 * The bad-input corpus (in the style of actionlint's and zizmor's test corpora): every file in
 * test/corpus/bad/ is a project that must be refused. Its header says how:
 *   // expect: SLUICE_E_...      the one error code reported
 *   // target: argo              compile for this target (default: github)
 *   // exit: 2                   the exit code (default 1)
 *   // config: file.ts           pass --config (a missing file, for instance)
 *   // expect-line: N | none     where the error points, when not at the `// error-here` marker
 *   // env: NAME=value           set for the CLI (e.g. SLUICE_EVALUATION_TIMEOUT=1)
 *   // mkdir: path               create this directory in the project first
 *   // symlink: path -> target   create this symbolic link in the project first (target relative to it)
 *   // file: name                the lines that follow, up to the next `// file:`, are that file;
 *                                without any, the whole case is pipeline.ts (the config a default)
 * Each runs through the real CLI in a temp project: the code, `<file>:<line>:` of the marker's file,
 * no stack trace, and no file written or changed, in the project or beside it.
 * Files in test/corpus/good/ are tricky but valid.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compileProject } from '@sluice/compiler';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeProject, REPO_ROOT, SLUICE_BIN, snapshotTree } from './helpers/project.js';

const CORPUS = join(REPO_ROOT, 'test/corpus');
const CONFIG = "import { defineConfig } from '@sluice/sdk';\nexport default defineConfig({ target: 'github', targets: { argo: { image: 'ghcr.io/acme/dbt:1.10.2' } } });\n";

interface Case {
  name: string;
  files: Record<string, string>;
  expect: string;
  target: string;
  exit: number;
  config?: string;
  env: Record<string, string>;
  mkdirs: string[];
  symlinks: [string, string][];
  /** `<file>:<line>:` the error must point at. */
  where?: string;
}

function readCase(file: string): Case {
  const source = readFileSync(join(CORPUS, 'bad', file), 'utf8');
  const header = (key: string): string | undefined => new RegExp(`^// ${key}: (.+)$`, 'm').exec(source)?.[1]?.trim();
  const all = (key: string): string[] => [...source.matchAll(new RegExp(`^// ${key}: (.+)$`, 'gm'))].map((match) => (match[1] as string).trim());
  const files: Record<string, string> = {};
  const sections = source.split(/^\/\/ file: (.+)\n/m);
  if (sections.length === 1) files['pipeline.ts'] = source;
  for (let index = 1; index < sections.length; index += 2) files[(sections[index] as string).trim()] = sections[index + 1] as string;
  files['sluice.config.ts'] ??= CONFIG;
  const expectLine = header('expect-line');
  const config = header('config');
  const marked = Object.entries(files).find(([, content]) => content.includes('// error-here'));
  const markerLine = marked ? marked[1].split('\n').findIndex((line) => line.includes('// error-here')) + 1 : 0;
  const where = expectLine === 'none' ? undefined : `${marked?.[0] ?? 'pipeline.ts'}:${expectLine ? Number(expectLine) : markerLine}:`;
  return {
    name: file.replace(/\.ts$/, ''),
    files,
    expect: header('expect') ?? 'missing // expect: header',
    target: header('target') ?? 'github',
    exit: Number(header('exit') ?? 1),
    env: Object.fromEntries(all('env').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])),
    mkdirs: all('mkdir'),
    symlinks: all('symlink').map((pair) => pair.split(/\s*->\s*/) as [string, string]),
    ...(config ? { config } : {}),
    ...(where ? { where } : {}),
  };
}

function sluice(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SLUICE_BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A project in `<case>/project`, so that a write beside the project shows in the snapshot of `<case>`. */
function makeCaseProject(corpusCase: Case): { caseDir: string; project: string } {
  const caseDir = mkdtempSync(join(tmpdir(), 'sluice-corpus-'));
  const project = join(caseDir, 'project');
  for (const [path, content] of Object.entries(corpusCase.files)) {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    writeFileSync(join(project, path), content);
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
  for (const dir of corpusCase.mkdirs) mkdirSync(join(project, dir), { recursive: true });
  for (const [link, target] of corpusCase.symlinks) {
    mkdirSync(join(project, dirname(link), target), { recursive: true });
    mkdirSync(dirname(join(project, link)), { recursive: true });
    symlinkSync(target, join(project, link), 'dir');
  }
  return { caseDir, project };
}

const cases = readdirSync(join(CORPUS, 'bad')).filter((file) => file.endsWith('.ts')).sort().map(readCase);

describe('bad-input corpus', () => {
  it('has at least 40 cases, each with an expected code and a location', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const corpusCase of cases) {
      expect(corpusCase.expect, corpusCase.name).toMatch(/^SLUICE_E_[A-Z_]+$/);
      if (corpusCase.where !== undefined) expect(corpusCase.where, `${corpusCase.name} has no // error-here marker`).not.toMatch(/:0:$/);
    }
    console.log(`corpus: ${cases.length} bad inputs`);
  });

  it.concurrent.each(cases)('$name: refused with $expect, nothing written', async (corpusCase) => {
    const { caseDir, project } = makeCaseProject(corpusCase);
    const before = snapshotTree(caseDir);
    const args = ['compile', '--target', corpusCase.target, ...(corpusCase.config ? ['--config', corpusCase.config] : [])];
    const result = await sluice(project, args, corpusCase.env);
    const context = `${corpusCase.name}\n${result.stderr}`;
    expect(result.code, context).toBe(corpusCase.exit);
    const codes = [...result.stderr.matchAll(/error (SLUICE_E_[A-Z_]+)/g)].map((match) => match[1]);
    expect(new Set(codes), context).toEqual(new Set([corpusCase.expect]));
    if (corpusCase.where !== undefined) expect(result.stderr, context).toContain(corpusCase.where);
    expect(result.stderr, context).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
    expect(result.stdout).toBe('');
    expect(snapshotTree(caseDir)).toEqual(before);
  });
});

describe('tricky but valid inputs', () => {
  const goods = readdirSync(join(CORPUS, 'good')).filter((file) => file.endsWith('.ts'));
  it.each(goods)('%s compiles for every target, and YAML 1.1 and 1.2 readers see the same strings', async (file) => {
    const dir = makeProject({
      'sluice.config.ts': "import { defineConfig } from '@sluice/sdk';\nexport default defineConfig({ target: ['github', 'argo', 'entrypoint'], targets: { argo: { image: 'dbt:1' } } });\n",
      'pipeline.ts': readFileSync(join(CORPUS, 'good', file), 'utf8'),
    });
    const result = await compileProject({ cwd: dir });
    expect(result.diagnostics).toEqual([]);
    const yamlFiles = result.files.filter((f) => /\.ya?ml$/.test(f.path));
    expect(yamlFiles.length).toBeGreaterThanOrEqual(2);
    for (const generated of yamlFiles) {
      const documents = generated.content.split(/^---$/m);
      for (const document of documents) expect(parse(document, { version: '1.1' }), generated.path).toEqual(parse(document, { version: '1.2' }));
    }
    const workflow = parse(result.files.find((f) => f.path.endsWith('yes.yml'))?.content ?? '', { version: '1.1' });
    expect(workflow.jobs.yes).toBeTruthy();
    expect(workflow.on.workflow_dispatch.inputs.on.default).toBe('on');
    expect(workflow.on.schedule[0].cron).toBe('30 12 * * *');
  });
});
