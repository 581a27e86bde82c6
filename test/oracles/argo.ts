/**
 * A model of how the Argo Workflows controller (v3.6+ semantics, read from workflow/controller/dag.go
 * and the enhanced-depends documentation) runs what the Argo target emits, as a test oracle:
 * - a task is considered once every task its `depends` names is fulfilled; `depends` is evaluated
 *   over task results (Succeeded, Failed, Errored, Skipped, Omitted, Daemoned); false -> Omitted;
 *   `when: "false"` -> Skipped;
 * - a task's retryStrategy.limit is honoured: it fails only when more attempts fail than it allows;
 * - a DAG's phase comes from its target (leaf) tasks: BFS over the node graph where an Omitted or
 *   Skipped node inherits its parents' branch phase, Failed/Error preferred (assessDAGPhase);
 * - `argo stop`: the running pod fails, no new pod starts, then the onExit DAG runs;
 * - the workflow is Failed when the main DAG or the exit handler is Failed.
 * The verdict task's container is modelled by its contract: it fails when one of the `id=Phase`
 * pairs in its argument has phase Failed or Error.
 * Tasks run one at a time in the execution order, which is one valid Argo schedule.
 */
import type { RunResult, StepStatus } from '@sluice/sdk/ir';
import { parseAllDocuments } from 'yaml';

interface Task {
  name: string;
  template: string;
  depends?: string;
  when?: string;
  arguments?: { parameters: { name: string; value: string }[] };
}
interface Template {
  name: string;
  dag?: { tasks: Task[]; failFast?: boolean };
  retryStrategy?: { limit: number };
  container?: { command: string[] };
}
type Phase = 'Succeeded' | 'Failed' | 'Error' | 'Skipped' | 'Omitted';

export interface ArgoFaults {
  /** Failing attempts per task name ('always': every attempt). */
  fail: ReadonlyMap<string, number | 'always'>;
  /** Stop the workflow while this task runs. */
  stopAt?: string;
}

export interface ArgoRun {
  /** Task phases of both DAGs, by task name. */
  phases: Map<string, Phase>;
  workflowPhase: 'Succeeded' | 'Failed';
  stopped: boolean;
}

const RESULT_NAMES = ['Succeeded', 'Failed', 'Errored', 'Skipped', 'Omitted', 'Daemoned'] as const;

function workflowTemplateOf(yamlText: string): { spec: { entrypoint: string; onExit?: string; templates: Template[] } } {
  const documents = parseAllDocuments(yamlText).map((document) => document.toJS());
  const template = documents.find((document) => document?.kind === 'WorkflowTemplate');
  if (!template) throw new Error('no WorkflowTemplate');
  return template;
}

export function runArgo(yamlText: string, faults: ArgoFaults, order: readonly string[]): ArgoRun {
  const spec = workflowTemplateOf(yamlText).spec;
  const templates = new Map(spec.templates.map((template) => [template.name, template]));
  const phases = new Map<string, Phase>();
  let stopped = false;

  const runDag = (dagName: string, onExit: boolean): Phase => {
    const dag = templates.get(dagName)?.dag;
    if (!dag) throw new Error(`no DAG template ${dagName}`);
    const tasks = dag.tasks;
    const parents = new Map(tasks.map((task) => [task.name, dependenciesOf(task)]));
    // Deterministic schedule: follow the given order, then anything else as declared.
    const pending = [...tasks].sort((a, b) => rank(order, a.name) - rank(order, b.name));
    while (pending.length > 0) {
      const index = pending.findIndex((task) => (parents.get(task.name) ?? []).every((parent) => phases.has(parent)));
      if (index < 0) throw new Error(`DAG ${dagName} is stuck: ${pending.map((t) => t.name).join(', ')}`);
      const task = pending.splice(index, 1)[0] as Task;
      if (stopped && !onExit) break; // no new pod after `argo stop`: the remaining tasks never appear
      const runs = (!task.depends || evaluateDepends(task.depends, phases)) && task.when !== 'false';
      if (!onExit && faults.stopAt === task.name) {
        // Stopped while it runs (or, if it was not going to run, just before it).
        stopped = true;
        phases.set(task.name, runs ? 'Failed' : task.when === 'false' ? 'Skipped' : 'Omitted');
        continue;
      }
      if (!runs) {
        phases.set(task.name, task.when === 'false' ? 'Skipped' : 'Omitted');
        continue;
      }
      phases.set(task.name, execute(task, templates.get(task.template) as Template, faults, phases));
    }
    return assessDagPhase(tasks, parents, phases);
  };

  const mainPhase = runDag(spec.entrypoint, false);
  // A stopped workflow is Failed whatever its DAG would say.
  const exitPhase = spec.onExit ? runDag(spec.onExit, true) : 'Succeeded';
  const failed = stopped || mainPhase === 'Failed' || mainPhase === 'Error' || exitPhase === 'Failed' || exitPhase === 'Error';
  return { phases, workflowPhase: failed ? 'Failed' : 'Succeeded', stopped };
}

