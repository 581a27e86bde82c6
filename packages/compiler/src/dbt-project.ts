/**
 * Facts about a dbt repository that `init` and `check` need and that live outside pipeline.ts: the
 * environment variables profiles.yml reads with `env_var()`, and whether the Python runtime would
 * install dbt at all. Read-only, and tolerant: a file that is missing or unreadable yields "unknown",
 * never an exception.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One `env_var('NAME')` or `env_var('NAME', 'default')` call in profiles.yml. */
export interface ProfileEnvVar {
  name: string;
  /** A default makes the variable optional: dbt uses it when the variable is unset. */
  hasDefault: boolean;
}

// Jinja in profiles.yml: env_var('NAME') or env_var("NAME", 'fallback'), whitespace allowed.
const ENV_VAR_CALL = /env_var\(\s*(['"])([A-Za-z_][A-Za-z0-9_]*)\1\s*(,)?/g;

/**
 * The variables read by the outputs named `targets` of `profile` (all outputs when `targets` is empty),
 * sorted by name. A variable read once without a default is required, whatever other reads say.
 */
export function profileEnvVars(profiles: unknown, profile: string, targets: readonly string[]): ProfileEnvVar[] {
  const outputs = (profiles as Record<string, { outputs?: Record<string, unknown> } | undefined> | undefined)?.[profile]?.outputs ?? {};
  const chosen = targets.length > 0 ? targets.filter((name) => name in outputs) : Object.keys(outputs);
  const found = new Map<string, boolean>();
  for (const target of chosen) {
    for (const text of strings(outputs[target])) {
      for (const match of text.matchAll(ENV_VAR_CALL)) {
        const name = match[2] ?? '';
        const hasDefault = match[3] === ',';
        found.set(name, (found.get(name) ?? true) && hasDefault);
      }
    }
  }
  return [...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, hasDefault]) => ({ name, hasDefault }));
}

/** The adapter `type:` of the profile's outputs (`snowflake`, `bigquery`, ...), when one is named. */
export function profileAdapter(profiles: unknown, profile: string): string | undefined {
  const outputs = (profiles as Record<string, { outputs?: Record<string, { type?: unknown } | undefined> } | undefined> | undefined)?.[profile]?.outputs ?? {};
  for (const output of Object.values(outputs)) if (typeof output?.type === 'string' && /^[a-z][a-z0-9_-]*$/.test(output.type)) return output.type;
  return undefined;
}

function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* strings(item);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) yield* strings(item);
}

/** What a requirements file installs, as far as dbt is concerned. */
export interface DbtRequirements {
  /** The file could not be read. */
  readable: boolean;
  /** `dbt-core` is named. */
  core: boolean;
  /** Adapter packages named (`dbt-snowflake`, ...): each brings dbt-core with it. */
  adapters: string[];
}

// Packages named dbt-* that are neither dbt-core nor an adapter, so they do not give a `dbt` to run.
const NOT_ADAPTERS = new Set(['dbt-core', 'dbt-extractor', 'dbt-semantic-interfaces', 'dbt-common', 'dbt-adapters', 'dbt-protos', 'dbt-artifacts-parser', 'dbt-coverage', 'dbt-checkpoint', 'dbt-osmosis', 'dbt-score', 'dbt-cloud-cli', 'dbt-metricflow']);

/**
 * Reads a pip requirements file (following `-r other.txt` includes, once each) and names the dbt
 * packages it installs. PEP 508 names are case-insensitive and treat `_`, `.` and `-` alike.
 */
export function readDbtRequirements(file: string, seen = new Set<string>()): DbtRequirements {
  if (seen.has(file)) return { readable: true, core: false, adapters: [] };
  seen.add(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { readable: false, core: false, adapters: [] };
  }
  const result: DbtRequirements = { readable: true, core: false, adapters: [] };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const include = /^(?:-r|--requirement)[\s=]+(\S+)$/.exec(line);
    if (include?.[1]) {
      const nested = readDbtRequirements(join(dirname(file), include[1]), seen);
      result.core ||= nested.core;
      result.adapters.push(...nested.adapters);
      continue;
    }
    const name = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line)?.[1]?.toLowerCase().replace(/[._]+/g, '-');
    if (!name?.startsWith('dbt-')) continue;
    if (name === 'dbt-core') result.core = true;
    else if (!NOT_ADAPTERS.has(name)) result.adapters.push(name);
  }
  return result;
}

/**
 * Why a runtime installed from `requirements` would have no working `dbt`, with what to add; undefined
 * when it would (or when the file cannot be judged because it is missing: a different problem).
 */
export function missingDbtAdvice(requirements: DbtRequirements, requirementsPath: string, adapter: string | undefined): { message: string; hint: string } | undefined {
  if (!requirements.readable || requirements.adapters.length > 0) return undefined;
  const adapterPackage = adapter ? `dbt-${adapter}` : 'your adapter (dbt-snowflake, dbt-bigquery, dbt-postgres, ...)';
  if (requirements.core) {
    return {
      message: `${requirementsPath} installs dbt-core but no adapter, so dbt cannot connect to a warehouse.`,
      hint: `Add ${adapterPackage} to ${requirementsPath}.`,
    };
  }
  return {
    message: `${requirementsPath} installs no dbt: every step would fail with 'dbt: command not found'.`,
    hint: `Add ${adapterPackage} (it brings dbt-core) to ${requirementsPath}, or use runtime.image(...) with an image that has dbt.`,
  };
}
