/**
 * Argo Workflows: per pipeline a WorkflowTemplate (submit it from the UI, the CLI or the API, inputs
 * as parameters) and a CronWorkflow per schedule, in one multi-document file.
 *
 * How semantics.md is kept (Argo >= 3.6, read from the controller):
 * - every step whose condition has no always() is a DAG task whose `depends` encodes its condition;
 * - a DAG's phase is decided by its leaf tasks, and an Omitted task inherits its parents' failures:
 *   so a `sluice-verdict` task depends on every task, is the only leaf, always runs, and fails
 *   exactly when a step without allowFailure failed. A notifier can never turn a failed run green;
 * - `argo stop` starts no new pod except exit handlers: always() steps form the `onExit` DAG;
 * - files travel on a per-run volume (`workspace`), staged by `sluice-prepare` from the image or git.
 */
import {
  DIAGNOSTIC_CODES,
  executionOrder,
  inputsUsedBy,
  normalConditions,
  userStrings,
  type ArgoTargetConfig,
  type Diagnostic,
  type PipelineIR,
  type SluiceIR,
  type StepIR,
  type Value,
} from '@sluice/sdk/ir';
import { argvLines, inputEnvName } from '../shared/bash.js';
import { hashHeader } from '../shared/header.js';
import { asProcessStep } from '../shared/process-step.js';
import { githubOnlyRefusals, refusedGithubOnlyStep } from '../shared/refusals.js';
import { NOTIFIER_ENV, notifierSettings, slackNotifierProgram } from '../shared/notify.js';
import { toYamlDocuments } from '../shared/yaml.js';
import type { EmitResult, GeneratedFile, Target } from '../types.js';
import { ARGO_TEMPLATE, checkArgoConfig } from './config-check.js';
import { finished, printDepends, schedulingFor, tasksIn, type DependsExpression } from './depends.js';
import { applyArgoOverride, argoSchemaDiagnostics } from './override.js';
import type { PlainData } from '../shared/plain-data.js';
import type { Container, CronWorkflow, DagTask, EnvVar, Template, WorkflowTemplate } from './model.js';
import { dnsLabel, MAX_CRON_NAME } from './names.js';
import { ARGO_DEFAULTS } from './options.js';

export { ARGO_DEFAULTS };

const WORKSPACE = '/workspace';
const PROJECT_DIR = `${WORKSPACE}/project`;
const PREPARE = 'sluice-prepare';
const VERDICT = 'sluice-verdict';
const EXIT = 'sluice-exit';
const RESERVED_TASKS = new Set([PREPARE, VERDICT, 'main', EXIT]);

/**
 * Stages the repository into the workspace and installs dbt packages in the dbt project, which may be
 * a sub-folder of the repository (`dbtProjectDir`). Our code; paths arrive as env.
 */
const PREPARE_SCRIPT = [
  'set -eu',
  'if [ -n "${SLUICE_SOURCE:-}" ]; then mkdir -p "$SLUICE_PROJECT" && cp -R "$SLUICE_SOURCE"/. "$SLUICE_PROJECT"/; fi',
  'if [ ! -f "$SLUICE_DBT_PROJECT/dbt_project.yml" ]; then echo "sluice: no dbt_project.yml in $SLUICE_DBT_PROJECT (check dbtProjectDir and the source)" >&2; exit 1; fi',
  'cd "$SLUICE_DBT_PROJECT"',
  'if [ "${SLUICE_DBT_DEPS:-0}" = 1 ]; then dbt deps; fi',
].join('\n');

/** Where the dbt project is in a pod: the repository's copy, plus dbtProjectDir (checked relative, no `..`). */
function dbtProjectPath(dbtProjectDir: string): string {
  const parts = dbtProjectDir.split('/').filter((part) => part !== '' && part !== '.');
  return parts.length === 0 ? PROJECT_DIR : `${PROJECT_DIR}/${parts.join('/')}`;
}

/** Fails when a step without allowFailure failed; its argument is `id=Phase ...`, phases from Argo. */
const VERDICT_SCRIPT = [
  'failed=""',
  'for entry in $1; do',
  '  case "$entry" in *=Failed | *=Error) failed="$failed ${entry%%=*}" ;; esac',
  'done',
  'if [ -n "$failed" ]; then echo "sluice: the run failed:$failed" >&2; exit 1; fi',
  'echo "sluice: the run succeeded"',
].join('\n');

