/**
 * `sluice init`: starts Sluice in an existing dbt repository. Reads dbt_project.yml, profiles.yml,
 * packages.yml, requirements.txt and .github/workflows to adapt what it writes: pipeline.ts (full and
 * slim), sluice.config.ts, and package.json (dev dependencies and scripts, created if needed).
 * Never overwrites an existing file without --force.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGNOSTIC_CODES, type Diagnostic } from '@sluice/sdk/ir';
import { missingDbtAdvice, profileAdapter, profileEnvVars, readDbtRequirements, type ProfileEnvVar } from './dbt-project.js';
import type { FileChange } from './output.js';
import { SLUICE_VERSION } from './version.js';

export interface InitPlan {
  changes: FileChange[];
  /** What was found and decided, for the user. */
  notes: string[];
  /** Files left as they were. */
  kept: string[];
  diagnostics: Diagnostic[];
}

const VERSION = `^${SLUICE_VERSION}`;

export async function planInit(root: string, force: boolean): Promise<InitPlan> {
  const notes: string[] = [];
  if (!existsSync(join(root, 'dbt_project.yml'))) {
    return {
      changes: [],
      notes,
      kept: [],
      diagnostics: [{ code: DIAGNOSTIC_CODES.NOT_A_DBT_PROJECT, message: 'There is no dbt_project.yml here.', hint: 'Run `sluice init` at the root of your dbt project.', path: [] }],
    };
  }
  const { parse } = await import('yaml');
  const read = (file: string): unknown => {
    try {
      return parse(readFileSync(join(root, file), 'utf8'));
    } catch {
      return undefined;
    }
  };
  const project = (read('dbt_project.yml') ?? {}) as { name?: string; profile?: string };
  const profiles = (read('profiles.yml') ?? {}) as Record<string, { target?: string; outputs?: Record<string, unknown> }>;
  const profileName = project.profile ?? project.name ?? '';
  const outputs = Object.keys(profiles[profileName]?.outputs ?? {});
  const pick = (preferred: string[]): string | undefined => preferred.find((name) => outputs.includes(name)) ?? profiles[profileName]?.target;
  const prodTarget = pick(['prod', 'production']) ?? 'prod';
  const ciTarget = pick(['ci', 'dev']) ?? 'ci';
  notes.push(outputs.length > 0 ? `profiles.yml targets: ${outputs.join(', ')}; full builds '${prodTarget}', slim builds '${ciTarget}'.` : `No profiles.yml targets found: full builds '${prodTarget}', slim builds '${ciTarget}' (change them in pipeline.ts).`);
  const envVars = profileEnvVars(profiles, profileName, [prodTarget, ciTarget]);
  const secrets = envVars.filter((variable) => !variable.hasDefault);
  if (outputs.length > 0) {
    notes.push(
      envVars.length > 0
        ? `profiles.yml reads ${envVars.map((variable) => variable.name).join(', ')} with env_var(): ${secrets.length > 0 ? `declared ${secrets.map((variable) => variable.name).join(', ')} as secrets of the same names` : 'each has a default, so no secret is declared'}.`
        : 'profiles.yml reads no env_var(): no warehouse secrets declared (add them in pipeline.ts if the CI profile differs).',
    );
  }
  if (existsSync(join(root, 'packages.yml')) || existsSync(join(root, 'dependencies.yml'))) notes.push('packages.yml found: every run installs dbt packages (dbt deps) once.');
  if (!existsSync(join(root, 'requirements.txt'))) notes.push('No requirements.txt: add one with your dbt adapter, e.g. dbt-snowflake (the Python runtime installs it).');
  const noDbt = missingDbtAdvice(readDbtRequirements(join(root, 'requirements.txt')), 'requirements.txt', profileAdapter(profiles, profileName));
  if (noDbt) notes.push(`${noDbt.message} ${noDbt.hint}`);
  const workflowsDir = join(root, '.github/workflows');
  const existing = existsSync(workflowsDir) ? readdirSync(workflowsDir).filter((name) => /\.ya?ml$/.test(name)) : [];
  if (existing.length > 0) notes.push(`.github/workflows has ${existing.length} workflow(s) (${existing.join(', ')}): Sluice leaves files it did not generate alone.`);

  const kept: string[] = [];
  const changes: FileChange[] = [];
  const write = (path: string, content: string): void => {
    const before = readIfExists(join(root, path));
    if (before !== undefined && !force) {
      kept.push(path);
      return;
    }
    changes.push({ path, ...(before !== undefined ? { before } : {}), after: content });
  };
  write('pipeline.ts', pipelineSource(project.name ?? 'project', prodTarget, ciTarget, outputs.length > 0 ? secrets : undefined));
  write('sluice.config.ts', CONFIG_SOURCE);

  const packageBefore = readIfExists(join(root, 'package.json'));
  const manifest = packageBefore ? (JSON.parse(packageBefore) as { scripts?: Record<string, string>; devDependencies?: Record<string, string> } & Record<string, unknown>) : { name: project.name ?? 'dbt-project', private: true, type: 'module' };
  const scripts = { ...(manifest.scripts ?? {}) };
  for (const [name, command] of [['compile', 'sluice compile'], ['check', 'sluice check']] as const) {
    if (scripts[name] !== undefined && scripts[name] !== command && !force) notes.push(`package.json already has a '${name}' script; left as it is.`);
    else scripts[name] = command;
  }
  // A dependency already declared (`npm install --save-dev @sluice/compiler`, or a tarball's file:
  // spec) keeps its spec; only missing ones are added.
  const updated = { ...manifest, scripts, devDependencies: { '@sluice/compiler': VERSION, '@sluice/sdk': VERSION, ...(manifest.devDependencies ?? {}) } };
  const packageAfter = `${JSON.stringify(updated, null, 2)}\n`;
  if (packageAfter !== packageBefore) changes.push({ path: 'package.json', ...(packageBefore !== undefined ? { before: packageBefore } : {}), after: packageAfter });
  return { changes, notes, kept, diagnostics: [] };
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

const CONFIG_SOURCE = `import { defineConfig } from '@sluice/sdk';

export default defineConfig({
  entry: 'pipeline.ts',
  // 'github' today; to switch to 'argo' or 'entrypoint' (or list several), keep the state in a bucket
  // first (state.s3 or state.gcs in pipeline.ts): a GitHub artifact exists only on GitHub.
  target: 'github',
});
`;

/**
 * The starting pipelines. Every name read from the repository (targets, env_var() names) is data:
 * JSON.stringify makes it a valid string literal and an identifier is only ever one that matched
 * `[A-Za-z_][A-Za-z0-9_]*`, so nothing in profiles.yml can become code.
 */
function pipelineSource(project: string, prodTarget: string, ciTarget: string, secrets: ProfileEnvVar[] | undefined): string {
  const literal = (value: string): string => JSON.stringify(value);
  const warehouse =
    secrets === undefined
      ? `// Warehouse credentials: no profiles.yml was found, so name here the variables your CI profile reads
// with env_var(); each becomes a CI secret of the same name.
const warehouse = { DBT_ENV_SECRET_PASSWORD: secret('DBT_ENV_SECRET_PASSWORD') };`
      : secrets.length === 0
        ? `// profiles.yml reads no env_var() without a default: no warehouse secrets are needed.
const warehouse = {};`
        : `// The variables profiles.yml reads with env_var(), each from the CI secret of the same name.
const warehouse = {
${secrets.map((variable) => `  ${variable.name}: secret(${literal(variable.name)}),`).join('\n')}
};`;
  return `// Pipelines for ${project.replace(/[^\w .-]/g, '')}. Change them here, run \`npm run compile\`, review the diff.
import { dbt, notify, pipeline, runtime, secret, state, trigger, when } from '@sluice/sdk';

const python = runtime.python({ version: '3.12', requirements: 'requirements.txt' });
${warehouse}
const slack = secret('SLACK_WEBHOOK');
// Production state: the nightly build saves its manifest; pull requests compare against it.
// A GitHub artifact needs no bucket; on Argo or in a container use state.s3(...) or state.gcs(...).
const production = state.githubArtifact({ pipeline: 'full' });

/** Every night: build everything, keep its state for slim CI, then the docs, then tell Slack. */
export const full = pipeline('full', {
  triggers: [trigger.schedule('0 5 * * *'), trigger.manual()],
  env: warehouse,
  runtime: python,
  steps: () => {
    const run = dbt.build({ target: ${literal(prodTarget)} });
    const saveState = production.save({ needs: run });
    const docs = dbt.docs({ needs: run, target: ${literal(prodTarget)}, allowFailure: true });
    const alert = notify.slack({ webhook: slack, needs: [run, docs], if: when.always() });
    return { run, saveState, docs, notify: alert };
  },
});

/**
 * On every pull request: build what changed and its children, deferring to production for the rest.
 * Until the first nightly build has saved its state, this builds everything (and says so).
 */
export const slim = pipeline('slim', {
  triggers: [trigger.pullRequest({ branches: ['main'] })],
  env: warehouse,
  runtime: python,
  concurrency: { cancelInProgress: true },
  steps: () => {
    const prodState = production.load();
    const run = dbt.build({ select: 'state:modified+', defer: true, state: prodState, target: ${literal(ciTarget)}, failFast: true });
    return { prodState, run };
  },
});

// Publish the docs with upload.s3({ from: docs.site, to: 's3://your-bucket/docs/' }) after docs.
`;
}
