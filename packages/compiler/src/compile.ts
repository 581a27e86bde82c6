/**
 * compile(): the pure core behind every command. Loads the config and pipeline.ts, lowers and
 * validates, and asks the chosen target for files. Nothing here writes to the project.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { DIAGNOSTIC_CODES, isPipeline, type Diagnostic, type Pipeline, type SluiceIR, type TargetName } from '@sluice/sdk/ir';
import { headerComment, isTargetName, loadTarget, TARGET_NAMES, type GeneratedFile } from '@sluice/targets';
import { detectDbtVersion } from './dbt-version.js';
import { pipelinesMarkdown } from './mermaid.js';
import { configFilePath, DEFAULT_ENTRY, loadConfig, type ResolvedConfig } from './config.js';
import { irShapeCheck } from './ir-shape.js';
import { errorMessage, loadTypeScriptModule } from './loader.js';
import { lower } from './lower.js';
import { sortDiagnostics, validate } from './validate.js';

export interface CompileRequest {
  /** Where to look for sluice.config.ts. */
  cwd: string;
  /** --config */
  config?: string;
  /** --target, overriding the config. */
  target?: string;
  /** --timeout: seconds the config and pipeline.ts may take to evaluate, overriding the config. */
  timeoutSeconds?: number;
}

export type ProjectResult =
  | { ok: true; config: ResolvedConfig; ir: SluiceIR; diagnostics: []; inputs: string[] }
  | { ok: false; config?: ResolvedConfig; ir?: SluiceIR; diagnostics: Diagnostic[]; inputs: string[] };

/** Loads, lowers and validates the project's pipelines. */
export async function loadProject(request: CompileRequest): Promise<ProjectResult> {
  const configResult = await loadConfig(request.cwd, request.config, request.timeoutSeconds);
  if (!configResult.ok) {
    // An unreadable config still names the files to watch: itself, the entry it would default to,
    // and any module its errors point at.
    const configFile = configFilePath(request.cwd, request.config);
    const root = dirname(configFile);
    return { ok: false, diagnostics: configResult.diagnostics, inputs: [configFile, join(root, DEFAULT_ENTRY), ...filesNamedIn(configResult.diagnostics, root)] };
  }
  const config = configResult.config;
  const loaded = await loadTypeScriptModule(config.root, join(config.root, config.entry), { timeoutSeconds: request.timeoutSeconds ?? config.evaluationTimeoutSeconds });
  const configInputs = [join(config.root, config.configFile), ...configResult.inputs];
  if (!loaded.ok) return { ok: false, config, diagnostics: loaded.diagnostics, inputs: unique([...configInputs, join(config.root, config.entry), ...filesNamedIn(loaded.diagnostics, config.root)]) };
  const inputs = unique([...configInputs, ...loaded.module.inputs]);

  const pipelines = discoverPipelines(loaded.module.exports);
  if (pipelines.length === 0) {
    return {
      ok: false,
      config,
      inputs,
      diagnostics: [
        {
          code: DIAGNOSTIC_CODES.NO_PIPELINES,
          message: `${config.entry} exports no pipeline.`,
          hint: "Export each pipeline: `export const full = pipeline('full', { ... })`.",
          path: [config.entry],
          location: { file: config.entry, line: 1, column: 1 },
        },
      ],
    };
  }
  const dbtDir = join(config.root, config.dbtProjectDir);
  const dbtVersion = detectDbtVersion(config.root, config.dbtProjectDir, config.dbtVersion, pipelines);
  const { ir, diagnostics, incomplete, facts } = lowerSafely(pipelines, {
    source: config.entry,
    dbtProjectDir: config.dbtProjectDir,
    dbtVersion: dbtVersion?.version,
    dbtVersionSource: dbtVersion?.source,
    hasDbtPackages: existsSync(join(dbtDir, 'packages.yml')) || existsSync(join(dbtDir, 'dependencies.yml')),
    mapLocation: loaded.module.mapLocation,
    locateError: loaded.module.locateError,
  });
  // The type check runs inside validation, between the rules that read raw values and those that
  // assume a well-typed IR; zod is loaded only when the generated shape check says no.
  const checkTypes = irShapeCheck?.(ir) ? undefined : await schemaCheck();
  const problems = sortDiagnostics([...diagnostics, ...validate(ir, { incomplete, facts, ...(checkTypes ? { checkTypes } : {}) })]);
  return problems.length > 0 ? { ok: false, config, ir, diagnostics: problems, inputs } : { ok: true, config, ir, diagnostics: [], inputs };
}

/**
 * The project files a failed build or evaluation points at (a syntax error in an imported module):
 * esbuild lists no inputs when it fails, yet fixing that file must trigger the next compile.
 */
function filesNamedIn(diagnostics: readonly Diagnostic[], root: string): string[] {
  const files = diagnostics.flatMap((diagnostic) => (diagnostic.location ? [resolve(root, diagnostic.location.file)] : []));
  return unique(files).filter((file) => file.startsWith(root + sep) && !file.split(sep).includes('node_modules'));
}

