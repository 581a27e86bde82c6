/**
 * The Argo settings in sluice.config.ts, checked as a whole rather than field by field. First their
 * shapes (types, known keys, quantities), then every string
 * anywhere in `targets.argo` (keys included, since `resources` keys are written too) is walked, so a
 * setting added later is covered without anyone remembering to list it. Argo evaluates `{{ ... }}` in
 * any field of a Workflow and has no escape for it, so a setting containing `{{` is refused.
 */
import { DIAGNOSTIC_CODES, type ArgoTargetConfig, type Diagnostic } from '@sluice/sdk/ir';

/** Argo's template syntax (`{{inputs.x}}`, `{{=expr}}`): the controller substitutes it everywhere. */
export const ARGO_TEMPLATE = '{{';

/** Kubernetes object names (Secrets, ServiceAccounts): DNS-1123 subdomains. */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Settings that are not data written into a manifest (the override is a function, checked after it ran). */
const NOT_WRITTEN = new Set(['override']);

/** The shape of each setting; checked first, so the rules below read values of the right types. */
type Shape = 'string' | 'uid' | 'function' | 'quantity' | { enum: readonly string[] } | { list: Shape } | { record: Shape } | { fields: Record<string, Shape>; required?: readonly string[] } | { oneOf: readonly Shape[] };

// Kubernetes resource quantities (`500m`, `2Gi`, `1.5`, `1e3`).
const QUANTITY = /^[+]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[mkMGTPE]|[eE][+-]?\d+)?$/;

const ARGO_CONFIG_SHAPE: { fields: Record<keyof ArgoTargetConfig, Shape> } = {
  fields: {
    dir: 'string',
    image: 'string',
    imagePullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
    imagePullSecrets: { list: 'string' },
    namespace: 'string',
    serviceAccountName: 'string',
    executorServiceAccountName: 'string',
    source: { oneOf: [{ fields: { image: 'string' }, required: ['image'] }, { fields: { git: { fields: { repo: 'string', revision: 'string' }, required: ['repo'] } }, required: ['git'] }] },
    workspace: { fields: { size: 'quantity', storageClassName: 'string' } },
    runAsUser: 'uid',
    resources: { fields: { requests: { record: 'quantity' }, limits: { record: 'quantity' } } },
    secretName: 'string',
    secrets: { record: { fields: { name: 'string', key: 'string' }, required: ['name', 'key'] } },
    uiUrl: 'string',
    eventTriggers: { enum: ['refuse', 'ignore'] },
    override: 'function',
  },
};

/** Where a value does not have its shape: [path, what was expected]. */
function shapeProblems(value: unknown, shape: Shape, path: string): [string, string][] {
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  if (shape === 'string') return typeof value === 'string' ? [] : [[path, 'a string']];
  if (shape === 'function') return typeof value === 'function' ? [] : [[path, 'a function']];
  if (shape === 'uid') return Number.isInteger(value) && (value as number) > 0 ? [] : [[path, 'a non-zero UID (pods run as non-root), e.g. 1000']];
  if (shape === 'quantity') return typeof value === 'string' && QUANTITY.test(value) ? [] : [[path, "a Kubernetes quantity such as '500m', '2Gi' or '1'"]];
  if ('enum' in shape) return typeof value === 'string' && shape.enum.includes(value) ? [] : [[path, `one of ${shape.enum.map((v) => `'${v}'`).join(', ')}`]];
  if ('list' in shape) return Array.isArray(value) ? value.flatMap((item, index) => shapeProblems(item, shape.list, `${path}[${index}]`)) : [[path, 'a list']];
  if ('record' in shape) return isObject ? Object.entries(value as object).flatMap(([key, item]) => shapeProblems(item, shape.record, `${path}.${key}`)) : [[path, 'an object']];
  if ('oneOf' in shape) {
    // Judged by the option its key names (`{ git: ... }` is the git source), else by the closest one.
    const named = shape.oneOf.find((option) => typeof option === 'object' && 'required' in option && isObject && (option.required ?? []).some((key) => key in (value as object)));
    if (named) return shapeProblems(value, named, path);
    const attempts = shape.oneOf.map((option) => shapeProblems(value, option, path));
    return attempts.some((problems) => problems.length === 0) ? [] : (attempts.sort((a, b) => a.length - b.length)[0] ?? []);
  }
  if (!isObject) return [[path, 'an object']];
  const problems: [string, string][] = [];
  for (const key of shape.required ?? []) if ((value as Record<string, unknown>)[key] === undefined) problems.push([`${path}.${key}`, 'set (it is required)']);
  for (const [key, item] of Object.entries(value as object)) {
    const fieldShape = shape.fields[key];
    // An unknown key is reported at the object holding it (the key itself is what is wrong).
    if (fieldShape === undefined) problems.push([path, `without ${JSON.stringify(key)}: it is not a setting (known: ${Object.keys(shape.fields).join(', ')})`]);
    else if (item !== undefined) problems.push(...shapeProblems(item, fieldShape, `${path}.${key}`));
  }
  return problems;
}

export function checkArgoConfig(options: ArgoTargetConfig, dbtProjectDir = '.'): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const add = (field: string, message: string, hint: string): void => {
    problems.push({ code: DIAGNOSTIC_CODES.CONFIG_INVALID, message, hint, path: ['sluice.config.ts', field] });
  };
  for (const [field, expected] of shapeProblems(options, ARGO_CONFIG_SHAPE, 'targets.argo')) {
    add(field, `${field} must be ${expected}.`, 'Fix the setting in sluice.config.ts (see the Argo section of the README).');
  }
  if (problems.length > 0) return problems;
  for (const { path, value } of configStrings(options)) {
    if (value.includes(ARGO_TEMPLATE)) add(path, `${path} contains '{{' (${JSON.stringify(value)}), which Argo would evaluate as a template expression.`, 'Remove it: Argo has no escape for {{.');
  }
  if (dbtProjectDir.includes(ARGO_TEMPLATE)) add('dbtProjectDir', "dbtProjectDir contains '{{', which Argo would evaluate as a template expression.", 'Rename the folder or move the dbt project.');
  if (options.serviceAccountName === 'default' || options.executorServiceAccountName === 'default') {
    add('targets.argo.serviceAccountName', "The Argo target never runs pods as the 'default' service account.", 'Create a dedicated service account (see the README) and name it in targets.argo.serviceAccountName.');
  }
  for (const [position, name] of (options.imagePullSecrets ?? []).entries()) {
    if (!DNS_SUBDOMAIN.test(name)) {
      add(`targets.argo.imagePullSecrets[${position}]`, `targets.argo.imagePullSecrets[${position}] (${JSON.stringify(name)}) is not a Kubernetes Secret name.`, 'Use the name of a kubernetes.io/dockerconfigjson Secret in the workflow namespace: lower-case letters, digits, - and .');
    }
  }
  return problems;
}

/** Every string in the settings that could reach a manifest, with the setting's path. */
function configStrings(options: ArgoTargetConfig): { path: string; value: string }[] {
  const found: { path: string; value: string }[] = [];
  // A key is reported at the map that holds it (the key itself is what is wrong).
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') found.push({ path, value });
    else if (Array.isArray(value)) value.forEach((item, position) => walk(item, `${path}[${position}]`));
    else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        found.push({ path, value: key });
        walk(item, `${path}.${key}`);
      }
    }
  };
  for (const [key, value] of Object.entries(options)) if (!NOT_WRITTEN.has(key)) walk(value, `targets.argo.${key}`);
  return found;
}