export const argoTarget: Target<ArgoTargetConfig> = {
  name: 'argo',
  emit: emitArgo,
  outputDirs: (options) => [options.dir ?? ARGO_DEFAULTS.dir],
};

export function emitArgo(ir: SluiceIR, options: ArgoTargetConfig = {}): EmitResult {
  const diagnostics = [...checkArgoConfig(options, ir.dbtProjectDir), ...githubOnlyRefusals(ir, 'argo')];
  const files: GeneratedFile[] = [];
  const overridden: { pipeline: string; object: PlainData }[] = [];
  for (const pipeline of ir.pipelines) {
    const problems = refusals(pipeline, options);
    diagnostics.push(...problems);
    if (problems.length > 0 || diagnostics.length > 0) continue;
    const generated: object[] = [workflowTemplate(pipeline, options, ir.dbtProjectDir), ...cronWorkflows(pipeline, options)];
    const documents: unknown[] = [];
    for (const object of generated) {
      if (!options.override) {
        documents.push(object);
        continue;
      }
      const result = applyArgoOverride(options.override, object, pipeline.name);
      diagnostics.push(...result.diagnostics);
      if (result.object !== undefined) {
        documents.push(result.object);
        overridden.push({ pipeline: pipeline.name, object: result.object });
      }
    }
    if (diagnostics.length > 0) continue;
    files.push({
      path: `${options.dir ?? ARGO_DEFAULTS.dir}/${pipeline.name}.yaml`,
      content: hashHeader({ owner: 'argo', source: ir.source, contents: `pipeline "${pipeline.name}"` }) + toYamlDocuments(documents),
    });
  }
  if (diagnostics.length > 0) return { files: [], diagnostics };
  return overridden.length > 0 ? { files, diagnostics, lateChecks: () => argoSchemaDiagnostics(overridden) } : { files, diagnostics };
}

/** What this pipeline asks for that Argo cannot do; each names the pipeline, the step and the way out. */
function refusals(pipeline: PipelineIR, options: ArgoTargetConfig): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const refuse = (message: string, hint: string, step?: StepIR, location = step?.source ?? pipeline.source): void => {
    problems.push({
      code: DIAGNOSTIC_CODES.TARGET_UNSUPPORTED,
      message,
      hint,
      path: [`pipeline ${pipeline.name}`, ...(step ? [`step ${step.id}`] : []), 'target argo'],
      ...(location ? { location } : {}),
    });
  };
  if (!options.image && pipeline.runtime.kind !== 'image') {
    refuse(`Pipeline '${pipeline.name}' needs a container image on Argo.`, "Set targets.argo.image in sluice.config.ts (or runtime: runtime.image('...') on the pipeline).");
  }
  if (options.eventTriggers !== 'ignore') {
    for (const trigger of pipeline.triggers) {
      if (trigger.kind === 'pullRequest' || trigger.kind === 'push') {
        refuse(
          `Pipeline '${pipeline.name}' has a ${trigger.kind === 'push' ? 'push' : 'pull request'} trigger, which Argo Workflows has no equivalent for without Argo Events.`,
          "Compile this pipeline for GitHub Actions, or set targets.argo.eventTriggers: 'ignore' to emit it without the trigger (and submit it from your own Argo Events Sensor).",
          undefined,
          trigger.source ?? pipeline.source,
        );
      }
    }
  }
  const conditionOf = normalConditions(pipeline);
  const exitSteps = new Set(pipeline.steps.filter((step) => conditionOf(step.id).afterCancel).map((step) => step.id));
  for (const step of pipeline.steps) {
    // The exit handler cannot look at other steps' results: its steps must run unconditionally.
    if (exitSteps.has(step.id) && conditionOf(step.id).form !== true) {
      refuse(
        `Step '${step.id}' combines always() with other conditions; on Argo, steps that run after a cancellation are the exit handler, which cannot see other steps' results.`,
        'Use when.always() alone for this step, or drop always() (it then does not run after `argo stop`).',
        step,
      );
    }
    if (!exitSteps.has(step.id) && step.needs.some((need) => exitSteps.has(need))) {
      refuse(
        `Step '${step.id}' needs an always() step; on Argo, always() steps run last, as the exit handler.`,
        'Give this step when.always() too, or remove that need.',
        step,
      );
    }
  }
  const tasks = new Map<string, string>();
  for (const step of pipeline.steps) {
    const name = dnsLabel(step.id);
    const other = tasks.get(name) ?? (RESERVED_TASKS.has(name) ? '(reserved by Sluice)' : undefined);
    if (other !== undefined) {
      problems.push({
        code: DIAGNOSTIC_CODES.NAME_COLLISION,
        message: `Step '${step.id}' becomes the Argo task name '${name}', like step ${other}.`,
        hint: 'Rename one of the steps: Argo names are lower-case letters, digits and hyphens.',
        path: [`pipeline ${pipeline.name}`, `step ${step.id}`, 'target argo'],
        ...(step.source ? { location: step.source } : {}),
      });
    }
    tasks.set(name, `'${step.id}'`);
  }
  for (const string of userStrings(pipeline)) {
    if (string.value.includes(ARGO_TEMPLATE)) {
      problems.push({
        code: DIAGNOSTIC_CODES.EXPRESSION_IN_STRING,
        message: `The ${string.what} contains '{{', which Argo would evaluate as a template expression.`,
        hint: 'Remove it: Argo has no escape for {{. Pass run-time values as inputs.',
        path: [...string.path, 'target argo'],
        ...(string.location ? { location: string.location } : {}),
      });
    }
  }
  return problems;
}