function rank(order: readonly string[], name: string): number {
  const position = order.indexOf(name);
  return position < 0 ? order.length : position;
}

function execute(task: Task, template: Template, faults: ArgoFaults, phases: Map<string, Phase>): Phase {
  if (task.template === 'sluice-verdict') {
    const value = task.arguments?.parameters.find((parameter) => parameter.name === 'phases')?.value ?? '';
    // Argo fails a task whose arguments name a task it cannot resolve; so does the oracle.
    const resolved = value.replace(/\{\{tasks\.([a-z0-9-]+)\.status\}\}/g, (_, name: string) => {
      const phase = phases.get(name);
      if (phase === undefined) throw new Error(`unresolvable {{tasks.${name}.status}} in ${task.name}`);
      return phase;
    });
    return resolved.split(/\s+/).some((entry) => /=(Failed|Error)$/.test(entry)) ? 'Failed' : 'Succeeded';
  }
  const failing = faults.fail.get(task.name) ?? 0;
  const limit = template.retryStrategy?.limit ?? 0;
  return failing === 'always' || failing > limit ? 'Failed' : 'Succeeded';
}

/** Task names a depends expression refers to (Argo waits for all of them). */
function dependenciesOf(task: Task): string[] {
  if (!task.depends) return [];
  return [...new Set([...task.depends.matchAll(/([A-Za-z0-9][A-Za-z0-9-]*)\.([A-Za-z]+)/g)].map((match) => match[1] as string))];
}

/** Evaluates `depends` with Argo's grammar: operands `task.Result`, operators !, &&, ||, parentheses. */
function evaluateDepends(expression: string, phases: ReadonlyMap<string, Phase>): boolean {
  const tokens = expression.match(/\(|\)|!|&&|\|\||[A-Za-z0-9][A-Za-z0-9-]*\.[A-Za-z]+/g) ?? [];
  if (tokens.join('') !== expression.replace(/\s+/g, '')) throw new Error(`unexpected characters in depends: ${expression}`);
  let position = 0;
  const peek = (): string | undefined => tokens[position];
  const take = (): string => tokens[position++] as string;
  const operand = (token: string): boolean => {
    const [name, result] = token.split('.') as [string, string];
    if (!(RESULT_NAMES as readonly string[]).includes(result)) throw new Error(`unknown task result ${result}`);
    const phase = phases.get(name);
    if (phase === undefined) throw new Error(`depends evaluated before ${name} finished`);
    switch (result) {
      case 'Succeeded':
        return phase === 'Succeeded';
      case 'Failed':
        return phase === 'Failed';
      case 'Errored':
        return phase === 'Error';
      case 'Skipped':
        return phase === 'Skipped';
      case 'Omitted':
        return phase === 'Omitted';
      default:
        return false;
    }
  };
  const primary = (): boolean => {
    const token = take();
    if (token === '!') return !primary();
    if (token === '(') {
      const value = or();
      if (take() !== ')') throw new Error('unbalanced parentheses');
      return value;
    }
    return operand(token);
  };
  const and = (): boolean => {
    let value = primary();
    while (peek() === '&&') {
      take();
      value = primary() && value;
    }
    return value;
  };
  const or = (): boolean => {
    let value = and();
    while (peek() === '||') {
      take();
      value = and() || value;
    }
    return value;
  };
  const result = or();
  if (position !== tokens.length) throw new Error(`trailing tokens in depends: ${expression}`);
  return result;
}

