/**
 * The bad-input corpus (in the style of actionlint's and zizmor's test corpora): every file in
 * test/corpus/bad/ is a pipeline.ts that must be refused. Its header says how:
 *   // expect: SLUICE_E_...      the one error code reported
 *   // target: argo              compile for this target (default: github)
 *   // exit: 2                   the exit code (default 1)
 *   // config: file.ts           pass --config (a missing file, for instance)
 *   // expect-line: N | none     where the error points, when not at the `// error-here` marker
 * Each runs through the real CLI in a temp project: the code, `pipeline.ts:<line>:`, no stack trace,
 * and no file written or changed. Files in test/corpus/good/ are tricky but valid.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileProject } from '@sluice/compiler';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeProject, REPO_ROOT, SLUICE_BIN, snapshotTree } from './helpers/project.js';

const CORPUS = join(REPO_ROOT, 'test/corpus');
const CONFIG = "import { defineConfig } from '@sluice/sdk';\nexport default defineConfig({ target: 'github', targets: { argo: { image: 'ghcr.io/acme/dbt:1.10.2' } } });\n";

interface Case {
  name: string;
  source: string;
  expect: string;
  target: string;
  exit: number;
  config?: string;
  line?: number;
}

function readCase(file: string): Case {
  const source = readFileSync(join(CORPUS, 'bad', file), 'utf8');
  const header = (key: string): string | undefined => new RegExp(`^// ${key}: (.+)$`, 'm').exec(source)?.[1]?.trim();
  const markerLine = source.split('\n').findIndex((line) => line.includes('// error-here')) + 1;
  const expectLine = header('expect-line');
  const config = header('config');
  return {
    name: file.replace(/\.ts$/, ''),
    source,
    expect: header('expect') ?? 'missing // expect: header',
    target: header('target') ?? 'github',
    exit: Number(header('exit') ?? 1),
    ...(config ? { config } : {}),
    ...(expectLine === 'none' ? {} : { line: expectLine ? Number(expectLine) : markerLine }),
  };
}

function sluice(cwd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SLUICE_BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const cases = readdirSync(join(CORPUS, 'bad')).filter((file) => file.endsWith('.ts')).sort().map(readCase);

describe('bad-input corpus', () => {
  it('has at least 40 cases, each with an expected code and a location', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const corpusCase of cases) {
      expect(corpusCase.expect, corpusCase.name).toMatch(/^SLUICE_E_[A-Z_]+$/);
      if (corpusCase.line !== undefined) expect(corpusCase.line, `${corpusCase.name} has no // error-here marker`).toBeGreaterThan(0);
    }
    console.log(`corpus: ${cases.length} bad inputs`);
  });

  it.concurrent.each(cases)('$name: refused with $expect, nothing written', async (corpusCase) => {
    const dir = makeProject({ 'sluice.config.ts': CONFIG, 'pipeline.ts': corpusCase.source });
    const before = snapshotTree(dir);
    const args = ['compile', '--target', corpusCase.target, ...(corpusCase.config ? ['--config', corpusCase.config] : [])];
    const result = await sluice(dir, args);
    const context = `${corpusCase.name}\n${result.stderr}`;
    expect(result.code, context).toBe(corpusCase.exit);
    const codes = [...result.stderr.matchAll(/error (SLUICE_E_[A-Z_]+)/g)].map((match) => match[1]);
    expect(new Set(codes), context).toEqual(new Set([corpusCase.expect]));
    if (corpusCase.line !== undefined) expect(result.stderr, context).toContain(`pipeline.ts:${corpusCase.line}:`);
    expect(result.stderr, context).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
    expect(result.stdout).toBe('');
    expect(snapshotTree(dir)).toEqual(before);
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