function workflowTemplate(pipeline: PipelineIR, options: ArgoTargetConfig, dbtProjectDir: string): WorkflowTemplate {
  const names = new Map<string, string>();
  const taskName = (id: string): string => {
    let name = names.get(id);
    if (name === undefined) names.set(id, (name = dnsLabel(id)));
    return name;
  };
  const order = executionOrder(pipeline);
  const conditionOf = normalConditions(pipeline);
  const exitSteps = order.filter((step) => conditionOf(step.id).afterCancel);
  const mainSteps = order.filter((step) => !conditionOf(step.id).afterCancel);
  const serviceAccount = options.serviceAccountName ?? ARGO_DEFAULTS.serviceAccountName;
  const runAsUser = options.runAsUser ?? ARGO_DEFAULTS.runAsUser;

  const mainTasks: PlannedTask[] = [{ name: PREPARE, template: PREPARE, depends: [] }];
  for (const step of mainSteps) {
    const needs = step.needs.length > 0 ? step.needs.map(taskName) : [PREPARE];
    const scheduling = schedulingFor(conditionOf(step.id), needs, { taskName, prepareTask: PREPARE });
    mainTasks.push({
      name: taskName(step.id),
      template: `step-${taskName(step.id)}`,
      depends: scheduling.depends,
      ...(scheduling.never ? { when: 'false' } : {}),
    });
  }
  mainTasks.push(verdictTask(mainTasks, mainSteps, taskName));

  const templates: Template[] = [{ name: 'main', dag: { failFast: false, tasks: mainTasks.map(printTask) } }];
  if (exitSteps.length > 0) templates.push({ name: EXIT, dag: { failFast: false, tasks: exitTasks(exitSteps, taskName).map(printTask) } });
  const dbtProject = dbtProjectPath(dbtProjectDir);
  templates.push(prepareTemplate(pipeline, options, dbtProject), verdictTemplate(pipeline, options));
  for (const step of order) templates.push(stepTemplate(pipeline, step, options, taskName, dbtProject));

  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'WorkflowTemplate',
    metadata: metadata(pipeline.name, pipeline, options),
    spec: {
      entrypoint: 'main',
      ...(exitSteps.length > 0 ? { onExit: EXIT } : {}),
      ...(pipeline.inputs.length > 0 ? { arguments: { parameters: parameters(pipeline) } } : {}),
      serviceAccountName: serviceAccount,
      automountServiceAccountToken: false,
      // One pod at a time: the pods share one ReadWriteOnce volume and dbt's target/ on it (see ARCHITECTURE.md).
      parallelism: 1,
      executor: { serviceAccountName: options.executorServiceAccountName ?? serviceAccount },
      securityContext: { runAsNonRoot: true, runAsUser, runAsGroup: runAsUser, fsGroup: runAsUser, seccompProfile: { type: 'RuntimeDefault' } },
      ...(options.imagePullSecrets?.length ? { imagePullSecrets: options.imagePullSecrets.map((name) => ({ name })) } : {}),
      activeDeadlineSeconds: pipeline.timeoutMinutes * 60,
      podGC: { strategy: 'OnWorkflowSuccess' },
      ttlStrategy: { secondsAfterSuccess: 86_400, secondsAfterFailure: 604_800 },
      synchronization: { mutexes: [{ name: dnsLabel(pipeline.concurrency.group ?? `sluice-${pipeline.name}`) }] },
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'workspace' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(options.workspace?.storageClassName ? { storageClassName: options.workspace.storageClassName } : {}),
            resources: { requests: { storage: options.workspace?.size ?? ARGO_DEFAULTS.workspaceSize } },
          },
        },
      ],
      templates,
    },
  };
}

