/**
 * Lowering: DSL objects (what pipeline.ts built) -> IR (plain data). Lowering only translates: step
 * objects become ids, input references input names, secrets names, call sites pipeline.ts
 * locations. Every rule about the result lives in validate.ts. Lowering reports only translation
 * failures, problems the IR cannot carry (a throwing `steps`, a value that is not a step, a
 * reference to a step not returned, a password in clear): each module's comment says why.
 */
import { DIAGNOSTIC_CODES, IR_VERSION, isTodo, type Diagnostic, type Pipeline, type PipelineIR, type SluiceIR, type StepIR } from '@sluice/sdk/ir';
import type { StepFacts } from './checks/rule.js';
import { lowerEnv, splitPipelineEnv } from './lower-env.js';
import { lowerInputs } from './lower-inputs.js';
import { lowerRuntime } from './lower-runtime.js';
import { at, describe, pipelineScope, sourceAt, type LowerContext, type PipelineScope } from './lower-scope.js';
import { lowerStep } from './lower-step.js';
import { declaredSteps } from './lower-steps.js';
import { lowerTriggers } from './lower-triggers.js';

const DEFAULT_TIMEOUT_MINUTES = 120;

export interface Lowered {
  ir: SluiceIR;
  /** Translation failures. */
  diagnostics: Diagnostic[];
  /** Pipelines whose `steps` could not be read (it threw, or returned no object): no step checks apply. */
  incomplete: Set<string>;
  /** What each DSL step held that its IR does not carry, for validation. */
  facts: Map<StepIR, StepFacts>;
}

export function lower(pipelines: readonly Pipeline[], context: LowerContext): Lowered {
  const lowered: Lowered = { ir: { irVersion: IR_VERSION, source: context.source, dbtProjectDir: context.dbtProjectDir, pipelines: [] }, diagnostics: [], incomplete: new Set(), facts: new Map() };
  for (const pipeline of pipelines) lowered.ir.pipelines.push(lowerPipeline(pipeline, context, lowered));
  return lowered;
}

function lowerPipeline(pipeline: Pipeline, context: LowerContext, lowered: Lowered): PipelineIR {
  const spec = pipeline.spec;
  const inputs = lowerInputs(pipeline);
  const scope = pipelineScope(pipeline, context, lowered.diagnostics);
  reportTodos(scope);

  const ids = declaredSteps(scope);
  if (ids === undefined) lowered.incomplete.add(pipeline.name);
  const steps: StepIR[] = [];
  const builtinSteps = new Set<string>();
  for (const [step, id] of ids ?? []) {
    const { ir, facts, builtin } = lowerStep(scope, step, id, ids ?? new Map());
    steps.push(ir);
    lowered.facts.set(ir, facts);
    if (builtin) builtinSteps.add(id);
  }
  const triggers = lowerTriggers(scope);
  const runtime = lowerRuntime(scope);
  const env = splitPipelineEnv(lowerEnv(scope, spec.env, scope.path, scope.location), steps, builtinSteps);

  return {
    name: pipeline.name,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    ...sourceAt(scope.location),
    triggers,
    inputs,
    env,
    runtime,
    ...(spec.cloud ? { cloud: { ...spec.cloud } } : {}),
    concurrency: {
      ...(spec.concurrency?.group !== undefined ? { group: spec.concurrency.group } : {}),
      cancelInProgress: spec.concurrency?.cancelInProgress ?? false,
    },
    // As written: validation checks it (checks/steps.ts), before the IR's type check.
    timeoutMinutes: spec.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES,
    ...(spec.targets !== undefined ? { targets: [...spec.targets] } : {}),
    steps,
  };
}

/**
 * An imported pipeline never compiles while something the workflow did is not carried over. Kept
 * in lowering: todo(...) entries have no IR form (they are notes about the DSL source).
 */
function reportTodos({ pipeline, context, location, report }: PipelineScope): void {
  for (const entry of pipeline.spec.todos ?? []) {
    report({
      code: DIAGNOSTIC_CODES.IMPORT_TODO,
      message: isTodo(entry) ? `Not imported yet: ${entry.what}` : `'todos' holds ${describe(entry)}, not a todo(...).`,
      hint: 'Make the pipeline do what the original YAML in this todo(...) did (or accept the difference), then delete the entry.',
      ...at(isTodo(entry) ? context.mapLocation(entry.location) : location),
    });
  }
}
