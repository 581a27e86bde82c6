/**
 * Which dbt the pipelines run, so flags newer than it become compile errors (or their older
 * equivalent). In order: `dbtVersion` in sluice.config.ts; the dbt-core pin in requirements.txt or
 * pyproject.toml (the dbt project's own, then the root's; for a range, its lower bound: the oldest dbt
 * that may be installed); else an adapter's pin (dbt-snowflake~=1.10.0); else a runtime image's tag
 * (ghcr.io/dbt-labs/dbt-snowflake:1.7.3). Unknown: no version checks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pipeline } from '@sluice/sdk/ir';

export interface DbtVersion {
  version: string;
  /** Where it was learnt, for messages. */
  source: string;
}

const CORE_PIN = /(?:^|["'\s])dbt-core\s*(?:\[[^\]]*\])?\s*(?:==|~=|>=|===)\s*v?(\d+\.\d+(?:\.\d+)?)/m;
const ADAPTER_PIN = /(?:^|["'\s])dbt-(?!core\b)[a-z0-9]+\s*(?:\[[^\]]*\])?\s*(?:==|~=|>=|===)\s*v?(\d+\.\d+(?:\.\d+)?)/m;

export function detectDbtVersion(root: string, dbtProjectDir: string, configured: string | undefined, pipelines: readonly Pipeline[]): DbtVersion | undefined {
  if (configured !== undefined) return { version: configured, source: 'sluice.config.ts' };
  const requirements = new Set(['requirements.txt', 'pyproject.toml']);
  for (const pipeline of pipelines) {
    const runtime = pipeline.spec.runtime;
    if (runtime?.kind === 'python' && runtime.requirements) requirements.add(runtime.requirements);
  }
  const files = [...requirements].flatMap((file) => [join(dbtProjectDir, file), file]).filter((file, index, all) => all.indexOf(file) === index);
  for (const pattern of [CORE_PIN, ADAPTER_PIN]) {
    for (const file of files) {
      const path = join(root, file);
      if (!existsSync(path)) continue;
      const match = pattern.exec(readFileSync(path, 'utf8').replace(/#.*$/gm, ''));
      if (match?.[1]) return { version: match[1], source: file };
    }
  }
  for (const pipeline of pipelines) {
    const runtime = pipeline.spec.runtime;
    const tag = runtime?.kind === 'image' ? /:v?(\d+\.\d+(?:\.\d+)?)(?:[-@].*)?$/.exec(runtime.image) : null;
    if (tag?.[1] && runtime?.kind === 'image' && /dbt/.test(runtime.image)) return { version: tag[1], source: `the image ${runtime.image}` };
  }
  return undefined;
}