function metadata(name: string, pipeline: PipelineIR, options: ArgoTargetConfig): WorkflowTemplate['metadata'] {
  return {
    name,
    ...(options.namespace ? { namespace: options.namespace } : {}),
    labels: { 'app.kubernetes.io/managed-by': 'sluice', 'sluice.dev/pipeline': pipeline.name },
  };
}

/**
 * The WorkflowTemplate's parameters. An optional input without a default gets the value '' (and ''
 * among its enum), as on GitHub and the entrypoint: Argo refuses a parameter without a value, so the
 * CronWorkflow and a submission that leaves it out would not start. A required input has no value,
 * so a submission must give one.
 */
function parameters(pipeline: PipelineIR): { name: string; value?: string; description?: string; enum?: string[] }[] {
  return pipeline.inputs.map((input) => {
    const value = input.default !== undefined ? String(input.default) : input.required ? undefined : '';
    const options = input.type === 'choice' && input.options ? input.options : input.type === 'boolean' ? ['true', 'false'] : undefined;
    return {
      name: input.name,
      ...(value !== undefined ? { value } : {}),
      ...(input.description ? { description: input.description } : {}),
      ...(options ? { enum: value === '' && !options.includes('') ? ['', ...options] : options } : {}),
    };
  });
}

/**
 * Kubernetes expands `$(NAME)` in env values, command and args, and turns `$$` into `$`. Escaping
 * every `$` that starts either (`$$`, `$(`) as `$$` makes the kubelet deliver the string byte for
 * byte; any other `$` is left alone by Kubernetes and stays readable.
 */
