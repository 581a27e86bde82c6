/**
 * What `targets.argo.override` may not undo. The override's result is first copied to plain data
 * (`plain-data.ts`); this module then checks that copy, the object that is written, against the
 * guarantees every generated manifest keeps. Each problem names the path inside the object.
 *
 * - Same object: the kind, apiVersion and name the override received (no extra documents or kinds:
 *   one object in, one object out), and no template type that creates other objects (`resource`),
 *   calls out (`http`, `plugin`) or runs templates this check cannot see (`templateRef`,
 *   `workflowTemplateRef` other than the CronWorkflow's own).
 * - The restricted Pod Security Standard for every pod: runAsNonRoot, no UID 0, seccomp
 *   RuntimeDefault (or Localhost), no AppArmor or SELinux escape, and per container
 *   allowPrivilegeEscalation false, capabilities
 *   drop ALL (add at most NET_BIND_SERVICE), not privileged; no hostPath, host namespaces or host
 *   ports, only the volume types the standard allows (without `secret` volumes: secrets reach a step
 *   as one `secretKeyRef` each), no `podSpecPatch` (an opaque patch would bypass all of this).
 * - No service account token in pods (automountServiceAccountToken false), never `default`.
 * - Secrets only through `secretKeyRef`: a variable that was a secret stays one, no `envFrom` of a
 *   Secret, no plain value under a secret-like name or in a known credential format.
 * - No new Argo template syntax that reads values a submitter controls (`{{workflow.parameters.x}}`,
 *   `{{inputs...}}`, `{{= ...}}`): only the controller's own facts about the run may be added.
 * - Nothing fetched or shipped elsewhere: no input/output artifact with a source or destination
 *   (http, git, s3, gcs, oss, hdfs, artifactory, raw, azure) other than those Sluice generated; the
 *   executor and every serviceAccountName stay the configured ones.
 * - Env values come only from `value`, `secretKeyRef`, or the `fieldRef` to
 *   `metadata.annotations['...']` that carries inputs (no configMapKeyRef, resourceFieldRef, other
 *   fields). An added env value, command or args never holds an unescaped `$(`: the kubelet would
 *   expand it (`$(WAREHOUSE_PASSWORD)`); a literal is written `$$(`. Refused rather than escaped, so
 *   the override's author sees the manifest they wrote, not a silently rewritten one.
 */
import type { PlainData } from '../shared/plain-data.js';

type Data = { [key: string]: PlainData };
export interface PolicyContext {
  kind: string;
  /** The object Sluice generated, before the override. */
  generated: Data;
}

