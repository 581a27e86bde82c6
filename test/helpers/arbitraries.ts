/**
 * fast-check generators of random pipelines (as IR) and fault scenarios, for the conformance
 * properties. Pipelines are DAGs of 1 to `maxSteps` steps; each step needs some earlier steps, has a
 * random condition over its own upstream (success/failure/always, status checks, and/or/not),
 * retries and allowFailure.
 */
import fc from 'fast-check';
import type { Condition, PipelineIR, StepIR } from '@sluice/sdk';
import type { Faults } from '@sluice/compiler';

export interface Scenario {
  pipeline: PipelineIR;
  faults: Faults;
}

interface StepShape {
  needs: number[];
  condition: ConditionShape;
  retries: number;
  allowFailure: boolean;
}

type ConditionShape =
  | { op: 'success' | 'failure' | 'always' }
  | { op: 'status'; pick: number; status: 'succeeded' | 'failed' | 'skipped' }
  | { op: 'and' | 'or'; args: ConditionShape[] }
  | { op: 'not'; arg: ConditionShape };

const conditionShape: fc.Arbitrary<ConditionShape> = fc.letrec<{ node: ConditionShape }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<ConditionShape>({ op: 'success' }, { op: 'failure' }, { op: 'always' }),
    fc.record({ op: fc.constant('status' as const), pick: fc.nat(), status: fc.constantFrom('succeeded' as const, 'failed' as const, 'skipped' as const) }),
    fc.record({ op: fc.constantFrom('and' as const, 'or' as const), args: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ op: fc.constant('not' as const), arg: tie('node') }),
  ),
})).node;

const stepShape = (index: number): fc.Arbitrary<StepShape> =>
  fc.record({
    needs: index === 0 ? fc.constant([]) : fc.uniqueArray(fc.nat({ max: index - 1 }), { maxLength: Math.min(3, index) }),
    // Mostly the default condition, as in real pipelines; often something else.
    condition: fc.oneof({ weight: 2, arbitrary: fc.constant<ConditionShape>({ op: 'success' }) }, { weight: 3, arbitrary: conditionShape }),
    retries: fc.constantFrom(0, 0, 1, 2),
    allowFailure: fc.constantFrom(false, false, false, true),
  });

export interface GeneratorOptions {
  /**
   * Only what the Argo target expresses: always() stands alone, and no other step needs an always()
   * step (Argo runs those as its exit handler).
   */
  argoExpressible?: boolean;
}

export function pipelineArbitrary(maxSteps: number, options: GeneratorOptions = {}): fc.Arbitrary<PipelineIR> {
  return fc
    .integer({ min: 1, max: maxSteps })
    .chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => stepShape(index))))
    .map((shapes) => {
      const pipeline = buildPipeline('generated', shapes);
      return options.argoExpressible ? argoExpressible(pipeline) : pipeline;
    });
}

function argoExpressible(pipeline: PipelineIR): PipelineIR {
  const exit = new Set<string>();
  const steps = pipeline.steps.map((step) => {
    const standsAlone = step.condition.op === 'always' || step.needs.some((need) => exit.has(need));
    const condition: Condition = standsAlone ? { op: 'always' } : withoutAlways(step.condition);
    if (condition.op === 'always') exit.add(step.id);
    return { ...step, condition };
  });
  return { ...pipeline, steps };
}

function withoutAlways(condition: Condition): Condition {
  switch (condition.op) {
    case 'always':
      return { op: 'success' };
    case 'and':
    case 'or':
      return { op: condition.op, args: condition.args.map(withoutAlways) };
    case 'not':
      return { op: 'not', arg: withoutAlways(condition.arg) };
    default:
      return condition;
  }
}

