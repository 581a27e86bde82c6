/**
 * `sluice import <workflow.yml>`: a hand-written GitHub Actions workflow as pipeline.ts, plus a
 * migration report (what was mapped, what became a TODO and why, notes on known mistakes).
 *
 * Jobs become chains of steps in one DAG (a job's first step needs the last step of each job it
 * needs), so parallel jobs stay parallel; job and step conditions become typed `when.*` conditions
 * with GitHub's meaning (conditions.ts); commands become typed `dbt.*` calls or argv lists
 * (steps.ts). Whatever Sluice cannot represent becomes a `todo(what, originalYaml)` entry, which
 * makes `sluice check` and `compile` fail (SLUICE_E_IMPORT_TODO) until a person handles it. Finally
 * the pipeline is checked against a model of the original under every single failure and every
 * cancellation point (verify.ts), and each remaining difference becomes a TODO too.
 *
 * Workflow text reaches pipeline.ts only through `literal()` (code.ts); identifiers are made from
 * letters and digits; comments hold only fixed text and those identifiers.
 */
import { basename } from 'node:path';
import { identifier, inputRef, literal } from './code.js';
import { printPipeline, renderCondition, type PlannedStep } from './print.js';
import type { ImportReport } from './report.js';
import { ConditionTranslator, isDefault, toCondition, type Formula, type JobInfo, type StepInfo } from './conditions.js';
import type { ModelContext, ModelJob } from './github-model.js';
import { importStep, type TodoItem } from './steps.js';
import { importTriggers } from './triggers.js';
import { verifyImport, type ImportedStepShape } from './verify.js';
import { isRecord, jobOrder, needsOf, stepsOf, yamlOf, type Workflow, type WorkflowJob } from './workflow.js';

export { formatReport, type ImportReport } from './report.js';

export interface ImportResult {
  code: string;
  report: ImportReport;
}

const WORKFLOW_KEYS = new Set(['name', 'on', 'env', 'jobs', 'permissions']);
const JOB_KEYS = new Set(['name', 'runs-on', 'needs', 'if', 'steps', 'env', 'permissions', 'timeout-minutes']);
const STEP_KEYS = new Set(['name', 'id', 'uses', 'run', 'if', 'with', 'env', 'continue-on-error', 'timeout-minutes', 'shell']);

