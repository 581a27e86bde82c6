/** Finds and loads sluice.config.ts, and resolves every setting to its default. */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { DIAGNOSTIC_CODES, isConfig, type Diagnostic, type SluiceConfig, type TargetName } from '@sluice/sdk';
import { loadTypeScriptModule } from './loader.js';

export const CONFIG_FILE = 'sluice.config.ts';
export const TARGET_NAMES: readonly TargetName[] = ['github', 'argo', 'entrypoint'];

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
  /** The dbt version set in the config (else it is learnt from the runtime). */
  dbtVersion?: string;
}

export type ConfigResult = { ok: true; config: ResolvedConfig } | { ok: false; diagnostics: Diagnostic[] };

export async function loadConfig(cwd: string, configPath?: string): Promise<ConfigResult> {
  const file = resolve(cwd, configPath ?? CONFIG_FILE);
  if (!existsSync(file)) {
    return fail(DIAGNOSTIC_CODES.CONFIG_NOT_FOUND, `No config file at ${relative(cwd, file) || file}.`, configPath
      ? 'Check the --config path.'
      : `Create ${CONFIG_FILE} (export default defineConfig({ entry: 'pipeline.ts', target: 'github' })) or pass --config.`);
  }
  const root = dirname(file);
  const loaded = await loadTypeScriptModule(root, file);
  if (!loaded.ok) return loaded;
  const config = loaded.module.exports.default;
  const where = relative(root, file);
  if (!isConfig(config) && (typeof config !== 'object' || config === null)) {
    return fail(DIAGNOSTIC_CODES.CONFIG_INVALID, `${where} has no default export.`, 'Add `export default defineConfig({ ... })`.');
  }
  const settings = config as SluiceConfig;
  const problems: Diagnostic[] = [];
  const targets: readonly TargetName[] = settings.target === undefined ? ['github'] : typeof settings.target === 'string' ? [settings.target] : settings.target;
  for (const target of targets) {
    if (!TARGET_NAMES.includes(target)) problems.push(configProblem(where, `Unknown target '${String(target)}'.`, `Use one of: ${TARGET_NAMES.join(', ')}.`));
  }
  for (const key of ['entry', 'dbtProjectDir', 'pipelinesMarkdown'] as const) {
    const value = settings[key];
    if (value !== undefined && (typeof value !== 'string' || isAbsolute(value) || value.split('/').includes('..'))) {
      problems.push(configProblem(where, `'${key}' must be a path inside the project.`, 'Give a relative path without `..`.'));
    }
  }
  if (problems.length > 0) return { ok: false, diagnostics: problems };
  const resolved: ResolvedConfig = {
    root,
    configFile: where,
    entry: settings.entry ?? 'pipeline.ts',
    targets,
    dbtProjectDir: settings.dbtProjectDir ?? '.',
    targetOptions: settings.targets ?? {},
    ...(settings.pipelinesMarkdown ? { pipelinesMarkdown: settings.pipelinesMarkdown } : {}),
    ...(typeof settings.dbtVersion === 'string' ? { dbtVersion: settings.dbtVersion } : {}),
  };
  if (!existsSync(join(root, resolved.entry))) {
    return fail(DIAGNOSTIC_CODES.ENTRY_NOT_FOUND, `The pipeline file ${resolved.entry} does not exist.`, `Create it, or set 'entry' in ${where}.`);
  }
  return { ok: true, config: resolved };
}

function configProblem(file: string, message: string, hint: string): Diagnostic {
  return { code: DIAGNOSTIC_CODES.CONFIG_INVALID, message, hint, path: [file] };
}

function fail(code: Diagnostic['code'], message: string, hint: string): ConfigResult {
  return { ok: false, diagnostics: [{ code, message, hint, path: [] }] };
}