export function escapeKubernetesExpansion(value: string): string {
  return value.replace(/\$(?=[$(])/g, '$$$$');
}

/**
 * Input values reach a pod as annotations (Argo substitutes `{{workflow.parameters.x}}` there) read
 * through the downward API: `valueFrom` is never `$(VAR)`-expanded, so a submitted `$(SECRET)` or
 * `$$` arrives as written. The key is the input name, or its position when the name ends in `_`
 * (not allowed at the end of an annotation name; input names start with a letter, so never clash).
 */
function inputAnnotation(pipeline: PipelineIR, name: string): string {
  return `inputs.sluice.dev/${/[A-Za-z0-9]$/.test(name) ? name : String(pipeline.inputs.findIndex((input) => input.name === name))}`;
}

function inputEnv(pipeline: PipelineIR, envName: string, input: string): EnvVar {
  return { name: envName, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${inputAnnotation(pipeline, input)}']` } } };
}

/** A DAG task whose `depends` is still structured: what it waits for is read from it, not from text. */
type PlannedTask = Omit<DagTask, 'depends'> & { depends: DependsExpression[] };

function printTask({ name, template, depends, ...rest }: PlannedTask): DagTask {
  return { name, template, ...(depends.length > 0 ? { depends: printDepends(depends) } : {}), ...rest };
}

/**
 * The verdict waits for the leaf tasks (so for every task: each is upstream of a leaf), becomes the
 * only leaf itself, and judges the run from the phases of the steps that may not fail.
 */
function verdictTask(tasks: PlannedTask[], steps: StepIR[], taskName: (id: string) => string): PlannedTask {
  const dependedOn = new Set(tasks.flatMap((task) => task.depends.flatMap((clause) => [...tasksIn(clause)])));
  const leaves = tasks.map((task) => task.name).filter((name) => !dependedOn.has(name));
  const judged = [...tasks.filter((task) => task.name === PREPARE).map((task) => task.name), ...steps.filter((step) => !step.allowFailure).map((step) => taskName(step.id))];
  return {
    name: VERDICT,
    template: VERDICT,
    depends: leaves.map(finished),
    arguments: { parameters: [{ name: 'phases', value: judged.map((name) => `${name}={{tasks.${name}.status}}`).join(' ') }] },
  };
}

/** always() steps, after everything else: they wait only for each other. */
function exitTasks(steps: StepIR[], taskName: (id: string) => string): PlannedTask[] {
  const inExit = new Set(steps.map((step) => step.id));
  const tasks: PlannedTask[] = steps.map((step) => {
    const waits = step.needs.filter((need) => inExit.has(need)).map((need) => finished(taskName(need)));
    return { name: taskName(step.id), template: `step-${taskName(step.id)}`, depends: waits };
  });
  // One exit step decides the exit DAG's phase by itself; with more, a later leaf could hide a failure.
  if (steps.length > 1 || steps.some((step) => step.allowFailure)) tasks.push(verdictTask(tasks, steps, taskName));
  return tasks;
}

/**
 * Parts every container has, built once and shared by reference: the writer reads them, nothing
 * mutates them (an override works on its own copy), and thousands of steps then cost no copies.
 */
const CONTAINER_SECURITY: Container['securityContext'] = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true };
const WORKSPACE_MOUNTS: Container['volumeMounts'] = [{ name: 'workspace', mountPath: WORKSPACE }];

function baseContainer(pipeline: PipelineIR, options: ArgoTargetConfig, command: string[], env: EnvVar[], workingDir: string): Container {
  return {
    name: 'main',
    image: pipeline.runtime.kind === 'image' ? pipeline.runtime.image : (options.image as string),
    imagePullPolicy: options.imagePullPolicy ?? ARGO_DEFAULTS.imagePullPolicy,
    // Every literal goes through the kubelet's $(VAR) expansion: escaped, it arrives byte for byte.
    command: command.map(escapeKubernetesExpansion),
    workingDir,
    ...(env.length > 0 ? { env: env.map((variable) => (variable.value === undefined ? variable : { ...variable, value: escapeKubernetesExpansion(variable.value) })) } : {}),
    resources: {
      requests: options.resources?.requests ?? ARGO_DEFAULTS.resources.requests,
      limits: options.resources?.limits ?? ARGO_DEFAULTS.resources.limits,
    },
    securityContext: CONTAINER_SECURITY,
    volumeMounts: WORKSPACE_MOUNTS,
  };
}

function prepareTemplate(pipeline: PipelineIR, options: ArgoTargetConfig, dbtProject: string): Template {
  const source = options.source ?? ARGO_DEFAULTS.source;
  const env: EnvVar[] = [
    { name: 'SLUICE_PROJECT', value: PROJECT_DIR },
    { name: 'SLUICE_DBT_PROJECT', value: dbtProject },
    { name: 'SLUICE_DBT_DEPS', value: pipeline.runtime.dbtDeps ? '1' : '0' },
  ];
  if ('image' in source) env.unshift({ name: 'SLUICE_SOURCE', value: source.image });
  // A required input submitted empty stops the run before any step, as on the entrypoint.
  const required = pipeline.inputs.filter((input) => input.required).map((input) => input.name);
  for (const name of required) env.push(inputEnv(pipeline, inputEnvName(name), name));
  const checks = required.map((name) => `if [ -z "\${${inputEnvName(name)}:-}" ]; then echo 'sluice: input ${name} is required' >&2; exit 2; fi`);
  const container = baseContainer(pipeline, options, ['sh', '-c', [...checks, PREPARE_SCRIPT].join('\n')], env, WORKSPACE);
  return {
    name: PREPARE,
    ...(required.length > 0 ? { metadata: { annotations: Object.fromEntries(required.map((name) => [inputAnnotation(pipeline, name), `{{workflow.parameters.${name}}}`])) } } : {}),
    ...('git' in source ? { inputs: { artifacts: [{ name: 'source', path: PROJECT_DIR, git: { repo: source.git.repo, revision: source.git.revision ?? 'main', depth: 1 } }] } } : {}),
    container,
  };
}

function verdictTemplate(pipeline: PipelineIR, options: ArgoTargetConfig): Template {
  return {
    name: VERDICT,
    inputs: { parameters: [{ name: 'phases' }] },
    container: baseContainer(pipeline, options, ['sh', '-c', VERDICT_SCRIPT, VERDICT, '{{inputs.parameters.phases}}'], [], WORKSPACE),
  };
}

function stepTemplate(pipeline: PipelineIR, meaning: StepIR, options: ArgoTargetConfig, taskName: (id: string) => string, dbtProject: string): Template {
  // Sluice's own S3/GCS steps run as the processes that do them (GitHub artifacts and Pages were refused).
  const step = asProcessStep(meaning);
  const env: EnvVar[] = [...pipeline.env, ...step.env].map((variable) => envVar(pipeline, variable.name, variable.value, options));
  const usedInputs = inputsUsedBy(pipeline, step);
  for (const name of usedInputs) env.push(inputEnv(pipeline, inputEnvName(name), name));
  const annotations = Object.fromEntries(usedInputs.map((name) => [inputAnnotation(pipeline, name), `{{workflow.parameters.${name}}}`]));
  const command = step.command;
  let argv: string[];
  switch (command.kind) {
    case 'argv': {
      const literalOnly = command.argv.every((arg) => arg.kind === 'literal');
      argv = literalOnly ? command.argv.map((arg) => (arg as { value: string }).value) : ['bash', '-c', argvLines(command.argv).join('\n')];
      break;
    }
    case 'script':
      argv = ['bash', '-eo', 'pipefail', '-c', command.script];
      break;
    case 'state-load':
    case 'state-save':
    case 'publish':
      return refusedGithubOnlyStep();
    case 'notify-slack':
    case 'notify-teams':
    case 'notify-webhook':
    case 'notify-email':
      env.push(
        ...notifierSettings(command).map((setting) => envVar(pipeline, setting.name, setting.value, options)),
        { name: NOTIFIER_ENV.pipeline, value: pipeline.name },
        { name: NOTIFIER_ENV.status, value: '{{workflow.status}}' },
        { name: NOTIFIER_ENV.trigger, value: 'Argo workflow {{workflow.name}}' },
        ...(options.uiUrl ? [{ name: NOTIFIER_ENV.runUrl, value: `${options.uiUrl.replace(/\/$/, '')}/workflows/{{workflow.namespace}}/{{workflow.name}}` }] : []),
      );
      argv = ['python3', '-c', slackNotifierProgram()];
      break;
  }
  return {
    name: `step-${taskName(step.id)}`,
    ...(usedInputs.length > 0 ? { metadata: { annotations } } : {}),
    container: baseContainer(pipeline, options, argv, env, dbtProject),
    ...(step.retries > 0 ? { retryStrategy: { limit: step.retries, retryPolicy: 'Always' as const, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } } } : {}),
    ...(step.timeoutMinutes !== undefined ? { activeDeadlineSeconds: step.timeoutMinutes * 60 } : {}),
  };
}