/** The controller's assessDAGPhase: leaves decide; skipped and omitted nodes carry their parents' failures. */
function assessDagPhase(tasks: Task[], parents: Map<string, string[]>, phases: Map<string, Phase>): Phase {
  const children = new Map<string, string[]>(tasks.map((task) => [task.name, []]));
  for (const [task, taskParents] of parents) for (const parent of taskParents) children.get(parent)?.push(task);
  const leaves = tasks.filter((task) => (children.get(task.name) ?? []).length === 0).map((task) => task.name);
  const branch = new Map<string, Phase>();
  const queue: [string, Phase][] = tasks.filter((task) => (parents.get(task.name) ?? []).length === 0).map((task) => [task.name, 'Succeeded']);
  const seen = new Set<string>();
  while (queue.length > 0) {
    const [name, inherited] = queue.shift() as [string, Phase];
    const key = `${name}:${inherited}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const phase = phases.get(name);
    if (phase === undefined) continue; // never created (after a stop)
    const completed = phase === 'Succeeded' || phase === 'Failed' || phase === 'Error';
    const branchPhase = completed ? phase : inherited;
    const previous = branch.get(name);
    if (previous !== 'Failed' && previous !== 'Error') branch.set(name, branchPhase);
    for (const child of children.get(name) ?? []) queue.push([child, branchPhase]);
  }
  for (const leaf of leaves) {
    const phase = branch.get(leaf);
    if (phase === 'Failed' || phase === 'Error') return phase;
  }
  return 'Succeeded';
}

/** Our statuses from task phases: the step that was running when the run was stopped is cancelled. */
export function statusesFromPhases(run: ArgoRun, stepTasks: ReadonlyMap<string, string>, stopAt?: string): { statuses: Record<string, StepStatus>; result: RunResult } {
  const statuses: Record<string, StepStatus> = {};
  for (const [stepId, task] of stepTasks) {
    const phase = run.phases.get(task);
    // Stopped while running: the pod fails; stopped before it would have run: it is Omitted/Skipped.
    statuses[stepId] = task === stopAt && run.stopped && phase === 'Failed' ? 'cancelled' : phase === 'Succeeded' ? 'succeeded' : phase === 'Failed' || phase === 'Error' ? 'failed' : 'skipped';
  }
  return { statuses, result: run.stopped ? 'cancelled' : run.workflowPhase === 'Failed' ? 'failed' : 'succeeded' };
}

/**
 * When tasks run at the same time, as the controller schedules them: a DAG starts every task whose
 * `depends` names only finished tasks, at most `parallelism` (the workflow's or the DAG template's) at once, in
 * declaration order; the exit handler starts after the main DAG. Each task runs for its duration
 * (default 1); every task is assumed to run (a task that would be omitted only removes overlaps).
 * Returns each task's interval [start, end).
 */
export function scheduleArgo(yamlText: string, durations: ReadonlyMap<string, number> = new Map()): Map<string, { start: number; end: number; dag: string }> {
  const spec = workflowTemplateOf(yamlText).spec as { entrypoint: string; onExit?: string; parallelism?: number; templates: (Template & { parallelism?: number })[] };
  const templates = new Map(spec.templates.map((template) => [template.name, template]));
  const intervals = new Map<string, { start: number; end: number; dag: string }>();
  let clock = 0;
  for (const dagName of [spec.entrypoint, ...(spec.onExit ? [spec.onExit] : [])]) {
    const template = templates.get(dagName);
    const tasks = template?.dag?.tasks ?? [];
    // The workflow's parallelism caps all its pods; the DAGs run one after the other, so per DAG too.
    const limit = Math.min(template?.parallelism ?? Number.POSITIVE_INFINITY, spec.parallelism ?? Number.POSITIVE_INFINITY);
    const finished = new Set<string>();
    const running = new Map<string, number>();
    const waiting = [...tasks];
    while (waiting.length > 0 || running.size > 0) {
      for (let index = 0; index < waiting.length && running.size < limit; ) {
        const task = waiting[index] as Task;
        if (dependenciesOf(task).every((parent) => finished.has(parent))) {
          const end = clock + (durations.get(task.name) ?? 1);
          running.set(task.name, end);
          intervals.set(task.name, { start: clock, end, dag: dagName });
          waiting.splice(index, 1);
        } else index += 1;
      }
      if (running.size === 0) throw new Error(`DAG ${dagName} is stuck: ${waiting.map((t) => t.name).join(', ')}`);
      clock = Math.min(...running.values());
      for (const [name, end] of running) {
        if (end <= clock) {
          running.delete(name);
          finished.add(name);
        }
      }
    }
  }
  return intervals;
}

/**
 * What the per-run volume allows, checked on a schedule: pods that overlap in time may not write the
 * same path (dbt writes `<workingDir>/target`, or its `--target-path`; a shell step may run dbt, so
 * every pod on the volume counts), and a ReadWriteOnce volume may not be mounted by two pods at once
 * unless the pods are co-located on one node (pod affinity), since RWO attaches to one node.
 */
export function workspaceConflicts(yamlText: string, durations: ReadonlyMap<string, number> = new Map()): string[] {
  const document = workflowTemplateOf(yamlText) as unknown as { spec: { affinity?: unknown; volumeClaimTemplates?: { metadata: { name: string }; spec: { accessModes: string[] } }[]; templates: (Template & { container?: { command: string[]; workingDir?: string; volumeMounts?: { name: string; mountPath: string }[] } })[] } };
  const spec = document.spec;
  const templates = new Map(spec.templates.map((template) => [template.name, template]));
  const claims = new Map((spec.volumeClaimTemplates ?? []).map((claim) => [claim.metadata.name, claim.spec.accessModes]));
  const dagTasks = new Map<string, Task>(spec.templates.flatMap((template) => (template.dag?.tasks ?? []).map((task) => [task.name, task] as [string, Task])));
  const intervals = [...scheduleArgo(yamlText, durations)];
  const podOf = (task: string) => templates.get(dagTasks.get(task)?.template ?? '')?.container;
  const writes = (task: string): string[] => {
    const container = podOf(task);
    if (!container?.volumeMounts?.length) return [];
    const argv = container.command;
    const flag = argv.indexOf('--target-path');
    return [flag >= 0 ? String(argv[flag + 1]) : `${container.workingDir ?? '/'}/target`];
  };
  const problems: string[] = [];
  for (let i = 0; i < intervals.length; i += 1) {
    for (let j = i + 1; j < intervals.length; j += 1) {
      const [a, first] = intervals[i] as [string, { start: number; end: number }];
      const [b, second] = intervals[j] as [string, { start: number; end: number }];
      if (!(first.start < second.end && second.start < first.end)) continue;
      for (const path of writes(a).filter((p) => writes(b).includes(p))) problems.push(`${a} and ${b} write ${path} at the same time`);
      const shared = (podOf(a)?.volumeMounts ?? []).filter((m) => (podOf(b)?.volumeMounts ?? []).some((n) => n.name === m.name));
      for (const mount of shared) {
        if ((claims.get(mount.name) ?? []).includes('ReadWriteOnce') && spec.affinity === undefined) problems.push(`${a} and ${b} mount the ReadWriteOnce volume ${mount.name} at the same time`);
      }
    }
  }
  return problems;
}
