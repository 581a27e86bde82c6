/**
 * fast-check generators of random pipelines (as IR) and fault scenarios, for the conformance
 * properties. Pipelines are DAGs of 1 to `maxSteps` steps; each step needs some earlier steps, has a
 * random condition over its own upstream (success/failure/always, status checks, and/or/not),
 * retries and allowFailure.
 */
import fc from 'fast-check';
import type { Arg, Condition, InputIR, PipelineIR, StepIR, TriggerIR, Value } from '@sluice/sdk/ir';
import type { Faults, TriggerRun } from '@sluice/compiler';

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
          // The run's set-up (pip, dbt deps, ...) fails before the first step.
          setupFails: fc.boolean(),
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

// ---------------------------------------------------------------------------------------------------
// Data flow: inputs, env values, triggers and secrets (test/dataflow.property.test.ts)
// ---------------------------------------------------------------------------------------------------

/** One run of a generated pipeline: which trigger, what was submitted, which secrets exist. */
export interface DataflowCase {
  pipeline: PipelineIR;
  dbtProjectDir: string;
  run: TriggerRun;
  secrets: Record<string, string>;
}

/**
 * Pieces that engines like to interpret: Kubernetes' `$(X)` and `$$`, bash's `$`, quotes, globs and
 * backslashes, `%`, leading dashes, a secret's name in `$()`, unicode beyond the BMP. Never `{{`,
 * `${{` or control characters: validation refuses those in what the author writes.
 */
const HOSTILE_PIECES = ['$', '$$', '$(', ')', '$(E_1)', '$(SECRET_A)', '$(SLUICE_INPUT_mode)', '$$(X)', '${HOME}', '$1', '`id`', '"', "'", '\\', ' ', '*', '?', '[x]', '%s', '-x', '--', '=', ';', '&', '|', 'é', '日本', '🙂', 'a', 'Z', '0'];
const hostileText = fc.array(fc.constantFrom(...HOSTILE_PIECES), { maxLength: 6 }).map((pieces) => pieces.join(''));
/** Submitted at run time: nothing validates those, so newlines and tabs too. */
const hostileSubmitted = fc.array(fc.constantFrom(...HOSTILE_PIECES, '\n', '\t', '{', '}'), { maxLength: 6 }).map((pieces) => pieces.join('').replaceAll('{{', '{ {'));
/** Numbers as every engine prints them alike (GitHub's number inputs are parsed: `1.50` would arrive as `1.5`). */
const canonicalNumber = fc.oneof(fc.integer({ min: -1000, max: 100000 }), fc.integer({ min: 1, max: 99 }).map((n) => n / 10)).map(String);

const INPUT_NAMES = ['mode', 'select', 'flag_', 'n1', 'Mixed_Case'];
const SECRET_NAMES = ['SECRET_A', 'SECRET_B'];
const ENV_NAMES = ['E_1', 'E_2', 'E_3'];

interface InputShape {
  type: InputIR['type'];
  hasDefault: boolean;
  required: boolean;
  default: string;
  options: string[];
}

const inputShape: fc.Arbitrary<InputShape> = fc
  .record({
    type: fc.constantFrom<InputIR['type']>('string', 'boolean', 'number', 'choice'),
    hasDefault: fc.boolean(),
    required: fc.boolean(),
    text: hostileText,
    flag: fc.boolean(),
    number: canonicalNumber,
    options: fc.uniqueArray(hostileText.filter((text) => text !== ''), { minLength: 1, maxLength: 3 }),
    pick: fc.nat(),
  })
  .map((raw) => ({
    type: raw.type,
    hasDefault: raw.hasDefault,
    required: raw.required,
    default: raw.type === 'boolean' ? String(raw.flag) : raw.type === 'number' ? raw.number : raw.type === 'choice' ? (raw.options[raw.pick % raw.options.length] as string) : raw.text,
    options: raw.options,
  }));

