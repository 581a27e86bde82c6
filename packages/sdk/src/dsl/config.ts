import { BRAND } from './brand.js';
// Each target's settings type, generated from the target registry (npm run generate).
import type { TargetName, TargetOptionsByName } from './target-config.generated.js';

export interface SluiceConfig {
  /** The pipeline file, relative to this config file. @default 'pipeline.ts' */
  entry?: string;
  /** The engine(s) `sluice compile` emits for (`--target` picks one). @default 'github' */
  target?: TargetName | readonly TargetName[];
  /** The dbt project directory (holding dbt_project.yml), relative to this config file. @default '.' */
  dbtProjectDir?: string;
  /**
   * The dbt version the pipelines run (`'1.8'`, `'1.10.2'`): flags and commands newer than it are
   * compile errors, or become their older equivalent. @default the pin of dbt-core in
   * requirements.txt / pyproject.toml, else the runtime image's tag, else unknown (no check)
   */
  dbtVersion?: string;
  /** Also write a Markdown page with a Mermaid diagram per pipeline (GitHub renders it). @default none */
  pipelinesMarkdown?: string;
  /**
   * Seconds pipeline.ts may take to evaluate (the module and every pipeline's `steps`) before the
   * compile stops with SLUICE_E_EVALUATION_TIMEOUT. The config itself gets SLUICE_EVALUATION_TIMEOUT
   * (environment) or 10. @default 10
   */
  evaluationTimeoutSeconds?: number;
  /** Per-target settings. */
  targets?: { [Name in TargetName]?: TargetOptionsByName[Name] };
}

export interface LoadedConfig extends SluiceConfig {
  readonly [BRAND]: 'config';
}

/** Declares the project's Sluice settings in sluice.config.ts; gives autocomplete and type errors. */
export function defineConfig(config: SluiceConfig): LoadedConfig {
  return { ...config, [BRAND]: 'config' };
}
