/**
 * What Argo's published schema does not check, checked here: the entrypoint and every referenced
 * template exist, DAGs are acyclic and name only their own tasks, names fit Kubernetes' limits.
 * Returns a list of problems; empty means accepted.
 */
import { CronWorkflow, WorkflowTemplate } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1';
import { parseAllDocuments } from 'yaml';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const TASK_NAME = /^[a-zA-Z0-9][-a-zA-Z0-9]*$/;

interface Doc {
  kind: string;
  metadata: { name: string };
  spec: {
    entrypoint?: string;
    onExit?: string;
    templates?: { name: string; dag?: { tasks: { name: string; template: string; depends?: string }[] } }[];
    workflowSpec?: { workflowTemplateRef?: { name: string } };
  };
}

export function argoDocuments(content: string): Doc[] {
  return parseAllDocuments(content).map((document) => document.toJS() as Doc);
}

export function argoSchemaProblems(content: string): string[] {
  const problems: string[] = [];
  for (const document of argoDocuments(content)) {
    try {
      if (document.kind === 'WorkflowTemplate') new WorkflowTemplate(document as never).validate();
      else if (document.kind === 'CronWorkflow') new CronWorkflow(document as never).validate();
      else problems.push(`unexpected kind ${document.kind}`);
    } catch (error) {
      problems.push(`${document.kind} ${document.metadata?.name}: ${(error as Error).message}`);
    }
  }
  return problems;
}

export function argoProjectProblems(content: string): string[] {
  const problems: string[] = [];
  const documents = argoDocuments(content);
  const templatesByWorkflow = new Set(documents.filter((d) => d.kind === 'WorkflowTemplate').map((d) => d.metadata.name));
  for (const document of documents) {
    const name = document.metadata.name;
    const limit = document.kind === 'CronWorkflow' ? 52 : 63;
    if (!DNS_LABEL.test(name) || name.length > limit) problems.push(`${document.kind} name '${name}' is not a DNS-1123 label of at most ${limit}`);
    if (document.kind === 'CronWorkflow') {
      const ref = document.spec.workflowSpec?.workflowTemplateRef?.name;
      if (!ref || !templatesByWorkflow.has(ref)) problems.push(`CronWorkflow ${name} references a missing WorkflowTemplate ${ref}`);
      continue;
    }
    const templates = new Map((document.spec.templates ?? []).map((template) => [template.name, template]));
    for (const template of templates.keys()) if (!DNS_LABEL.test(template) || template.length > 63) problems.push(`template name '${template}'`);
    for (const reference of [document.spec.entrypoint, document.spec.onExit]) {
      if (reference !== undefined && !templates.has(reference)) problems.push(`missing template ${reference}`);
    }
    if (!document.spec.entrypoint) problems.push('no entrypoint');
    for (const template of templates.values()) {
      if (!template.dag) continue;
      const tasks = new Map(template.dag.tasks.map((task) => [task.name, task]));
      const dependencies = new Map<string, string[]>();
      for (const task of template.dag.tasks) {
        if (!TASK_NAME.test(task.name) || task.name.length > 63) problems.push(`task name '${task.name}'`);
        if (!templates.has(task.template)) problems.push(`task ${task.name} uses a missing template ${task.template}`);
        const names = [...(task.depends ?? '').matchAll(/([A-Za-z0-9][A-Za-z0-9-]*)\.([A-Za-z]+)/g)].map((match) => match[1] as string);
        for (const dependency of names) if (!tasks.has(dependency)) problems.push(`task ${task.name} depends on unknown task ${dependency}`);
        dependencies.set(task.name, names);
      }
      const state = new Map<string, 'active' | 'done'>();
      const visit = (task: string): void => {
        if (state.get(task) === 'done') return;
        if (state.get(task) === 'active') {
          problems.push(`cycle through ${task} in ${template.name}`);
          return;
        }
        state.set(task, 'active');
        for (const dependency of dependencies.get(task) ?? []) visit(dependency);
        state.set(task, 'done');
      };
      for (const task of tasks.keys()) visit(task);
    }
  }
  return problems;
}