export function scenarioArbitrary(maxSteps: number, options: GeneratorOptions = {}): fc.Arbitrary<Scenario> {
  return pipelineArbitrary(maxSteps, options).chain((pipeline) =>
    fc.record({
      pipeline: fc.constant(pipeline),
      faults: fc.record(
        {
          fail: fc.dictionary(fc.constantFrom(...pipeline.steps.map((step) => step.id)), fc.oneof(fc.constant<'always'>('always'), fc.integer({ min: 1, max: 3 })), { maxKeys: pipeline.steps.length }),
          cancelAt: fc.constantFrom(...pipeline.steps.map((step) => step.id)),
        },
        { requiredKeys: ['fail'] },
      ),
    }),
  );
}

function buildPipeline(name: string, shapes: StepShape[]): PipelineIR {
  const ids = shapes.map((_, index) => `s${index}`);
  const upstream: Set<number>[] = [];
  const steps: StepIR[] = shapes.map((shape, index) => {
    const needs = [...new Set(shape.needs)].sort((a, b) => a - b);
    const closure = new Set<number>();
    for (const need of needs) {
      closure.add(need);
      for (const further of upstream[need] ?? []) closure.add(further);
    }
    upstream.push(closure);
    const candidates = [...closure].sort((a, b) => a - b);
    return {
      id: ids[index] as string,
      label: 'shell',
      command: { kind: 'argv', argv: [{ kind: 'literal', value: 'true' }] },
      env: [],
      needs: needs.map((need) => ids[need] as string),
      condition: toCondition(shape.condition, candidates.map((candidate) => ids[candidate] as string)),
      retries: shape.retries,
      allowFailure: shape.allowFailure,
      produces: [],
      consumes: [],
    };
  });
  return {
    name,
    triggers: [{ kind: 'manual' }],
    inputs: [],
    env: [],
    runtime: { kind: 'image', image: 'dbt:test', dbtDeps: false },
    concurrency: { cancelInProgress: false },
    timeoutMinutes: 60,
    steps,
  };
}

/** Status checks may only name upstream steps; with none upstream they become success(). */
function toCondition(shape: ConditionShape, upstream: string[]): Condition {
  switch (shape.op) {
    case 'status':
      return upstream.length === 0 ? { op: 'success' } : { op: 'status', step: upstream[shape.pick % upstream.length] as string, status: shape.status };
    case 'and':
    case 'or':
      return { op: shape.op, args: shape.args.map((arg) => toCondition(arg, upstream)) };
    case 'not':
      return { op: 'not', arg: toCondition(shape.arg, upstream) };
    default:
      return { op: shape.op };
  }
}

/** A failing case as a ready-to-paste pipeline.ts. */
export function toPipelineTs(scenario: Scenario): string {
  const render = (condition: Condition): string => {
    switch (condition.op) {
      case 'success':
      case 'failure':
      case 'always':
        return `when.${condition.op}()`;
      case 'status':
        return `when.${condition.status}(${condition.step})`;
      case 'and':
      case 'or':
        return `when.${condition.op}(${condition.args.map(render).join(', ')})`;
      case 'not':
        return `when.not(${render(condition.arg)})`;
    }
  };
  const lines = [
    "import { pipeline, shell, trigger, when } from '@sluice/sdk';",
    '',
    `// faults: ${JSON.stringify(scenario.faults)}`,
    `export const ${scenario.pipeline.name.replace(/-/g, '_')} = pipeline('${scenario.pipeline.name}', {`,
    '  triggers: [trigger.manual()],',
    '  steps: () => {',
  ];
  for (const step of scenario.pipeline.steps) {
    const options = [
      step.needs.length > 0 ? `needs: [${step.needs.join(', ')}]` : undefined,
      step.condition.op !== 'success' ? `if: ${render(step.condition)}` : undefined,
      step.retries > 0 ? `retries: ${step.retries}` : undefined,
      step.allowFailure ? 'allowFailure: true' : undefined,
    ].filter(Boolean);
    lines.push(`    const ${step.id} = shell(['true']${options.length > 0 ? `, { ${options.join(', ')} }` : ''});`);
  }
  lines.push(`    return { ${scenario.pipeline.steps.map((step) => step.id).join(', ')} };`, '  },', '});');
  return lines.join('\n');
}