export async function importWorkflow(file: string, source: string): Promise<ImportResult> {
  const { parse } = await import('yaml');
  const parsed: unknown = parse(source);
  if (!isRecord(parsed)) throw new Error('the file is not a mapping (a workflow has `on:` and `jobs:`)');
  const workflow = parsed as Workflow;
  const todos: TodoItem[] = [];
  const mapped: string[] = [];
  const notes: string[] = [];
  const name = slug(typeof workflow.name === 'string' ? workflow.name : basename(file).replace(/\.ya?ml$/, ''));

  const concurrency = importConcurrency(workflow.concurrency);
  if (concurrency) mapped.push(`concurrency -> ${concurrency}`);
  for (const key of Object.keys(workflow)) {
    if (key === 'permissions') notes.push('permissions: Sluice grants each generated job the least it needs');
    else if (key === 'concurrency' && concurrency) continue;
    else if (!WORKFLOW_KEYS.has(key)) todos.push({ what: `the workflow's '${key}' has no Sluice equivalent here`, original: yamlOf(key, workflow[key]) });
  }
  const triggers = importTriggers(workflow.on);
  todos.push(...triggers.todos);
  mapped.push(...triggers.mapped);
  const inputNames = new Set(triggers.inputs.keys());
  const pipelineEnv = importEnv(workflow.env ?? {}, 'env', undefined, todos);

  const jobs: Record<string, WorkflowJob> = isRecord(workflow.jobs) ? (workflow.jobs as Record<string, WorkflowJob>) : {};
  const order = jobOrder(jobs);
  const taken = new Set<string>();
  const planned: PlannedStep[] = [];
  const stepMap: ImportReport['steps'] = [];
  const jobInfos: JobInfo[] = [];
  let python: string | undefined;
  let requirements: string | undefined;
  let timeoutMinutes: number | undefined;

  for (const jobName of order) {
    const job = isRecord(jobs[jobName]) ? (jobs[jobName] as WorkflowJob) : {};
    const where = `jobs.${jobName}`;
    for (const key of Object.keys(job)) {
      if (key === 'runs-on' && typeof job[key] === 'string' && /^ubuntu-/.test(job[key] as string)) mapped.push(`${where}.runs-on ${job[key] as string} -> Sluice's ubuntu runner`);
      else if (key === 'permissions') notes.push(`${where}.permissions: Sluice grants each generated job the least it needs`);
      else if (key === 'timeout-minutes' && order.length === 1 && typeof job[key] === 'number') timeoutMinutes = job[key] as number;
      else if (!JOB_KEYS.has(key) || key === 'runs-on' || key === 'timeout-minutes') todos.push({ what: `job '${jobName}': '${key}' has no Sluice equivalent here`, original: yamlOf(`${where}.${key}`, job[key]) });
    }
    const needs = [...new Set(needsOf(job))].filter((need) => {
      if (!(need in jobs)) todos.push({ what: `job '${jobName}' needs '${need}', which is not a job of this workflow`, original: yamlOf(`${where}.needs`, job.needs) });
      else if (!jobInfos.some((done) => done.name === need)) todos.push({ what: `job '${jobName}' needs '${need}', which needs it in turn (a cycle GitHub refuses)`, original: yamlOf(`${where}.needs`, job.needs) });
      else return true;
      return false;
    });
    const jobSteps: StepInfo[] = [];
    for (const [index, step] of stepsOf(job).entries()) {
      const stepWhere = `${where}.steps[${index}]`;
      const label = String(step.name ?? step.id ?? actionName(step.uses) ?? commandWords(step.run) ?? `${jobName} step ${index + 1}`);
      const imported = importStep(step, { inputs: inputNames, booleanInputs: triggers.booleanInputs, where: stepWhere, label, ...(typeof step.shell === 'string' ? { shell: step.shell } : {}) });
      todos.push(...imported.todos);
      if (imported.kind === 'setup') {
        mapped.push(`${stepWhere} ${imported.mapped}`);
        if (imported.runtime?.python) python = imported.runtime.python;
        if (imported.runtime?.requirements) requirements = imported.runtime.requirements;
        if (step.if !== undefined) todos.push({ what: `set-up step '${label}' has a condition; Sluice always sets up`, original: yamlOf(stepWhere, step) });
        continue;
      }
      const key = identifier(typeof step.id === 'string' ? step.id : label, taken);
      taken.add(key);
      const info: StepInfo = { key, ...(typeof step.id === 'string' ? { ghId: step.id } : {}), ...(conditionText(step.if) !== undefined ? { if: conditionText(step.if) as string } : {}), continueOnError: step['continue-on-error'] === true, imported: imported.kind === 'step' };
      jobSteps.push(info);
      stepMap.push({ where: stepWhere, id: key, label, imported: imported.kind === 'step' });
      if (imported.kind === 'missing') continue;
      mapped.push(`${stepWhere} ${imported.mapped}`);
      notes.push(...imported.notes);
      for (const other of Object.keys(step)) {
        if (!STEP_KEYS.has(other) || (other === 'shell' && step.shell !== 'bash')) todos.push({ what: `step '${label}': '${other}' has no Sluice equivalent here`, original: yamlOf(`${stepWhere}.${other}`, step[other]) });
      }
      if (step['continue-on-error'] !== undefined && typeof step['continue-on-error'] !== 'boolean') todos.push({ what: `step '${label}': continue-on-error is an expression`, original: yamlOf(`${stepWhere}.continue-on-error`, step['continue-on-error']) });
      // Job env applies to each of the job's steps (so parallel jobs keep their own values); step env wins.
      const env = [...importEnv(job.env ?? {}, `${where}.env`, inputNames, todos), ...importEnv(step.env ?? {}, `${stepWhere}.env`, inputNames, todos)];
      const merged = new Map<string, string>();
      for (const [variable, value] of [...env, ...imported.env]) merged.set(variable, value);
      planned.push({ key, original: yamlOf(`jobs.${jobName}`, { ...(job.if !== undefined ? { if: job.if } : {}), ...(needs.length > 0 ? { needs } : {}), steps: [step] }), job: jobName, label, info, call: imported.call, env: [...merged], ...(typeof step['timeout-minutes'] === 'number' ? { timeoutMinutes: step['timeout-minutes'] } : {}) });
    }
    jobInfos.push({ name: jobName, needs, ...(conditionText(job.if) !== undefined ? { if: conditionText(job.if) as string } : {}), steps: jobSteps });
  }

  // Conditions and needs.
  const translator = new ConditionTranslator(jobInfos);
  const lastOf = (jobName: string, seen = new Set<string>()): string[] => {
    if (seen.has(jobName)) return [];
    seen.add(jobName);
    const info = jobInfos.find((job) => job.name === jobName) as JobInfo;
    const imported = info.steps.filter((step) => step.imported);
    if (imported.length > 0) return [(imported[imported.length - 1] as StepInfo).key];
    return [...new Set(info.needs.flatMap((need) => lastOf(need, seen)))];
  };
  const shapes: ImportedStepShape[] = [];
  const conditionCode = new Map<string, string | undefined>();
  const needsCode = new Map<string, string[]>();
  for (const step of planned) {
    const info = jobInfos.find((job) => job.name === step.job) as JobInfo;
    const position = info.steps.findIndex((candidate) => candidate.key === step.key);
    const previous = info.steps.slice(0, position).reverse().find((candidate) => candidate.imported);
    const needs = previous ? [previous.key] : [...new Set(info.needs.flatMap((need) => lastOf(need)))];
    const translation = translator.step(step.job, step.key);
    for (const text of [...new Set(translation.opaque)]) todos.push({ what: `step '${step.label}': the condition part \`${text}\` has no Sluice equivalent; the step runs as if it were true`, original: step.original });
    for (const note of translation.notes) notes.push(`step '${step.label}': ${note}`);
    noteKnownMistakes(step, translation.condition, notes);
    const intended = intendedCondition(step.info.if);
    if (intended !== undefined) {
      const meant = translator.step(step.job, step.key, intended).condition;
      notes.push(`step '${step.label}': suggested: if: ${isDefault(meant, needs) ? 'when.success()' : renderCondition(toCondition(meant, needs))} (what '${intended}' means)`);
    }
    const condition = toCondition(translation.condition, needs);
    shapes.push({ key: step.key, label: step.label, needs, condition, allowFailure: step.info.continueOnError });
    needsCode.set(step.key, needs);
    conditionCode.set(step.key, isDefault(translation.condition, needs) ? undefined : renderCondition(condition));
  }

  // Check the result against the original under every single failure and cancellation.
  const modelJobs: ModelJob[] = jobInfos.map((job) => ({ name: job.name, needs: job.needs, ...(job.if !== undefined ? { if: job.if } : {}), steps: job.steps.map((step) => ({ key: step.key, ...(step.ghId ? { ghId: step.ghId } : {}), ...(step.if !== undefined ? { if: step.if } : {}), continueOnError: step.continueOnError })) }));
  const contexts: ModelContext[] = (triggers.events.length > 0 ? triggers.events : ['workflow_dispatch']).map((eventName) => ({ eventName, inputs: triggers.defaults }));
  try {
    for (const difference of verifyImport(modelJobs, shapes, contexts)) {
      const shown = difference.scenarios.slice(0, 3).join('; ') + (difference.scenarios.length > 3 ? `; and ${difference.scenarios.length - 3} more` : '');
      const step = planned.find((candidate) => candidate.key === difference.step);
      const label = difference.step === undefined ? 'the run result' : `step '${step?.label ?? difference.step}'`;
      todos.push({ what: `${label} differs from the workflow ${shown}`, original: step?.original ?? '' });
    }
  } catch (error) {
    if (process.env.SLUICE_DEBUG_IMPORT) console.error(error);
    todos.push({ what: `the imported pipeline could not be compared with the workflow (${error instanceof Error ? error.message : String(error)}); review every condition`, original: '' });
  }
  if (planned.length === 0) todos.push({ what: 'no step of the workflow could be imported; add steps by hand', original: yamlOf('jobs', workflow.jobs ?? null) });

  const code = await printPipeline({ name, concurrency, triggers: triggers.triggers, inputs: triggers.inputs, env: pipelineEnv, python, requirements, timeoutMinutes, todos, planned, needsCode, conditionCode });
  return { code, report: { source: basename(file), pipeline: name, mapped, todos, notes, steps: stepMap } };
}