/**
 * Lowers and validates DSL pipelines built in-process (no pipeline.ts, no locations): for tests,
 * benchmarks and programs that build pipelines themselves.
 */
export function buildIR(pipelines: readonly Pipeline[], options: { dbtProjectDir?: string; hasDbtPackages?: boolean; dbtVersion?: string } = {}): { ir: SluiceIR; diagnostics: Diagnostic[] } {
  const { ir, diagnostics, incomplete, facts } = lowerSafely(pipelines, {
    source: 'pipeline.ts',
    dbtVersion: options.dbtVersion,
    dbtVersionSource: options.dbtVersion === undefined ? undefined : 'the build options',
    dbtProjectDir: options.dbtProjectDir ?? '.',
    hasDbtPackages: options.hasDbtPackages ?? false,
    mapLocation: () => undefined,
    locateError: () => undefined,
  });
  return { ir, diagnostics: [...diagnostics, ...validate(ir, { incomplete, facts })] };
}

/**
 * Lowering reads DSL objects the user built; a value of the wrong type in an option (`needs: 5`,
 * `shell(42)`) may make it throw. Each pipeline is then lowered alone, so a throw becomes a coded
 * error at that pipeline, and the other pipelines' problems are still reported.
 */
function lowerSafely(pipelines: readonly Pipeline[], context: Parameters<typeof lower>[1]): ReturnType<typeof lower> {
  try {
    return lower(pipelines, context);
  } catch {
    const results = pipelines.map((pipeline) => {
      try {
        return lower([pipeline], context);
      } catch (error) {
        const location = context.mapLocation(pipeline.location);
        const failed: Diagnostic = {
          code: DIAGNOSTIC_CODES.UNREADABLE_PIPELINE,
          message: `Pipeline '${String(pipeline.name)}' has an option of the wrong type (${errorMessage(error)}).`,
          hint: 'Check the types of the options of this pipeline and its steps (the editor shows the expected types).',
          path: [`pipeline ${String(pipeline.name)}`],
          ...(location ? { location } : {}),
        };
        return { ir: undefined, diagnostics: [failed], incomplete: new Set([String(pipeline.name)]), facts: new Map() };
      }
    });
    const lowered = results.flatMap((result) => result.ir?.pipelines ?? []);
    const base = results.find((result) => result.ir)?.ir ?? lower([], context).ir;
    return {
      ir: { ...base, pipelines: lowered },
      diagnostics: results.flatMap((result) => result.diagnostics),
      incomplete: new Set(results.flatMap((result) => [...result.incomplete])),
      facts: new Map(results.flatMap((result) => [...result.facts])),
    };
  }
}

/** Exported pipelines, each once, sorted by name (module namespaces have no declaration order). */
export function discoverPipelines(exports: Record<string, unknown>): Pipeline[] {
  const found = new Set<Pipeline>();
  for (const value of Object.values(exports)) if (isPipeline(value)) found.add(value);
  return [...found].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The IR must match its schema; a mismatch means a value of the wrong type reached the DSL. The
 * generated shape check answers first (microseconds); zod loads only to explain a mismatch.
 */
async function schemaCheck(): Promise<(ir: SluiceIR) => Diagnostic[]> {
  const { irSchema } = await import('@sluice/sdk/schema');
  return (ir) => schemaProblems(ir, irSchema);
}

function schemaProblems(ir: SluiceIR, irSchema: typeof import('@sluice/sdk/schema').irSchema): Diagnostic[] {
  const parsed = irSchema.safeParse(ir);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const [, pipelineIndex, , stepIndex] = issue.path;
    const pipeline = typeof pipelineIndex === 'number' ? ir.pipelines[pipelineIndex] : undefined;
    const step = pipeline && typeof stepIndex === 'number' && issue.path[2] === 'steps' ? pipeline.steps[stepIndex] : undefined;
    const location = step?.source ?? pipeline?.source;
    return {
      code: DIAGNOSTIC_CODES.WRONG_TYPE,
      message: `Invalid value at ${issue.path.join('.')}: ${issue.message}.`,
      hint: 'Check the type of this option (the editor shows the expected type).',
      path: [pipeline ? `pipeline ${pipeline.name}` : '', step ? `step ${step.id}` : ''].filter(Boolean),
      ...(location ? { location } : {}),
    };
  });
}

export interface CompileResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  config?: ResolvedConfig;
  ir?: SluiceIR;
  targets: TargetName[];
  files: GeneratedFile[];
  /** Directories the targets write into (relative to the root), for finding outdated files. */
  outputDirs: string[];
  /** The files this compile read (absolute), for --watch; after a failure, those it knows it needs. */
  inputs: string[];
  /** What the compile chose to say (a pipeline skipped on a target it is not for). */
  notes?: string[];
}