const API_VERSION = 'argoproj.io/v1alpha1';
const TEMPLATE_TYPES = new Set(['container', 'script', 'containerSet', 'dag', 'steps', 'suspend']);
const FORBIDDEN_TEMPLATE_TYPES = ['resource', 'http', 'plugin', 'data'];
/** Volume types the restricted standard allows, less `secret` (secrets travel as secretKeyRef only). */
const VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected']);
const PROJECTED_SOURCES = new Set(['configMap', 'downwardAPI']);
const SELINUX_TYPES = new Set(['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const HOST_SWITCHES = new Set(['hostNetwork', 'hostPID', 'hostIPC', 'hostUsers', 'privileged', 'hostProcess']);
const SECRET_LIKE_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|WEBHOOK|CREDENTIAL|AUTH/i;
const CREDENTIAL_FORMAT = /AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|xox[abposr]-|ghp_|gho_|ghs_|github_pat_|sk-[A-Za-z0-9]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|hooks\.slack\.com\/services\//;
/** The controller's own facts about a run; nothing a submitter chooses. */
const ARTIFACT_LOCATIONS = ['http', 'git', 's3', 'gcs', 'oss', 'hdfs', 'artifactory', 'raw', 'azure'];
/** The downward-API reference Sluice uses to hand inputs to a step (never `$(VAR)`-expanded). */
const ANNOTATION_FIELD = /^metadata\.annotations\['[A-Za-z0-9._/-]+'\]$/;
/** Kubernetes expands `$(NAME)`; `$$` is a literal `$`. */
const expandsVariable = (value: string): boolean => value.replace(/\$\$/g, '').includes('$(');
const HARMLESS_TEMPLATE = /^\{\{\s*(workflow\.(name|namespace|uid|status|serviceAccountName|mainEntrypoint|duration|creationTimestamp(\.[A-Za-z]+)?)|tasks\.[a-z0-9-]+\.status)\s*\}\}$/;

export function overridePolicyProblems(object: PlainData, context: PolicyContext): string[] {
  const problems: string[] = [];
  const problem = (path: string, text: string): void => {
    problems.push(`${path}: ${text}`);
  };
  if (!isMap(object)) return ['(the object): is not one object (return exactly one WorkflowTemplate or CronWorkflow; extra objects belong in your own manifests)'];
  const generated = context.generated;
  if (object.kind !== context.kind) problem('kind', `is ${JSON.stringify(object.kind)}, not ${context.kind} (an override changes the object, it does not replace it)`);
  if (object.apiVersion !== API_VERSION) problem('apiVersion', `is ${JSON.stringify(object.apiVersion)}, not ${API_VERSION}`);
  const name = field(object, 'metadata', 'name');
  if (name !== field(generated, 'metadata', 'name')) problem('metadata.name', `was changed to ${JSON.stringify(name)} (CronWorkflows and Sluice's own files refer to it)`);
  for (const key of ['items', 'objects', 'resources']) if (key in object) problem(key, 'holds more objects (one object in, one object out)');

  const spec = object.spec;
  if (!isMap(spec)) {
    problem('spec', 'is missing');
  } else if (context.kind === 'WorkflowTemplate') {
    if ('workflowTemplateRef' in spec) problem('spec.workflowTemplateRef', 'runs another template, which this check cannot see');
    checkWorkflowSpec(spec, 'spec', true, problem);
  } else if (context.kind === 'CronWorkflow') {
    const workflowSpec = spec.workflowSpec;
    if (!isMap(workflowSpec)) problem('spec.workflowSpec', 'is missing');
    else {
      const ref = workflowSpec.workflowTemplateRef;
      const expected = field(generated, 'spec', 'workflowSpec', 'workflowTemplateRef');
      if (JSON.stringify(ref) !== JSON.stringify(expected)) problem('spec.workflowSpec.workflowTemplateRef', 'must still name the pipeline\'s own WorkflowTemplate');
      // Settings here are merged over the WorkflowTemplate's: what is present must comply too.
      checkWorkflowSpec(workflowSpec, 'spec.workflowSpec', false, problem);
    }
  }

  const secretVariables = new Set<string>();
  walk(generated, '', (value, _path, key) => {
    if (key === 'env' && Array.isArray(value)) for (const variable of value) if (isMap(variable) && isMap(variable.valueFrom) && 'secretKeyRef' in variable.valueFrom) secretVariables.add(String(variable.name));
  });
  // What Sluice itself wrote may stay: template strings under the same field name, identical env entries.
  const generatedTemplates = new Set<string>();
  const generatedEnv = new Set<string>();
  const generatedArtifacts = new Set<string>();
  const generatedExecutors = new Set<string>();
  const generatedAccounts = new Set<string>();
  const generatedArgv = new Set<string>();
  walk(generated, '', (value, _path, key) => {
    if (typeof value === 'string' && value.includes('{{')) generatedTemplates.add(`${key}\u0000${value}`);
    if (key === 'env' && Array.isArray(value)) for (const variable of value) generatedEnv.add(JSON.stringify(variable));
    if (key === 'artifacts' && Array.isArray(value)) for (const artifact of value) generatedArtifacts.add(JSON.stringify(artifact));
    if (key === 'executor') generatedExecutors.add(JSON.stringify(value));
    if (key === 'serviceAccountName' && typeof value === 'string') generatedAccounts.add(value);
    if ((key === 'command' || key === 'args') && typeof value === 'string') generatedArgv.add(value);
  });

  walk(object, '', (value, path, key) => {
    if (key !== undefined && HOST_SWITCHES.has(key) && value === true) problem(path, 'is true: pods never get host namespaces or privileges');
    if (key === 'hostPath') problem(path, 'mounts a directory of the node');
    if (key === 'hostPort') problem(path, 'binds a port of the node');
    if (key === 'seLinuxOptions' && isMap(value) && (value.user !== undefined || value.role !== undefined || (value.type !== undefined && !SELINUX_TYPES.has(String(value.type))))) problem(path, 'sets an SELinux user, role or type the restricted standard does not allow');
    if (key === 'appArmorProfile' && isMap(value) && value.type !== 'RuntimeDefault' && value.type !== 'Localhost') problem(path, 'must be RuntimeDefault (or Localhost)');
    if (key !== undefined && key.startsWith('container.apparmor.security.beta.kubernetes.io/') && typeof value === 'string' && value !== 'runtime/default' && !value.startsWith('localhost/')) problem(path, 'turns AppArmor off');
    if (key === 'inline' && isMap(value)) checkTemplate(value, path, true, problem); // a task's own template
    if (key === 'podSpecPatch') problem(path, 'is an opaque pod patch, which would bypass these checks (model the setting in the object instead)');
    if (key === 'templateRef' || (key === 'workflowTemplateRef' && path !== 'spec.workflowSpec.workflowTemplateRef' && path !== 'spec.workflowTemplateRef')) problem(path, 'runs a template this check cannot see');
    if (key === 'automountServiceAccountToken' && value !== false) problem(path, 'must stay false: pods get no service account token');
    if ((key === 'serviceAccountName') && value === 'default') problem(path, "is 'default'");
    else if (key === 'serviceAccountName' && !(typeof value === 'string' && generatedAccounts.has(value))) problem(path, `is ${JSON.stringify(value)}, not a configured service account (set targets.argo.serviceAccountName or executorServiceAccountName instead)`);
    if (key === 'executor' && !generatedExecutors.has(JSON.stringify(value))) problem(path, 'changes the executor Sluice configured (set targets.argo.executorServiceAccountName instead)');
    if (key === 'artifacts' && Array.isArray(value)) {
      value.forEach((artifact, index) => {
        if (!isMap(artifact) || generatedArtifacts.has(JSON.stringify(artifact))) return;
        const locations = ARTIFACT_LOCATIONS.filter((location) => location in artifact);
        if (locations.length > 0) problem(`${path}[${index}]`, `reads or writes an artifact at ${locations.join(', ')} that Sluice did not generate (data could be fetched from or sent anywhere)`);
      });
    }
    if ((key === 'command' || key === 'args') && typeof value === 'string' && !generatedArgv.has(value) && expandsVariable(value)) {
      problem(path, 'holds $( which the kubelet expands (write $$( for a literal, or pass the value through env and read it in the script)');
    }
    if (key === 'envFrom' && Array.isArray(value)) value.forEach((source, index) => isMap(source) && 'secretRef' in source && problem(`${path}[${index}].secretRef`, 'imports a whole Secret; give each secret its own secretKeyRef'));
    if (key === 'env' && Array.isArray(value)) value.forEach((variable, index) => generatedEnv.has(JSON.stringify(variable)) || checkEnv(variable, `${path}[${index}]`, secretVariables, problem));
    if (typeof value === 'string' && value.includes('{{') && !generatedTemplates.has(`${key}\u0000${value}`)) {
      const uses = value.match(/\{\{[^}]*\}\}?/g) ?? [value];
      if (!uses.every((use) => HARMLESS_TEMPLATE.test(use))) problem(path, `adds Argo template syntax (${JSON.stringify(value.slice(0, 80))}); only the controller's facts (workflow.name, workflow.namespace, workflow.uid, workflow.status) may be added, never parameters or expressions`);
    }
  });
  return problems;
}

function checkWorkflowSpec(spec: Data, at: string, complete: boolean, problem: (path: string, text: string) => void): void {
  if (complete && !('automountServiceAccountToken' in spec)) problem(`${at}.automountServiceAccountToken`, 'must stay false: pods get no service account token');
  if (complete || 'securityContext' in spec) checkPodSecurity(spec.securityContext, `${at}.securityContext`, complete, problem);
  checkVolumes(spec.volumes, `${at}.volumes`, problem);
  if (isMap(spec.templateDefaults)) checkTemplate(spec.templateDefaults, `${at}.templateDefaults`, false, problem);
  const templates = spec.templates;
  if (complete && !Array.isArray(templates)) problem(`${at}.templates`, 'is missing');
  if (Array.isArray(templates)) templates.forEach((template, index) => (isMap(template) ? checkTemplate(template, `${at}.templates[${index}]`, true, problem) : problem(`${at}.templates[${index}]`, 'is not a template')));
}

function checkTemplate(template: Data, at: string, complete: boolean, problem: (path: string, text: string) => void): void {
  for (const type of FORBIDDEN_TEMPLATE_TYPES) if (type in template) problem(`${at}.${type}`, type === 'resource' ? 'creates Kubernetes objects of its own' : 'runs outside the checked pods');
  if (complete && !Object.keys(template).some((key) => TEMPLATE_TYPES.has(key) || FORBIDDEN_TEMPLATE_TYPES.includes(key))) problem(at, 'has no type Sluice knows (container, script, containerSet, dag, steps, suspend)');
  if ('securityContext' in template) checkPodSecurity(template.securityContext, `${at}.securityContext`, false, problem);
  checkVolumes(template.volumes, `${at}.volumes`, problem);
  const containers: [PlainData, string][] = [];
  for (const key of ['container', 'script']) if (key in template) containers.push([template[key] as PlainData, `${at}.${key}`]);
  for (const key of ['initContainers', 'sidecars']) if (Array.isArray(template[key])) (template[key] as PlainData[]).forEach((c, i) => containers.push([c, `${at}.${key}[${i}]`]));
  const set = template.containerSet;
  if (isMap(set) && Array.isArray(set.containers)) set.containers.forEach((c, i) => containers.push([c, `${at}.containerSet.containers[${i}]`]));
  for (const [container, path] of containers) {
    if (!isMap(container)) problem(path, 'is not a container');
    else checkContainerSecurity(container.securityContext, `${path}.securityContext`, complete, problem);
  }
}

function checkPodSecurity(context: PlainData | undefined, at: string, required: boolean, problem: (path: string, text: string) => void): void {
  if (!isMap(context)) {
    if (required || context !== undefined) problem(at, 'must set runAsNonRoot: true and seccompProfile RuntimeDefault');
    return;
  }
  if (required ? context.runAsNonRoot !== true : 'runAsNonRoot' in context && context.runAsNonRoot !== true) problem(`${at}.runAsNonRoot`, 'must be true');
  for (const key of ['runAsUser', 'runAsGroup']) if (context[key] === 0) problem(`${at}.${key}`, 'is 0 (root)');
  checkSeccomp(context.seccompProfile, `${at}.seccompProfile`, required, problem);
  if ('sysctls' in context) problem(`${at}.sysctls`, 'changes kernel settings');
}

function checkContainerSecurity(context: PlainData | undefined, at: string, required: boolean, problem: (path: string, text: string) => void): void {
  if (!isMap(context)) {
    if (required || context !== undefined) problem(at, 'must set allowPrivilegeEscalation: false and capabilities.drop [ALL]');
    return;
  }
  if (required ? context.allowPrivilegeEscalation !== false : 'allowPrivilegeEscalation' in context && context.allowPrivilegeEscalation !== false) problem(`${at}.allowPrivilegeEscalation`, 'must be false');
  const capabilities = context.capabilities;
  const drop = isMap(capabilities) ? capabilities.drop : undefined;
  if (required ? !(Array.isArray(drop) && drop.includes('ALL')) : isMap(capabilities) && 'drop' in capabilities && !(Array.isArray(drop) && drop.includes('ALL'))) problem(`${at}.capabilities.drop`, 'must include ALL');
  const add = isMap(capabilities) ? capabilities.add : undefined;
  if (add !== undefined && !(Array.isArray(add) && add.every((capability) => capability === 'NET_BIND_SERVICE'))) problem(`${at}.capabilities.add`, 'may add NET_BIND_SERVICE only');
  if ('runAsNonRoot' in context && context.runAsNonRoot !== true) problem(`${at}.runAsNonRoot`, 'must be true');
  for (const key of ['runAsUser', 'runAsGroup']) if (context[key] === 0) problem(`${at}.${key}`, 'is 0 (root)');
  if ('procMount' in context && context.procMount !== 'Default') problem(`${at}.procMount`, 'must be Default');
  checkSeccomp(context.seccompProfile, `${at}.seccompProfile`, false, problem);
}

function checkSeccomp(profile: PlainData | undefined, at: string, required: boolean, problem: (path: string, text: string) => void): void {
  if (profile === undefined && !required) return;
  const type = isMap(profile) ? profile.type : undefined;
  if (type !== 'RuntimeDefault' && type !== 'Localhost') problem(at, 'must be RuntimeDefault (or Localhost)');
}

function checkVolumes(volumes: PlainData | undefined, at: string, problem: (path: string, text: string) => void): void {
  if (volumes === undefined) return;
  if (!Array.isArray(volumes)) return problem(at, 'is not a list');
  volumes.forEach((volume, index) => {
    if (!isMap(volume)) return problem(`${at}[${index}]`, 'is not a volume');
    for (const key of Object.keys(volume).filter((k) => k !== 'name' && k !== 'hostPath')) {
      if (!VOLUME_TYPES.has(key)) problem(`${at}[${index}].${key}`, key === 'secret' ? 'mounts a Secret; give each secret its own secretKeyRef instead' : 'is a volume type the restricted Pod Security Standard does not allow');
    }
    const projected = volume.projected;
    const sources = isMap(projected) && Array.isArray(projected.sources) ? projected.sources : [];
    sources.forEach((source, position) => {
      for (const key of isMap(source) ? Object.keys(source) : []) if (!PROJECTED_SOURCES.has(key)) problem(`${at}[${index}].projected.sources[${position}].${key}`, key === 'serviceAccountToken' ? 'mounts a service account token' : 'projects a Secret; use secretKeyRef');
    });
  });
}

function checkEnv(variable: PlainData, at: string, secretVariables: ReadonlySet<string>, problem: (path: string, text: string) => void): void {
  if (!isMap(variable)) return problem(at, 'is not an environment variable');
  const name = String(variable.name);
  const fromSecret = isMap(variable.valueFrom) && 'secretKeyRef' in variable.valueFrom;
  if (secretVariables.has(name) && !fromSecret) problem(at, `${name} is a secret and must come from secretKeyRef`);
  if (variable.valueFrom !== undefined) {
    const from = variable.valueFrom;
    const sources = isMap(from) ? Object.keys(from) : [];
    const fieldPath = field(from, 'fieldRef', 'fieldPath');
    const allowed = sources.length === 1 && (sources[0] === 'secretKeyRef' || (sources[0] === 'fieldRef' && typeof fieldPath === 'string' && ANNOTATION_FIELD.test(fieldPath)));
    if (!allowed) problem(`${at}.valueFrom`, 'may only be a secretKeyRef (configMapKeyRef, resourceFieldRef and other fields are refused; put settings in value)');
  }
  if (typeof variable.value === 'string' && expandsVariable(variable.value)) problem(`${at}.value`, 'holds $( which the kubelet expands into another variable (write $$( for a literal)');
  if (typeof variable.value === 'string' && variable.value !== '') {
    if (SECRET_LIKE_NAME.test(name) && !/^\{\{workflow\.parameters\.[A-Za-z0-9_]+\}\}$/.test(variable.value)) problem(`${at}.value`, `${name} looks like a secret but holds plain text; put it in a Kubernetes Secret and use secretKeyRef`);
    else if (CREDENTIAL_FORMAT.test(variable.value)) problem(`${at}.value`, 'holds what looks like a credential in plain text; use secretKeyRef');
  }
}

/** Visits every value with its path and the nearest field name (list items get their list's name). */
function walk(value: PlainData | undefined, path: string, visit: (value: PlainData, path: string, key: string | undefined) => void, key?: string): void {
  if (value === undefined) return;
  visit(value, path, key);
  if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`, visit, key));
  else if (isMap(value)) for (const [child, item] of Object.entries(value)) walk(item, path === '' ? child : `${path}.${child}`, visit, child);
}

function field(value: PlainData | undefined, ...keys: string[]): PlainData | undefined {
  let current = value;
  for (const key of keys) current = isMap(current) ? current[key] : undefined;
  return current;
}

function isMap(value: PlainData | undefined): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