/** Known mistakes: GitHub's step-level failure() (any earlier step), a condition that can never hold. */
function noteKnownMistakes(step: PlannedStep, condition: Formula, notes: string[]): void {
  if (step.info.if !== undefined && /failure\(\)/.test(step.info.if)) {
    notes.push(`step '${step.label}': GitHub's failure() in a step means "any earlier step of this job failed" (kept); if you meant "a step this one depends on failed", write if: when.failure()`);
  }
  if (condition.k === 'false') notes.push(`step '${step.label}': its condition can never be true on GitHub (a status check without a status function is \`success() && ...\`, false once a step failed); kept as never running. If you meant to run after a failure, add failure() or use when.failed(...)`);
}

/** `always() && '!cancelled()'` -> `always() && !cancelled()`: the condition a quoted status function was meant to be. */
function intendedCondition(raw: string | undefined): string | undefined {
  if (raw === undefined || !/'[^']*\w\(\)[^']*'/.test(raw)) return undefined;
  return raw.replace(/'([^']*\w\(\)[^']*)'/g, '$1');
}

function importEnv(env: Record<string, unknown>, where: string, inputs: ReadonlySet<string> | undefined, todos: TodoItem[]): [string, string][] {
  const entries: [string, string][] = [];
  if (!isRecord(env)) {
    todos.push({ what: `${where} is an expression`, original: yamlOf(where, env) });
    return entries;
  }
  for (const [variable, value] of Object.entries(env)) {
    const text = typeof value === 'string' ? value : value === null ? '' : String(value);
    if (!text.includes('${{')) {
      entries.push([variable, literal(text)]);
      continue;
    }
    const expression = /^\$\{\{\s*([\s\S]*?)\s*\}\}$/.exec(text.trim())?.[1];
    const secretName = expression ? /^secrets\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression)?.[1] : undefined;
    const inputName = expression ? /^inputs\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(expression)?.[1] : undefined;
    if (secretName) entries.push([variable, `secret(${literal(secretName)})`]);
    else if (inputName && inputs?.has(inputName)) entries.push([variable, inputRef(inputName)]);
    else todos.push({ what: `${where}.${variable} is computed by a GitHub expression when the run starts; Sluice cannot carry it (make it an input, a secret or a literal)`, original: yamlOf(`${where}.${variable}`, value) });
  }
  return entries;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 50).replace(/-$/, '') || 'imported';
}

