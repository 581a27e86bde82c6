/**
 * Finds and loads sluice.config.ts, and resolves every setting to its default.
 *
 * The config is hostile input like pipeline.ts (docs/security.md). In this order, each step only
 * when the one before found nothing:
 * 1. "plain data": the default export is copied to plain data once (no Proxy, getter, class
 *    instance or cycle survives; functions only where the config type has them), so every later
 *    rule and the writer see the same values;
 * 2. "config types": the copy is type-checked against a schema (zod) before any other rule;
 * 3. "one string checker": every string in it, found by walking it, passes the same checker as
 *    pipeline.ts strings; output and project paths stay relative and inside the project.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { types } from 'node:util';
import { TARGET_NAMES, TARGET_REGISTRY } from '@sluice/targets';
import { DIAGNOSTIC_CODES, stringProblems, type Diagnostic, type SluiceConfig, type SourceLocation, type TargetName } from '@sluice/sdk/ir';
import { DEFAULT_EVALUATION_TIMEOUT_SECONDS, loadTypeScriptModule } from './loader.js';

const CONFIG_FILE = 'sluice.config.ts';
export const DEFAULT_ENTRY = 'pipeline.ts';
/** Overrides the default evaluation time limit (seconds) for the config and pipeline.ts. */
const TIMEOUT_ENV = 'SLUICE_EVALUATION_TIMEOUT';

export interface ResolvedConfig {
  /** The directory holding the config: every path is relative to it. */
  root: string;
  configFile: string;
  entry: string;
  /** The targets to emit, in order. */
  targets: readonly TargetName[];
  dbtProjectDir: string;
  targetOptions: NonNullable<SluiceConfig['targets']>;
  pipelinesMarkdown?: string;
  /** Seconds pipeline.ts may take to evaluate. */
  evaluationTimeoutSeconds: number;
  /** The dbt version set in the config (else it is learnt from the runtime). */
  dbtVersion?: string;
}

/** `inputs`: the config file and every module it imports (absolute), for --watch. */
export type ConfigResult = { ok: true; config: ResolvedConfig; inputs: string[] } | { ok: false; diagnostics: Diagnostic[] };

/** The time limit from the environment, or the default. */
function environmentTimeoutSeconds(): number {
  const value = Number(process.env[TIMEOUT_ENV]);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_EVALUATION_TIMEOUT_SECONDS;
}

/** The config file `--config` (or the default) names, absolute: known even when it cannot be read. */
export function configFilePath(cwd: string, configPath?: string): string {
  return resolve(cwd, configPath ?? CONFIG_FILE);
}

