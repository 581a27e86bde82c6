/**
 * Every Argo setting is data the controller evaluates: a sentinel `{{...}}` planted in any string of
 * `targets.argo` (values and keys) must be a coded error naming that setting, with nothing emitted.
 * `FULL` is typed with every field required (deeply), so a new setting that this file does not fill
 * in fails the type check, and the walk below then plants a sentinel in it too.
 */
import { DIAGNOSTIC_CODES as E, dbt, notify, pipeline, secret, trigger, type ArgoTargetConfig } from '@sluice/sdk/ir';
import { emitArgo } from '@sluice/targets';
import { describe, expect, it } from 'vitest';
import { argoDocuments, argoProjectProblems, argoSchemaProblems } from '../../../test/helpers/argo-checks.js';
import { argoChecklist } from '../../../test/helpers/checklists.js';
import { irOf } from '../../../test/helpers/ir.js';

type DeepRequired<T> = T extends (...args: never[]) => unknown ? T : T extends readonly (infer U)[] ? readonly DeepRequired<U>[] : T extends object ? { [K in keyof T]-?: DeepRequired<T[K]> } : T;
type GitSource = Extract<NonNullable<ArgoTargetConfig['source']>, { git: unknown }>;
type ImageSource = Extract<NonNullable<ArgoTargetConfig['source']>, { image: unknown }>;

const FULL_WITHOUT_SOURCE: DeepRequired<Omit<ArgoTargetConfig, 'source'>> = {
  dir: 'argo',
  image: 'ghcr.io/acme/dbt:1.10.2',
  imagePullPolicy: 'IfNotPresent',
  imagePullSecrets: ['ecr-pull', 'ghcr-pull'],
  namespace: 'data',
  serviceAccountName: 'dbt-runner',
  executorServiceAccountName: 'dbt-executor',
  workspace: { size: '5Gi', storageClassName: 'standard' },
  runAsUser: 1000,
  resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '4Gi' } },
  secretName: 'dbt-secrets',
  secrets: { WAREHOUSE_PASSWORD: { name: 'warehouse', key: 'password' } },
  uiUrl: 'https://argo.example.com',
  eventTriggers: 'refuse',
  override: (object) => object,
};
const GIT: DeepRequired<GitSource> = { git: { repo: 'https://github.com/acme/dbt.git', revision: 'main' } };
const IMAGE: DeepRequired<ImageSource> = { image: '/app' };
const FULL_CONFIGS: ArgoTargetConfig[] = [
  { ...FULL_WITHOUT_SOURCE, source: GIT },
  { ...FULL_WITHOUT_SOURCE, source: IMAGE },
];

const ir = irOf(
  pipeline('nightly', {
    triggers: [trigger.schedule('0 2 * * *'), trigger.manual()],
    env: { WAREHOUSE_PASSWORD: secret('WAREHOUSE_PASSWORD') },
    steps: () => {
      const run = dbt.build();
      return { run, notify: notify.slack({ webhook: secret('SLACK_WEBHOOK'), needs: run }) };
    },
  }),
);

/** Every string in a config, and a copy of the config with that one string replaced (a key is renamed). */
function plantings(config: ArgoTargetConfig, sentinel: string): { field: string; what: string; planted: ArgoTargetConfig }[] {
  const found: { field: string; what: string; planted: ArgoTargetConfig }[] = [];
  const visit = (value: unknown, field: string, replace: (next: unknown) => ArgoTargetConfig): void => {
    if (typeof value === 'string') {
      found.push({ field, what: field, planted: replace(`${value}${sentinel}`) });
    } else if (Array.isArray(value)) {
      value.forEach((item, position) => visit(item, `${field}[${position}]`, (next) => replace(value.map((old, at) => (at === position ? next : old)))));
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value);
      for (const [key, item] of entries) {
        visit(item, `${field}.${key}`, (next) => replace({ ...value, [key]: next }));
        found.push({ field, what: `${field} key '${key}'`, planted: replace(Object.fromEntries(entries.map(([k, v]) => [k === key ? `${k}${sentinel}` : k, v]))) });
      }
    }
  };
  for (const [key, value] of Object.entries(config)) if (key !== 'override') visit(value, `targets.argo.${key}`, (next) => ({ ...config, [key]: next }));
  return found;
}

describe('targets.argo: every setting is checked for Argo template syntax', () => {
  it.each(FULL_CONFIGS.map((config, index) => ({ config, source: index === 0 ? 'git' : 'image' })))('a full config ($source source) is accepted and passes every check', ({ config }) => {
    const result = emitArgo(ir, config);
    expect(result.diagnostics).toEqual([]);
    const content = result.files[0]?.content ?? '';
    expect(argoSchemaProblems(content)).toEqual([]);
    expect(argoProjectProblems(content)).toEqual([]);
    expect(argoChecklist(content)).toEqual([]);
  });

  const cases = FULL_CONFIGS.flatMap((config) => plantings(config, '{{workflow.parameters.x}}'));
  it('the walk finds every field, both sources, and keys of maps', () => {
    const fields = new Set(cases.map((c) => c.what.replace(/\[\d+\]/g, '[]')));
    for (const key of Object.keys(FULL_WITHOUT_SOURCE).filter((k) => !['override', 'runAsUser'].includes(k))) {
      expect([...fields].some((field) => field === `targets.argo.${key}` || field.startsWith(`targets.argo.${key}.`) || field.startsWith(`targets.argo.${key}[`)), key).toBe(true);
    }
    for (const field of ['targets.argo.source.git.repo', 'targets.argo.source.git.revision', 'targets.argo.source.image', "targets.argo.resources.requests key 'cpu'", 'targets.argo.imagePullSecrets[]']) expect(fields).toContain(field);
  });
  it.each(cases)('a sentinel in $what is refused by name, nothing emitted', ({ field, planted }) => {
    const result = emitArgo(ir, planted);
    expect(result.files).toEqual([]);
    expect(result.diagnostics.map((d) => `${d.code} ${d.path.join(' > ')}`)).toContain(`${E.CONFIG_INVALID} sluice.config.ts > ${field}`);
  });
  it('dbtProjectDir (it becomes the pods\' working directory) is checked too', () => {
    const result = emitArgo({ ...ir, dbtProjectDir: 'dbt/{{workflow.name}}' }, FULL_CONFIGS[0]);
    expect(result.files).toEqual([]);
    expect(result.diagnostics.map((d) => `${d.code} ${d.path.join(' > ')}`)).toEqual(['SLUICE_E_CONFIG_INVALID sluice.config.ts > dbtProjectDir']);
  });
});