/** The first words of a `run:` line (up to three, no expressions), to name an unnamed step. */
function commandWords(run: unknown): string | undefined {
  if (typeof run !== 'string') return undefined;
  const all = (run.trim().split('\n')[0] as string).split(/\s+/);
  const end = all.findIndex((word) => !/^[A-Za-z][\w-]*$/.test(word));
  const words = end === -1 ? all : all.slice(0, end);
  return words.length > 0 ? words.slice(0, 3).join(' ') : undefined;
}

/** `slackapi/slack-github-action@v2` -> `slack-github-action`. */
function actionName(uses: unknown): string | undefined {
  return typeof uses === 'string' ? uses.split('@')[0]?.split('/').pop() : undefined;
}

/** An `if:` as text; an empty one is no condition (GitHub treats it so). */
function conditionText(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const text = String(raw);
  return text.trim() === '' ? undefined : text;
}

/**
 * Workflow `concurrency` Sluice expresses exactly: a literal group, or GitHub's usual
 * `${{ github.workflow }}-${{ github.ref }}` (Sluice's default group: this pipeline, this ref).
 */
function importConcurrency(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const spec = typeof value === 'string' ? { group: value } : isRecord(value) ? value : undefined;
  if (!spec || Object.keys(spec).some((key) => key !== 'group' && key !== 'cancel-in-progress')) return undefined;
  const cancel = spec['cancel-in-progress'];
  if (cancel !== undefined && typeof cancel !== 'boolean') return undefined;
  const group = spec.group;
  if (typeof group !== 'string') return undefined;
  const perRef = /^\$\{\{\s*github\.workflow\s*\}\}-\$\{\{\s*github\.ref\s*\}\}$/.test(group.trim());
  if (!perRef && group.includes('${{')) return undefined;
  return `{ ${[...(perRef ? [] : [`group: ${literal(group)}`]), `cancelInProgress: ${cancel === true}`].join(', ')} }`;
}