type ValueShape = { kind: 'literal'; text: string } | { kind: 'secret'; pick: number } | { kind: 'input'; pick: number };
const valueShape: fc.Arbitrary<ValueShape> = fc.oneof(
  fc.record({ kind: fc.constant('literal' as const), text: hostileText }),
  fc.record({ kind: fc.constant('secret' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('input' as const), pick: fc.nat() }),
);
const envShape = fc.uniqueArray(fc.record({ name: fc.constantFrom(...ENV_NAMES), value: valueShape }), { maxLength: 3, selector: (entry) => entry.name });

type ArgShape = { kind: 'literal'; text: string } | { kind: 'input'; pick: number; flag: boolean } | { kind: 'switch'; pick: number };
const argShape: fc.Arbitrary<ArgShape> = fc.oneof(
  fc.record({ kind: fc.constant('literal' as const), text: hostileText }),
  fc.record({ kind: fc.constant('input' as const), pick: fc.nat(), flag: fc.boolean() }),
  fc.record({ kind: fc.constant('switch' as const), pick: fc.nat() }),
);

const dataflowStepShape = fc.record({ script: fc.constantFrom(false, false, false, true), args: fc.array(argShape, { maxLength: 5 }), env: envShape, retries: fc.constantFrom(0, 0, 1) });

/**
 * The script of a generated `shell.script` step: it passes an env value and a literal full of `$` to
 * the recorder, so the script's own text must reach bash byte for byte (Argo's command is expanded
 * by the kubelet). `dataflowScriptArgv` says what the recorder then sees.
 */
const DATAFLOW_SCRIPT_LITERAL = '$$ $(E_1) $(SECRET_A) $';
function dataflowScript(id: string): string {
  return `sluice-record ${id} "\${E_1-unset}" '${DATAFLOW_SCRIPT_LITERAL}'`;
}
export function dataflowScriptArgv(id: string, env: Readonly<Record<string, string>>): string[] {
  return ['sluice-record', id, env.E_1 ?? 'unset', DATAFLOW_SCRIPT_LITERAL];
}

const TRIGGER_KINDS = ['schedule', 'manual', 'push', 'pullRequest'] as const;

export function dataflowCaseArbitrary(): fc.Arbitrary<DataflowCase> {
  return fc
    .record({
      inputs: fc.uniqueArray(fc.record({ name: fc.constantFrom(...INPUT_NAMES), shape: inputShape }), { maxLength: 4, selector: (entry) => entry.name }),
      triggers: fc.uniqueArray(fc.constantFrom(...TRIGGER_KINDS), { minLength: 1, maxLength: 4 }),
      env: envShape,
      steps: fc.array(dataflowStepShape, { minLength: 1, maxLength: 4 }),
      dbtProjectDir: fc.constantFrom('.', 'dbt', 'warehouse project'),
      secrets: fc.tuple(hostileSubmitted, hostileSubmitted),
      runPick: fc.nat(),
      submitted: fc.array(fc.tuple(fc.boolean(), hostileSubmitted, canonicalNumber, fc.nat()), { minLength: 5, maxLength: 5 }),
    })
    .map((raw): DataflowCase => {
      const automatic = raw.triggers.some((kind) => kind !== 'manual');
      const inputs: InputIR[] = raw.inputs.map(({ name, shape }) => {
        // A required input without default is refused at compile time with automatic triggers.
        const required = shape.required && (shape.hasDefault || !automatic);
        const defaultValue = shape.type === 'boolean' ? shape.default === 'true' : shape.type === 'number' ? Number(shape.default) : shape.default;
        return {
          name,
          type: shape.type,
          required,
          ...(shape.hasDefault ? { default: defaultValue } : {}),
          ...(shape.type === 'choice' ? { options: shape.options } : {}),
        };
      });
      const value = (shape: ValueShape): Value => {
        if (shape.kind === 'literal' || (shape.kind === 'input' && inputs.length === 0)) return { kind: 'literal', value: shape.kind === 'literal' ? shape.text : '' };
        if (shape.kind === 'secret') return { kind: 'secret', name: SECRET_NAMES[shape.pick % SECRET_NAMES.length] as string };
        return { kind: 'input', name: (inputs[shape.pick % inputs.length] as InputIR).name };
      };
      const booleans = inputs.filter((input) => input.type === 'boolean');
      const steps: StepIR[] = raw.steps.map((shape, index) => {
        const id = `s${index}`;
        const args: Arg[] = shape.args.map((arg): Arg => {
          if (arg.kind === 'switch' && booleans.length > 0) return { kind: 'switch', name: (booleans[arg.pick % booleans.length] as InputIR).name, flag: '--on' };
          if (arg.kind === 'input' && inputs.length > 0) {
            const name = (inputs[arg.pick % inputs.length] as InputIR).name;
            return arg.flag ? { kind: 'input', name, flag: '--value' } : { kind: 'input', name };
          }
          return { kind: 'literal', value: arg.kind === 'literal' ? arg.text : '' };
        });
        return {
          id,
          label: shape.script ? 'shell script' : 'shell',
          command: shape.script ? { kind: 'script', script: dataflowScript(id) } : { kind: 'argv', argv: [{ kind: 'literal', value: 'sluice-record' }, { kind: 'literal', value: id }, ...args] },
          env: shape.env.map((entry) => ({ name: entry.name, value: value(entry.value) })),
          needs: [],
          condition: { op: 'success' },
          retries: shape.retries,
          allowFailure: false,
          produces: [],
          consumes: [],
        };
      });
      const triggers: TriggerIR[] = raw.triggers.map((kind) => (kind === 'schedule' ? { kind, cron: '0 3 * * *' } : kind === 'manual' ? { kind } : { kind, branches: [], paths: [] }));
      const kind = raw.triggers[raw.runPick % raw.triggers.length] as (typeof TRIGGER_KINDS)[number];
      // A manual run submits some inputs (each valid for its type, as the engines' forms ensure).
      const submitted: Record<string, string> = {};
      inputs.forEach((input, index) => {
        const [give, text, number, pick] = raw.submitted[index] as [boolean, string, string, number];
        if (!give) return;
        submitted[input.name] = input.type === 'boolean' ? String(pick % 2 === 0) : input.type === 'number' ? number : input.type === 'choice' ? ((input.options ?? [])[pick % (input.options ?? []).length] as string) : text;
      });
      const pipeline: PipelineIR = {
        name: 'dataflow',
        triggers,
        inputs,
        env: raw.env.map((entry) => ({ name: entry.name, value: value(entry.value) })),
        runtime: { kind: 'image', image: 'dbt:test', dbtDeps: false },
        concurrency: { cancelInProgress: false },
        timeoutMinutes: 60,
        steps,
      };
      return {
        pipeline,
        dbtProjectDir: raw.dbtProjectDir,
        run: kind === 'manual' ? { kind, inputs: submitted } : { kind },
        secrets: { SECRET_A: raw.secrets[0], SECRET_B: raw.secrets[1] },
      };
    });
}

/** A data-flow counterexample as pipeline.ts, with the run it failed for in a comment. */
export function dataflowToPipelineTs(example: DataflowCase): string {
  const pipeline = example.pipeline;
  const literal = (text: string): string => JSON.stringify(text);
  const value = (source: Value): string => (source.kind === 'literal' ? literal(source.value) : source.kind === 'secret' ? `secret(${literal(source.name)})` : `inputs.${source.name}`);
  const env = (entries: readonly { name: string; value: Value }[]): string => `{ ${entries.map((entry) => `${entry.name}: ${value(entry.value)}`).join(', ')} }`;
  const input = (definition: InputIR): string => {
    const options = [
      definition.required ? 'required: true' : undefined,
      definition.default !== undefined ? `default: ${JSON.stringify(definition.default)}` : undefined,
      definition.options ? `options: ${JSON.stringify(definition.options)}` : undefined,
    ].filter(Boolean);
    return `${definition.name}: input.${definition.type}({ ${options.join(', ')} })`;
  };
  const trigger = (definition: TriggerIR): string => (definition.kind === 'schedule' ? `trigger.schedule(${literal(definition.cron)})` : `trigger.${definition.kind}()`);
  const arg = (definition: Arg): string => {
    if (definition.kind === 'literal') return literal(definition.value);
    if (definition.kind === 'input') return definition.flag ? `/* ${definition.flag} when non-empty: */ inputs.${definition.name}` : `inputs.${definition.name}`;
    if (definition.kind === 'switch') return `/* ${definition.flag} when inputs.${definition.name} is true */`;
    return '/* whenFile */';
  };
  const lines = [
    "import { input, pipeline, secret, shell, trigger } from '@sluice/sdk';",
    '',
    `// run: ${JSON.stringify(example.run)}; secrets: ${JSON.stringify(example.secrets)}; dbtProjectDir: ${JSON.stringify(example.dbtProjectDir)}`,
    `export const dataflow = pipeline('dataflow', {`,
    `  triggers: [${pipeline.triggers.map(trigger).join(', ')}],`,
    `  inputs: { ${pipeline.inputs.map(input).join(', ')} },`,
    ...(pipeline.env.length > 0 ? [`  env: ${env(pipeline.env)},`] : []),
    '  steps: ({ inputs }) => ({',
  ];
  for (const step of pipeline.steps) {
    const settings = [step.env.length > 0 ? `env: ${env(step.env)}` : undefined, step.retries > 0 ? `retries: ${step.retries}` : undefined].filter(Boolean);
    const options = settings.length > 0 ? `, { ${settings.join(', ')} }` : '';
    const command = step.command.kind === 'script' ? `shell.script(${literal(step.command.script)}${options})` : step.command.kind === 'argv' ? `shell([${step.command.argv.map(arg).join(', ')}]${options})` : '/* not generated */';
    lines.push(`    ${step.id}: ${command},`);
  }
  lines.push('  }),', '});');
  return lines.join('\n');
}
