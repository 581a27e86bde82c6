/**
 * `sluice check`: type-checks pipeline.ts and sluice.config.ts with the project's own TypeScript
 * (the native compiler when installed: it checks a small project in tens of milliseconds) and runs
 * every validation and every configured target's refusals, writing nothing to the project.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { DIAGNOSTIC_CODES, type Diagnostic, type SluiceIR } from '@sluice/sdk/ir';
import { compileProject } from './compile.js';
import { missingDbtAdvice, profileAdapter, readDbtRequirements } from './dbt-project.js';
import { loadConfig } from './config.js';

export interface CheckResult {
  diagnostics: Diagnostic[];
  /** Whether a TypeScript compiler was found to type-check with. */
  typeChecked: boolean;
}

export async function checkProject(cwd: string, configPath?: string): Promise<CheckResult> {
  const compiled = await compileProject({ cwd, ...(configPath ? { config: configPath } : {}) });
  const config = compiled.config ?? (await loadConfig(cwd, configPath).then((result) => (result.ok ? result.config : undefined)));
  if (!config) return { diagnostics: compiled.diagnostics, typeChecked: false };
  const types = await typeCheck(config.root, [config.entry, config.configFile]);
  const runtime = compiled.ir ? await runtimeDiagnostics(config.root, compiled.ir) : [];
  return { diagnostics: [...types.diagnostics, ...compiled.diagnostics, ...runtime], typeChecked: types.checked };
}

/**
 * A Python runtime whose requirements install no dbt (a repository whose CI calls dbt Cloud, say)
 * compiles fine and fails every run with `dbt: command not found`: say so once per requirements file.
 */
async function runtimeDiagnostics(root: string, ir: SluiceIR): Promise<Diagnostic[]> {
  const { parse } = await import('yaml');
  const readYaml = (file: string): unknown => {
    try {
      return parse(readFileSync(join(root, ir.dbtProjectDir, file), 'utf8'));
    } catch {
      return undefined;
    }
  };
  const project = readYaml('dbt_project.yml') as { name?: unknown; profile?: unknown } | undefined;
  const profileName = typeof project?.profile === 'string' ? project.profile : typeof project?.name === 'string' ? project.name : '';
  const adapter = profileAdapter(readYaml('profiles.yml'), profileName);
  const diagnostics: Diagnostic[] = [];
  const judged = new Set<string>();
  for (const pipeline of ir.pipelines) {
    if (pipeline.runtime.kind !== 'python' || pipeline.runtime.requirements === undefined) continue;
    const requirements = pipeline.runtime.requirements;
    if (judged.has(requirements)) continue;
    judged.add(requirements);
    const inRoot = join(root, requirements);
    const file = existsSync(inRoot) ? inRoot : join(root, ir.dbtProjectDir, requirements);
    const advice = missingDbtAdvice(readDbtRequirements(file), requirements, adapter);
    if (!advice) continue;
    diagnostics.push({ code: DIAGNOSTIC_CODES.NO_DBT_RUNTIME, ...advice, path: [`pipeline ${pipeline.name}`, 'runtime'], ...(pipeline.source ? { location: pipeline.source } : {}) });
  }
  return diagnostics;
}

async function typeCheck(root: string, files: string[]): Promise<{ diagnostics: Diagnostic[]; checked: boolean }> {
  let tsc: string;
  try {
    // The bin is not an export of the package: find it through package.json.
    const manifest = createRequire(join(root, 'package.json')).resolve('typescript/package.json');
    const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: { tsc?: string } }).bin?.tsc ?? './bin/tsc';
    tsc = join(dirname(manifest), bin);
  } catch {
    return { diagnostics: [], checked: false };
  }
  const dir = mkdtempSync(join(tmpdir(), 'sluice-check-'));
  const project = join(dir, 'tsconfig.json');
  writeFileSync(
    project,
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', skipLibCheck: true },
      files: files.map((file) => resolve(root, file)),
    }),
  );
  try {
    const output = await new Promise<string>((done) => execFile(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { cwd: root }, (_, stdout) => done(stdout)));
    const diagnostics: Diagnostic[] = [];
    for (const match of output.matchAll(/^(.+?)\((\d+),(\d+)\): error (TS\d+): (.+)$/gm)) {
      const [, file = '', line = '1', column = '1', code = '', message = ''] = match;
      // Every error, a dependency's included: the user's own tsc reports those too, and hiding them
      // would say "no problems" about a project that does not type-check.
      diagnostics.push({
        code: DIAGNOSTIC_CODES.TYPE_ERROR,
        message: `${message} (${code})`,
        hint: 'Fix the type error: the editor shows what this option expects.',
        path: [relative(root, resolve(root, file))],
        location: { file: relative(root, resolve(root, file)), line: Number(line), column: Number(column) },
      });
    }
    return { diagnostics, checked: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