export async function compileProject(request: CompileRequest): Promise<CompileResult> {
  const project = await loadProject(request);
  if (!project.ok) return { ok: false, diagnostics: project.diagnostics, targets: [], files: [], outputDirs: [], inputs: project.inputs, ...withConfig(project.config) };
  const targets = request.target !== undefined ? [request.target] : [...project.config.targets];
  const unknown = targets.filter((name) => !isTargetName(name));
  if (unknown.length > 0) {
    return {
      ok: false,
      diagnostics: unknown.map((name) => ({ code: DIAGNOSTIC_CODES.UNKNOWN_TARGET, message: `Unknown target '${name}'.`, hint: `Use one of: ${TARGET_NAMES.join(', ')}.`, path: [] })),
      targets: [],
      files: [],
      outputDirs: [],
      inputs: project.inputs,
      config: project.config,
    };
  }
  const result: CompileResult = { ok: true, diagnostics: [], config: project.config, ir: project.ir, targets: targets as TargetName[], files: [], outputDirs: [], inputs: project.inputs, notes: [] };
  const misnamed = project.ir.pipelines.flatMap((pipeline) => (pipeline.targets ?? []).filter((name) => !isTargetName(name)).map((name) => ({ pipeline, name })));
  if (misnamed.length > 0) {
    return {
      ...result,
      ok: false,
      diagnostics: misnamed.map(({ pipeline, name }) => ({
        code: DIAGNOSTIC_CODES.UNKNOWN_TARGET,
        message: `Pipeline '${pipeline.name}' names the unknown target '${name}' in its targets.`,
        hint: `Use one of: ${TARGET_NAMES.join(', ')}.`,
        path: [`pipeline ${pipeline.name}`],
        ...(pipeline.source ? { location: pipeline.source } : {}),
      })),
    };
  }
  for (const name of targets as TargetName[]) {
    const { ir, skipped } = pipelinesFor(project.ir, name);
    for (const pipeline of skipped) result.notes?.push(`pipeline ${pipeline.name} is for ${(pipeline.targets ?? []).join(', ')}: skipped on ${name}`);
    const emitted = await emitFor(ir, name, project.config);
    result.ok &&= emitted.ok;
    result.diagnostics.push(...emitted.diagnostics);
    result.files.push(...emitted.files);
    result.outputDirs.push(...emitted.outputDirs);
  }
  if (project.config.pipelinesMarkdown && request.target === undefined) {
    const header = headerComment({ owner: 'docs', source: project.ir.source, contents: 'pipeline diagrams' }, 'html');
    result.files.push({ path: project.config.pipelinesMarkdown, content: pipelinesMarkdown(project.ir.pipelines, header) });
  }
  return result;
}

export async function emitFor<Name extends TargetName>(ir: SluiceIR, targetName: Name, config: Pick<ResolvedConfig, 'targetOptions'>): Promise<Pick<CompileResult, 'ok' | 'diagnostics' | 'files' | 'outputDirs'>> {
  if (!isTargetName(targetName)) {
    return {
      ok: false,
      diagnostics: [
        {
          code: DIAGNOSTIC_CODES.TARGET_UNSUPPORTED,
          message: `The ${targetName} target is not available in this version of Sluice.`,
          hint: `Use one of: ${TARGET_NAMES.join(', ')}.`,
          path: [],
        },
      ],
      files: [],
      outputDirs: [],
    };
  }
  const { target, options } = await loadTarget(targetName, config.targetOptions[targetName]);
  let result: ReturnType<typeof target.emit>;
  try {
    result = target.emit(ir, options);
  } catch (error) {
    // Only the user's override runs user code inside an emitter; anything else is our bug.
    if (typeof (options as { override?: unknown }).override !== 'function') throw error;
    return {
      ok: false,
      diagnostics: [
        {
          code: DIAGNOSTIC_CODES.OVERRIDE_THREW,
          message: `targets.${targetName}.override threw: ${errorMessage(error)}`,
          hint: 'Fix the override in sluice.config.ts so it returns the object to write.',
          path: ['sluice.config.ts', `targets.${targetName}.override`],
        },
      ],
      files: [],
      outputDirs: [],
    };
  }
  // Checks that need a heavy module (Argo's schema) run only once the cheap ones passed.
  const diagnostics = result.diagnostics.length === 0 && result.lateChecks ? await result.lateChecks() : result.diagnostics;
  const ok = diagnostics.length === 0;
  return { ok, diagnostics, files: ok ? result.files : [], outputDirs: target.outputDirs(options) };
}

/** The IR a target emits: the pipelines that name it in `targets`, or name no targets at all. */
function pipelinesFor(ir: SluiceIR, target: TargetName): { ir: SluiceIR; skipped: SluiceIR['pipelines'] } {
  const isFor = (pipeline: SluiceIR['pipelines'][number]): boolean => pipeline.targets === undefined || pipeline.targets.includes(target);
  return { ir: { ...ir, pipelines: ir.pipelines.filter(isFor) }, skipped: ir.pipelines.filter((pipeline) => !isFor(pipeline)) };
}

function unique(files: readonly string[]): string[] {
  return [...new Set(files)];
}

function withConfig(config: ResolvedConfig | undefined): { config?: ResolvedConfig } {
  return config ? { config } : {};
}