describe('targets.argo.imagePullSecrets', () => {
  it('become spec.imagePullSecrets, accepted by the schema', () => {
    const content = emitArgo(ir, { image: 'ecr.example/dbt:1', imagePullSecrets: ['ecr-pull'] }).files[0]?.content ?? '';
    const spec = argoDocuments(content).find((d) => d.kind === 'WorkflowTemplate')?.spec as Record<string, unknown>;
    expect(spec.imagePullSecrets).toEqual([{ name: 'ecr-pull' }]);
    expect(argoSchemaProblems(content)).toEqual([]);
  });
  it.each([['Ecr_Pull'], [''], ['a b'], ['x'.repeat(254)]])('a name that is not a Secret name (%j) is refused', (name) => {
    const result = emitArgo(ir, { image: 'ecr.example/dbt:1', imagePullSecrets: [name] });
    expect(result.files).toEqual([]);
    expect(result.diagnostics.map((d) => `${d.code} ${d.path.join(' > ')}`)).toEqual(['SLUICE_E_CONFIG_INVALID sluice.config.ts > targets.argo.imagePullSecrets[0]']);
  });
  it('not a list is refused, not a crash', () => {
    const result = emitArgo(ir, { image: 'ecr.example/dbt:1', imagePullSecrets: 'ecr-pull' as never });
    expect(result.diagnostics.map((d) => d.code)).toEqual([E.CONFIG_INVALID]);
  });
});

/** Every value in a config replaced, one at a time, by a value of another type. */
function wrongTypes(config: ArgoTargetConfig): { field: string; planted: ArgoTargetConfig }[] {
  const found: { field: string; planted: ArgoTargetConfig }[] = [];
  const visit = (value: unknown, field: string, replace: (next: unknown) => ArgoTargetConfig): void => {
    found.push({ field, planted: replace(typeof value === 'string' ? 42 : typeof value === 'number' ? 'many' : typeof value === 'function' ? 'not a function' : 'not an object') });
    if (Array.isArray(value)) value.forEach((item, position) => visit(item, `${field}[${position}]`, (next) => replace(value.map((old, at) => (at === position ? next : old)))));
    else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) visit(item, `${field}.${key}`, (next) => replace({ ...value, [key]: next }));
  };
  for (const [key, value] of Object.entries(config)) visit(value, `targets.argo.${key}`, (next) => ({ ...config, [key]: next }));
  return found;
}

describe('targets.argo: every setting has its type checked first (a coded error, never a crash)', () => {
  const cases = FULL_CONFIGS.flatMap(wrongTypes);
  it('there is a case for every setting', () => expect(new Set(cases.map((c) => c.field.split(/[.[]/)[2])).size).toBe(Object.keys(FULL_WITHOUT_SOURCE).length + 1));
  it.each(cases)('a wrong type in $field', ({ field, planted }) => {
    const result = emitArgo(ir, planted);
    expect(result.files).toEqual([]);
    expect(result.diagnostics.map((d) => `${d.code} ${d.path.join(' > ')}`)).toContain(`${E.CONFIG_INVALID} sluice.config.ts > ${field}`);
  });
  it.each([
    [{ imagePullSecret: ['x'] }, 'targets.argo'],
    [{ workspace: { sise: '1Gi' } }, 'targets.argo.workspace'],
    [{ source: { git: { repo: 'https://x/y.git', branch: 'main' } } }, 'targets.argo.source.git'],
    [{ source: { git: {} } }, 'targets.argo.source.git.repo'],
    [{ secrets: { A: { name: 'a' } } }, 'targets.argo.secrets.A.key'],
  ])('an unknown or missing key: %j', (settings, field) => {
    const result = emitArgo(ir, { image: 'dbt:1', ...(settings as ArgoTargetConfig) });
    expect(result.diagnostics.map((d) => `${d.code} ${d.path.join(' > ')}`)).toEqual([`${E.CONFIG_INVALID} sluice.config.ts > ${field}`]);
  });
  it.each([['lots'], ['2 Gi'], ['-1Gi'], ['']])('a quantity Kubernetes would reject (%j)', (size) => {
    const result = emitArgo(ir, { image: 'dbt:1', workspace: { size }, resources: { limits: { memory: size } } });
    expect(result.diagnostics.map((d) => d.path.join(' > '))).toEqual(['sluice.config.ts > targets.argo.workspace.size', 'sluice.config.ts > targets.argo.resources.limits.memory']);
  });
  it.each([['500m'], ['2Gi'], ['1'], ['1.5'], ['1e3'], ['128Mi']])('a valid quantity (%j)', (size) => {
    expect(emitArgo(ir, { image: 'dbt:1', workspace: { size }, resources: { limits: { memory: size } } }).diagnostics).toEqual([]);
  });
});
