/**
 * The Argo settings in sluice.config.ts, checked as a whole rather than field by field: every string
 * anywhere in `targets.argo` (keys included, since `resources` keys are written too) is walked, so a
 * setting added later is covered without anyone remembering to list it. Argo evaluates `{{ ... }}` in
 * any field of a Workflow and has no escape for it, so a setting containing `{{` is refused.
 */
import { DIAGNOSTIC_CODES, type ArgoTargetConfig, type Diagnostic } from '@sluice/sdk';

/** Argo's template syntax (`{{inputs.x}}`, `{{=expr}}`): the controller substitutes it everywhere. */
export const ARGO_TEMPLATE = '{{';

/** Kubernetes object names (Secrets, ServiceAccounts): DNS-1123 subdomains. */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Settings that are not data written into a manifest (the override is a function, checked after it ran). */
const NOT_WRITTEN = new Set(['override']);

export function checkArgoConfig(options: ArgoTargetConfig, dbtProjectDir = '.'): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const add = (field: string, message: string, hint: string): void => {
    problems.push({ code: DIAGNOSTIC_CODES.CONFIG_INVALID, message, hint, path: ['sluice.config.ts', field] });
  };
  for (const { path, value } of configStrings(options)) {
    if (value.includes(ARGO_TEMPLATE)) add(path, `${path} contains '{{' (${JSON.stringify(value)}), which Argo would evaluate as a template expression.`, 'Remove it: Argo has no escape for {{.');
  }
  if (dbtProjectDir.includes(ARGO_TEMPLATE)) add('dbtProjectDir', "dbtProjectDir contains '{{', which Argo would evaluate as a template expression.", 'Rename the folder or move the dbt project.');
  if (options.serviceAccountName === 'default' || options.executorServiceAccountName === 'default') {
    add('targets.argo.serviceAccountName', "The Argo target never runs pods as the 'default' service account.", 'Create a dedicated service account (see the README) and name it in targets.argo.serviceAccountName.');
  }
  if (options.runAsUser !== undefined && (!Number.isInteger(options.runAsUser) || options.runAsUser <= 0)) {
    add('targets.argo.runAsUser', 'targets.argo.runAsUser must be a non-zero UID.', 'Pods run as non-root: pick the UID your image uses, e.g. 1000.');
  }
  if (options.imagePullSecrets !== undefined && !Array.isArray(options.imagePullSecrets)) {
    add('targets.argo.imagePullSecrets', 'targets.argo.imagePullSecrets must be a list of Secret names.', "For example imagePullSecrets: ['ecr-pull'].");
  }
  for (const [position, name] of (Array.isArray(options.imagePullSecrets) ? options.imagePullSecrets : []).entries()) {
    if (typeof name !== 'string' || !DNS_SUBDOMAIN.test(name)) {
      add(`targets.argo.imagePullSecrets[${position}]`, `targets.argo.imagePullSecrets[${position}] (${JSON.stringify(name)}) is not a Kubernetes Secret name.`, 'Use the name of a kubernetes.io/dockerconfigjson Secret in the workflow namespace: lower-case letters, digits, - and .');
    }
  }
  return problems;
}

/** Every string in the settings that could reach a manifest, with the setting's path. */
export function configStrings(options: ArgoTargetConfig): { path: string; value: string }[] {
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