export async function loadConfig(cwd: string, configPath?: string, timeoutSeconds?: number): Promise<ConfigResult> {
  const file = configFilePath(cwd, configPath);
  if (!existsSync(file)) {
    return fail(DIAGNOSTIC_CODES.CONFIG_NOT_FOUND, `No config file at ${relative(cwd, file) || file}.`, configPath
      ? 'Check the --config path.'
      : `Create ${CONFIG_FILE} (export default defineConfig({ entry: 'pipeline.ts', target: 'github' })) or pass --config.`);
  }
  const root = dirname(file);
  const loaded = await loadTypeScriptModule(root, file, { timeoutSeconds: timeoutSeconds ?? environmentTimeoutSeconds() });
  if (!loaded.ok) return loaded;
  const where = relative(root, file);
  const locate = locator(where, readSource(file));

  let exported: unknown;
  try {
    exported = loaded.module.exports.default;
  } catch {
    exported = undefined;
  }
  if (typeof exported !== 'object' || exported === null) {
    return { ok: false, diagnostics: [configProblem(where, `${where} has no default export.`, 'Add `export default defineConfig({ ... })`.', locate([]))] };
  }
  const copied = plainData(exported);
  if (!copied.ok) return { ok: false, diagnostics: [configProblem(where, `${copied.at.join('.') || 'The config'}: ${copied.why}.`, 'Write the config as plain data: object literals, arrays, strings, numbers, booleans (functions only for override).', locate(copied.at))] };

  const { configSchema } = await import('./config-schema.js');
  const parsed = configSchema.safeParse(copied.value);
  if (!parsed.success) {
    return {
      ok: false,
      diagnostics: parsed.error.issues.map((issue) => {
        const at = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
        return configProblem(where, `${at.join('.') || 'The config'}: ${issue.message}.`, 'Check the type of this setting (the editor shows the expected type).', locate(at));
      }),
    };
  }
  const settings = copied.value as SluiceConfig & { evaluationTimeoutSeconds?: number };

  const problems: Diagnostic[] = [];
  for (const { value, at } of configStrings(settings)) {
    for (const found of stringProblems({ value, what: `setting ${at.join('.')}` })) problems.push({ ...found, path: [where, at.join('.')], ...withLocation(locate(at)) });
  }
  for (const key of ['entry', 'dbtProjectDir'] as const) {
    const value = settings[key];
    if (value !== undefined && !isInsidePath(value)) problems.push(configProblem(where, `'${key}' must be a path inside the project.`, 'Give a relative path without `..`.', locate([key])));
  }
  for (const at of OUTPUT_PATHS) {
    const value = valueAt(settings, at);
    if (typeof value === 'string' && !isInsidePath(value)) {
      problems.push({
        code: DIAGNOSTIC_CODES.OUTPUT_OUTSIDE_PROJECT,
        message: `'${at.join('.')}' points outside the project; generated files stay inside it.`,
        hint: 'Give a relative path without `..`.',
        path: [where, at.join('.')],
        ...withLocation(locate(at)),
      });
    }
  }
  if (problems.length > 0) return { ok: false, diagnostics: problems };
  const targets: readonly TargetName[] = settings.target === undefined ? ['github'] : typeof settings.target === 'string' ? [settings.target] : settings.target;
  const resolved: ResolvedConfig = {
    root,
    configFile: where,
    entry: settings.entry ?? DEFAULT_ENTRY,
    targets,
    dbtProjectDir: settings.dbtProjectDir ?? '.',
    targetOptions: settings.targets ?? {},
    ...(settings.pipelinesMarkdown ? { pipelinesMarkdown: settings.pipelinesMarkdown } : {}),
    evaluationTimeoutSeconds: settings.evaluationTimeoutSeconds ?? environmentTimeoutSeconds(),
    ...(typeof settings.dbtVersion === 'string' ? { dbtVersion: settings.dbtVersion } : {}),
  };
  if (!existsSync(join(root, resolved.entry))) {
    return fail(DIAGNOSTIC_CODES.ENTRY_NOT_FOUND, `The pipeline file ${resolved.entry} does not exist.`, `Create it, or set 'entry' in ${where}.`);
  }
  return { ok: true, config: resolved, inputs: loaded.module.inputs };
}

/** Config settings that name a file or directory Sluice writes. */
const OUTPUT_PATHS: readonly (readonly string[])[] = [['pipelinesMarkdown'], ...TARGET_NAMES.flatMap((name) => TARGET_REGISTRY[name].outputSettings.map((setting) => ['targets', name, ...setting.split('.')]))];

function isInsidePath(value: string): boolean {
  return value !== '' && !isAbsolute(value) && !/^[A-Za-z]:/.test(value) && !value.split(/[\\/]/).includes('..');
}

function valueAt(value: unknown, at: readonly string[]): unknown {
  let current = value;
  for (const key of at) current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

/** Every string (values and keys) in the (plain) config with its key path: walked, not listed, so new settings are covered. */
export function configStrings(config: unknown): { value: string; at: (string | number)[] }[] {
  const found: { value: string; at: (string | number)[] }[] = [];
  const stack: { value: unknown; at: (string | number)[] }[] = [{ value: config, at: [] }];
  while (stack.length > 0) {
    const { value, at } = stack.pop() as { value: unknown; at: (string | number)[] };
    if (typeof value === 'string') found.push({ value, at });
    else if (Array.isArray(value)) value.forEach((item, index) => stack.push({ value: item, at: [...at, index] }));
    else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        // Keys of maps (resources, secrets) are written out too.
        found.push({ value: key, at: [...at, key] });
        stack.push({ value: item, at: [...at, key] });
      }
    }
  }
  return found.reverse();
}

