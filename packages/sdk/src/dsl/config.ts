import { BRAND, hasBrand } from './brand.js';

export type TargetName = 'github' | 'argo' | 'entrypoint';

/** Settings of the GitHub Actions target. */
export interface GithubTargetConfig {
  /** Where workflows are written, relative to the project root. @default '.github/workflows' */
  dir?: string;
  /** `runs-on` label. @default 'ubuntu-24.04' */
  runsOn?: string;
}

/** Settings of the container entrypoint target. */
export interface EntrypointTargetConfig {
  /** Where the script is written, relative to the project root. @default 'docker/entrypoint.sh' */
  path?: string;
}

export interface SluiceConfig {
  /** The pipeline file, relative to this config file. @default 'pipeline.ts' */
  entry?: string;
  /** The engine(s) `sluice compile` emits for (`--target` picks one). @default 'github' */
  target?: TargetName | readonly TargetName[];
  /** The dbt project directory (holding dbt_project.yml), relative to this config file. @default '.' */
  dbtProjectDir?: string;
  /** Per-target settings. */
  targets?: {
    github?: GithubTargetConfig;
    entrypoint?: EntrypointTargetConfig;
  };
}

export interface LoadedConfig extends SluiceConfig {
  readonly [BRAND]: 'config';
}

/** Declares the project's Sluice settings in sluice.config.ts; gives autocomplete and type errors. */
export function defineConfig(config: SluiceConfig): LoadedConfig {
  return { ...config, [BRAND]: 'config' };
}

export const isConfig = (value: unknown): value is LoadedConfig => hasBrand(value, 'config');
