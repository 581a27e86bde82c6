/** pipeline.ts as text: every workflow string through `literal()`, formatted by ts-morph. */
import type { Condition } from '@sluice/sdk/ir';
import { identifier, literal, objectCode, propertyKey } from './code.js';
import type { StepInfo } from './conditions.js';
import type { TodoItem } from './steps.js';

export interface PlannedStep {
  key: string;
  /** The workflow step (and its job's condition), as YAML, for TODOs about it. */
  original: string;
  job: string;
  label: string;
  info: StepInfo;
  call?: (options: string[]) => string;
  env: [string, string][];
  timeoutMinutes?: number;
}

export function renderCondition(condition: Condition): string {
  switch (condition.op) {
    case 'success':
    case 'failure':
    case 'always':
      return `when.${condition.op}()`;
    case 'status':
      return `when.${condition.status}(${condition.step})`;
    case 'and':
    case 'or':
      return `when.${condition.op}(${condition.args.map(renderCondition).join(', ')})`;
    case 'not':
      return `when.not(${renderCondition(condition.arg)})`;
  }
}

export interface PrintInput {
  name: string;
  concurrency?: string;
  triggers: string[];
  inputs: Map<string, string>;
  env: [string, string][];
  python?: string;
  requirements?: string;
  timeoutMinutes?: number;
  todos: TodoItem[];
  planned: PlannedStep[];
  needsCode: Map<string, string[]>;
  conditionCode: Map<string, string | undefined>;
}

export async function printPipeline(input: PrintInput): Promise<string> {
  const steps = input.planned.map((step) => {
    const needs = input.needsCode.get(step.key) ?? [];
    const condition = input.conditionCode.get(step.key);
    const options = [
      ...(needs.length === 1 ? [`needs: ${needs[0] as string}`] : needs.length > 1 ? [`needs: [${needs.join(', ')}]`] : []),
      ...(condition ? [`if: ${condition}`] : []),
      ...(step.info.continueOnError ? ['allowFailure: true'] : []),
      ...(step.timeoutMinutes !== undefined && Number.isInteger(step.timeoutMinutes) && step.timeoutMinutes > 0 ? [`timeoutMinutes: ${step.timeoutMinutes}`] : []),
    ];
    const call = (step.call as (options: string[]) => string)(step.env.length > 0 ? [`env: ${objectCode(step.env)}`, ...options] : options);
    return `const ${step.key} = ${call};`;
  });
  const usesInputs = steps.some((line) => /[^.\w"]inputs[.[]/.test(line.replace(/"(?:[^"\\]|\\.)*"/g, '""')));
  const runtimeCode = input.python !== undefined || input.requirements !== undefined ? `runtime.python({ ${[...(input.python !== undefined ? [`version: ${literal(input.python)}`] : []), ...(input.requirements !== undefined ? [`requirements: ${literal(input.requirements)}`] : [])].join(', ')} })` : undefined;
  const body = [
    `export const ${identifier(input.name, new Set(), 'pipeline')} = pipeline(${literal(input.name)}, {`,
    `triggers: [${input.triggers.join(', ')}],`,
    ...(input.inputs.size > 0 ? ['inputs: {', ...[...input.inputs].map(([inputName, definition]) => `${propertyKey(inputName)}: ${definition},`), '},'] : []),
    ...(input.env.length > 0 ? [`env: ${objectCode(input.env)},`] : []),
    ...(runtimeCode ? [`runtime: ${runtimeCode},`] : []),
    ...(input.concurrency ? [`concurrency: ${input.concurrency},`] : []),
    ...(input.timeoutMinutes !== undefined && Number.isInteger(input.timeoutMinutes) && input.timeoutMinutes > 0 ? [`timeoutMinutes: ${input.timeoutMinutes},`] : []),
    ...(input.todos.length > 0 ? ['// Each todo is something the workflow did that this pipeline does not do (yet).', '// `sluice check` and `sluice compile` fail until every entry is handled and deleted.', 'todos: [', ...input.todos.map((item) => `todo(${literal(item.what)}, ${literal(item.original)}),`), '],'] : []),
    `steps: (${usesInputs ? '{ inputs }' : ''}) => {`,
    ...steps,
    `return { ${input.planned.map((step) => step.key).join(', ')} };`,
    '},',
    '});',
  ].join('\n');
  const used = ['dbt', 'input', 'notify', 'pipeline', 'runtime', 'secret', 'shell', 'todo', 'trigger', 'when'].filter((dsl) => new RegExp(`(^|[^.\\w"])${dsl}[.(]`, 'm').test(body.replace(/"(?:[^"\\]|\\.)*"/g, '""')));
  const text = [
    '// Imported by `sluice import`; the migration report says what was mapped and why each todo exists.',
    `import { ${used.join(', ')} } from '@sluice/sdk';`,
    '',
    body,
    '',
  ].join('\n');
  const { Project } = await import('ts-morph');
  const sourceFile = new Project({ useInMemoryFileSystem: true }).createSourceFile('pipeline.ts', text);
  sourceFile.formatText({ indentSize: 2, convertTabsToSpaces: true });
  return sourceFile.getFullText();
}