const MAX_DEPTH = 32;
type Copied = { ok: true; value: unknown } | { ok: false; why: string; at: (string | number)[] };

/**
 * A plain-data copy of a config value: objects with Object's or a null prototype, arrays,
 * strings, finite numbers, booleans; functions only under `override`. Anything else (a Proxy, a
 * getter, a class instance, a cycle, a symbol key's value) is refused rather than trusted.
 */
function plainData(value: unknown, at: (string | number)[] = [], depth = 0, ancestors: Set<object> = new Set()): Copied {
  try {
    if (typeof value === 'string' || typeof value === 'boolean') return { ok: true, value };
    if (typeof value === 'number') return Number.isFinite(value) ? { ok: true, value } : { ok: false, why: 'not a finite number', at };
    if (value === undefined) return { ok: true, value };
    if (typeof value === 'function') return at[at.length - 1] === 'override' ? { ok: true, value } : { ok: false, why: 'a function where data is expected', at };
    if (typeof value !== 'object' || value === null) return { ok: false, why: `a ${value === null ? 'null' : typeof value} where data is expected`, at };
    if (types.isProxy(value)) return { ok: false, why: 'a Proxy (its values could change between the check and the write)', at };
    if (ancestors.has(value)) return { ok: false, why: 'it contains itself', at };
    if (depth > MAX_DEPTH) return { ok: false, why: `nested more than ${MAX_DEPTH} levels deep`, at };
    const prototype = Object.getPrototypeOf(value) as unknown;
    const isArray = Array.isArray(value);
    if (!isArray && prototype !== Object.prototype && prototype !== null) return { ok: false, why: 'an instance of a class, not a plain object', at };
    ancestors.add(value);
    const copy: Record<string, unknown> | unknown[] = isArray ? [] : {};
    for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
      if (isArray && key === 'length') continue;
      if (!('value' in descriptor)) return { ok: false, why: 'a getter or setter (its value could change between the check and the write)', at: [...at, key] };
      if (!descriptor.enumerable) continue;
      const child = plainData(descriptor.value, [...at, isArray ? Number(key) : key], depth + 1, ancestors);
      if (!child.ok) return child;
      (copy as Record<string, unknown>)[key] = child.value;
    }
    ancestors.delete(value);
    return { ok: true, value: copy };
  } catch {
    return { ok: false, why: 'it could not be read', at };
  }
}

/**
 * The config line of a setting: each key of the path is searched for (as `key:` or `'key':`) from
 * the line of the key before it. Good enough for object literals; the file's first line otherwise.
 */
function locator(file: string, source: string): (at: readonly (string | number)[]) => SourceLocation {
  const lines = source.split('\n');
  return (at) => {
    let line = 0;
    let column = 0;
    for (const key of at) {
      if (typeof key !== 'string') continue;
      // `key:`, `'key':`, a shorthand `key,` or a getter `get key()`.
      const pattern = new RegExp(`(^|[\\s{,])(get\\s+)?(['"]?)${key.replace(/[^A-Za-z0-9_$]/g, '\\$&')}\\3\\s*(:|\\(|,|}|$|//)`);
      const found = lines.findIndex((text, index) => index >= line && pattern.test(text));
      if (found < 0) break;
      line = found;
      const match = pattern.exec(lines[found] as string);
      column = (match?.index ?? 0) + (match?.[1]?.length ?? 0) + 1;
    }
    if (at.length === 0) {
      const exported = lines.findIndex((text) => text.includes('export default'));
      if (exported >= 0) line = exported;
    }
    return { file, line: line + 1, column: Math.max(column, 1) };
  };
}

function readSource(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function withLocation(location: SourceLocation | undefined): { location?: SourceLocation } {
  return location ? { location } : {};
}

function configProblem(file: string, message: string, hint: string, location?: SourceLocation): Diagnostic {
  return { code: DIAGNOSTIC_CODES.CONFIG_INVALID, message, hint, path: [file], ...withLocation(location) };
}

function fail(code: Diagnostic['code'], message: string, hint: string): ConfigResult {
  return { ok: false, diagnostics: [{ code, message, hint, path: [] }] };
}