function envVar(pipeline: PipelineIR, name: string, value: Value, options: ArgoTargetConfig): EnvVar {
  switch (value.kind) {
    case 'literal':
      return { name, value: value.value };
    case 'secret':
      return { name, valueFrom: { secretKeyRef: secretRef(value.name, options) } };
    case 'input':
      return inputEnv(pipeline, name, value.name);
  }
}

function secretRef(secret: string, options: ArgoTargetConfig): { name: string; key: string } {
  return options.secrets?.[secret] ?? { name: options.secretName ?? ARGO_DEFAULTS.secretName, key: secret };
}

function cronWorkflows(pipeline: PipelineIR, options: ArgoTargetConfig): CronWorkflow[] {
  const schedules = pipeline.triggers.filter((trigger) => trigger.kind === 'schedule');
  return schedules.map((trigger, position) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'CronWorkflow',
    metadata: metadata(dnsLabel(schedules.length === 1 ? pipeline.name : `${pipeline.name}-${position + 1}`, MAX_CRON_NAME), pipeline, options),
    spec: {
      schedules: [trigger.cron],
      timezone: trigger.timezone ?? 'UTC',
      concurrencyPolicy: pipeline.concurrency.cancelInProgress ? 'Replace' : 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      workflowSpec: { workflowTemplateRef: { name: pipeline.name } },
    },
  }));
}
