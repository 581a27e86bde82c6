/**
 * Lowering: DSL objects (what pipeline.ts built) -> IR (plain data). Step objects become ids,
 * input references become input names, secrets become names, call sites become pipeline.ts
 * locations. Problems the DSL's types cannot rule out (a step used but not returned, a reference to
 * another pipeline's input, a throwing `steps` function) are collected as diagnostics.
 */
import {
  DIAGNOSTIC_CODES,
  IR_VERSION,
  isArtifact,
  isInputRef,
  isSecret,
  isStep,
  type Arg,
  type Condition,
  type Diagnostic,
  type DslArg,
  type DslCondition,
  type EnvValue,
  type EnvVar,
  type InputIR,
  type Pipeline,
  type PipelineIR,
  type RuntimeIR,
  type SluiceIR,
  type SourceLocation,
  type Step,
  type StepIR,
  type TriggerIR,
  type Value,
} from '@sluice/sdk';
import { errorMessage } from './loader.js';
import { isNotifyDsl, lowerNotify } from './lower-notify.js';

export interface LowerContext {
  /** pipeline.ts relative to the root. */
  source: string;
  dbtProjectDir: string;
  /** Whether the dbt project declares packages (packages.yml or dependencies.yml). */
  hasDbtPackages: boolean;
  mapLocation(location: SourceLocation | undefined): SourceLocation | undefined;
  locateError(error: unknown): SourceLocation | undefined;
}

export const DEFAULT_TIMEOUT_MINUTES = 120;

export interface Lowered {
  ir: SluiceIR;
  diagnostics: Diagnostic[];
  /** Pipelines whose `steps` could not be read (it threw, or returned no object): no step checks apply. */
  incomplete: Set<string>;
}

export function lower(pipelines: readonly Pipeline[], context: LowerContext): Lowered {
  const diagnostics: Diagnostic[] = [];
  const incomplete = new Set<string>();
  const lowered = pipelines.map((pipeline) => lowerPipeline(pipeline, context, diagnostics, incomplete));
  return {
    ir: { irVersion: IR_VERSION, source: context.source, dbtProjectDir: context.dbtProjectDir, pipelines: lowered },
    diagnostics,
    incomplete,
  };
}

function lowerPipeline(pipeline: Pipeline, context: LowerContext, diagnostics: Diagnostic[], incomplete: Set<string>): PipelineIR {
  const spec = pipeline.spec;
  const pipelinePath = [`pipeline ${pipeline.name}`];
  const location = context.mapLocation(pipeline.location);
  const report = (diagnostic: Omit<Diagnostic, 'path'> & { path?: string[] }): void => {
    diagnostics.push({ ...diagnostic, path: diagnostic.path ?? pipelinePath, ...at(diagnostic.location ?? location) });
  };

  const inputs: InputIR[] = Object.entries(spec.inputs ?? {}).map(([name, def]) => ({
    name,
    type: def.type,
    required: def.required,
    ...(def.description !== undefined ? { description: def.description } : {}),
    ...(def.default !== undefined ? { default: def.default } : {}),
    ...(def.type === 'choice' ? { options: [...def.options] } : {}),
  }));
  const inputNames = new Set(inputs.map((input) => input.name));

  const lowerValue = (value: EnvValue, where: string[], valueLocation: SourceLocation | undefined): Value => {
    if (typeof value === 'string') return { kind: 'literal', value };
    if (isSecret(value)) return { kind: 'secret', name: value.name };
    if (isInputRef(value)) {
      if (!inputNames.has(value.name)) report(unknownInput(value.name, inputNames, where, valueLocation));
      return { kind: 'input', name: value.name };
    }
    report({ code: DIAGNOSTIC_CODES.INVALID_VALUE, message: `Unsupported value ${describe(value)}.`, hint: 'Use a string, secret(...) or an input.', path: where, ...at(valueLocation) });
    return { kind: 'literal', value: String(value) };
  };
  const lowerEnv = (env: Record<string, EnvValue> | undefined, where: string[], envLocation: SourceLocation | undefined): EnvVar[] =>
    Object.entries(env ?? {}).map(([name, value]) => ({ name, value: lowerValue(value, [...where, `env ${name}`], envLocation) }));

  let declared: Record<string, unknown> = {};
  try {
    const result: unknown = spec.steps({ inputs: pipeline.inputRefs });
    if (typeof result === 'object' && result !== null && !Array.isArray(result)) declared = result as Record<string, unknown>;
    else {
      incomplete.add(pipeline.name);
      report({ code: DIAGNOSTIC_CODES.INVALID_VALUE, message: '`steps` must return an object of steps keyed by id.', hint: 'End `steps` with `return { run, docs, ... };`.' });
    }
  } catch (error) {
    incomplete.add(pipeline.name);
    report({
      code: DIAGNOSTIC_CODES.STEPS_THREW,
      message: `The steps of pipeline '${pipeline.name}' threw: ${errorMessage(error)}`,
      hint: 'Fix the code at this location; `steps` must run without errors.',
      ...at(context.locateError(error) ?? location),
    });
  }

  const ids = new Map<Step, string>();
  for (const [id, value] of Object.entries(declared)) {
    if (!isStep(value)) {
      report({ code: DIAGNOSTIC_CODES.INVALID_VALUE, message: `'${id}' is not a step.`, hint: 'Return only values made by dbt.*, shell, upload.*, notify.*.', path: [...pipelinePath, `step ${id}`] });
      continue;
    }
    const existing = ids.get(value);
    if (existing !== undefined) {
      report({
        code: DIAGNOSTIC_CODES.DUPLICATE_STEP,
        message: `The same step is returned as both '${existing}' and '${id}'.`,
        hint: 'Return each step once; make a second step with a second call.',
        path: [...pipelinePath, `step ${id}`],
        ...at(context.mapLocation(value.location)),
      });
      continue;
    }
    ids.set(value, id);
  }

  const steps: StepIR[] = [];
  for (const [step, id] of ids) {
    const stepPath = [...pipelinePath, `step ${id}`];
    const stepLocation = context.mapLocation(step.location);
    const idOf = (other: unknown, what: string, refLocation: SourceLocation | undefined): string | undefined => {
      const otherId = isStep(other) ? ids.get(other) : undefined;
      if (otherId === undefined) {
        report({
          code: DIAGNOSTIC_CODES.UNKNOWN_STEP,
          message: isStep(other)
            ? `Step '${id}' ${what} a ${other.label} step that is not returned from steps(). Steps in '${pipeline.name}': ${[...ids.values()].join(', ')}.`
            : `Step '${id}' ${what} something that is not a step (${describe(other)}).`,
          hint: isStep(other) ? 'Add that step to the object `steps` returns, or remove the reference.' : 'Pass step values, e.g. `needs: run`.',
          path: stepPath,
          ...at(refLocation ?? stepLocation),
        });
      }
      return otherId;
    };

    const needs: string[] = [];
    const addNeed = (need: string | undefined): void => {
      if (need !== undefined && !needs.includes(need)) needs.push(need);
    };
    const declaredNeeds = step.options.needs;
    for (const need of declaredNeeds === undefined ? [] : isStep(declaredNeeds) ? [declaredNeeds] : [...(declaredNeeds as readonly Step[])]) {
      addNeed(idOf(need, 'needs', stepLocation));
    }
    for (const artifact of step.consumes) addNeed(idOf(artifact.step, `reads ${artifact.name} of`, stepLocation));

    const lowerCondition = (condition: DslCondition): Condition => {
      const conditionLocation = context.mapLocation(condition.location);
      switch (condition.op) {
        case 'success':
        case 'failure':
        case 'always':
          return { op: condition.op };
        case 'status':
          return { op: 'status', step: idOf(condition.step, `has a condition on`, conditionLocation) ?? '?', status: condition.status };
        case 'and':
        case 'or':
          return { op: condition.op, args: condition.args.map(lowerCondition) };
        case 'not':
          return { op: 'not', arg: lowerCondition(condition.arg) };
        default:
          report({ code: DIAGNOSTIC_CODES.INVALID_VALUE, message: `Unknown condition ${describe(condition)}.`, hint: 'Build conditions with when.*.', path: stepPath, ...at(stepLocation) });
          return { op: 'success' };
      }
    };

    const lowerArg = (arg: DslArg): Arg => {
      if (typeof arg === 'string') return { kind: 'literal', value: arg };
      if (isInputRef(arg)) {
        checkInput(arg.name);
        return { kind: 'input', name: arg.name };
      }
      switch (arg.kind) {
        case 'whenFile':
          return { kind: 'whenFile', path: arg.path, then: arg.then.map(lowerArg), otherwise: arg.otherwise.map(lowerArg), notice: arg.notice };
        case 'switch':
          checkInput(arg.ref.name);
          return { kind: 'switch', name: arg.ref.name, flag: arg.flag };
        case 'option':
          checkInput(arg.ref.name);
          return { kind: 'input', name: arg.ref.name, flag: arg.flag, ...(arg.validate ? { validate: arg.validate } : {}) };
      }
    };
    const checkInput = (name: string): void => {
      if (!inputNames.has(name)) report(unknownInput(name, inputNames, stepPath, stepLocation));
    };

    const dslCommand = step.command;
    const command: StepIR['command'] =
      dslCommand.kind === 'argv'
        ? { kind: 'argv', argv: dslCommand.argv.map(lowerArg) }
        : dslCommand.kind === 'script'
          ? { kind: 'script', script: dslCommand.script }
          : isNotifyDsl(dslCommand)
            ? lowerNotify(dslCommand, report, stepPath, stepLocation)
            : dslCommand.kind === 'github-artifact-save'
              ? { kind: 'github-artifact-save', name: dslCommand.name, paths: [...dslCommand.paths] }
              : dslCommand.kind === 'github-pages'
                ? { kind: 'github-pages', path: dslCommand.path, isDirectory: dslCommand.isDirectory, ...(dslCommand.publishAs ? { publishAs: dslCommand.publishAs } : {}) }
                : { kind: 'github-artifact-load', name: dslCommand.name, workflow: dslCommand.workflow, branch: dslCommand.branch, dir: dslCommand.dir };

    const options = step.options;
    for (const selector of literalSelectors(options)) {
      if (!isValidSelector(selector)) {
        report({
          code: DIAGNOSTIC_CODES.INVALID_SELECTOR,
          message: `Selector ${JSON.stringify(selector)} is not valid dbt selection syntax.`,
          hint: "Selectors use dbt's syntax (tag:nightly, orders+, path:models/marts) and never start with '-'.",
          path: stepPath,
          ...at(stepLocation),
        });
      }
    }
    const retries = options.retries ?? 0;
    if (!Number.isInteger(retries) || retries < 0 || retries > 10) {
      report({ code: DIAGNOSTIC_CODES.INVALID_VALUE, message: `retries must be a whole number from 0 to 10 (got ${describe(retries)}).`, path: stepPath, ...at(stepLocation) });
    }
    if (options.timeoutMinutes !== undefined && (!Number.isInteger(options.timeoutMinutes) || options.timeoutMinutes <= 0)) {
      report({ code: DIAGNOSTIC_CODES.INVALID_VALUE, message: `timeoutMinutes must be a positive whole number (got ${describe(options.timeoutMinutes)}).`, path: stepPath, ...at(stepLocation) });
    }

    steps.push({
      id,
      label: step.label,
      ...sourceAt(stepLocation),
      command,
      env: lowerEnv(options.env, stepPath, stepLocation),
      needs,
      condition: options.if ? lowerCondition(options.if) : { op: 'success' },
      retries: Number.isInteger(retries) ? retries : 0,
      ...(options.timeoutMinutes !== undefined ? { timeoutMinutes: options.timeoutMinutes } : {}),
      allowFailure: options.allowFailure ?? false,
      produces: step.produces.map((artifact) => ({ name: artifact.name, path: artifact.path })),
      consumes: step.consumes.filter(isArtifact).flatMap((artifact) => {
        const producer = ids.get(artifact.step);
        return producer === undefined ? [] : [{ step: producer, name: artifact.name }];
      }),
    });
  }

  const triggers: TriggerIR[] = (spec.triggers ?? []).map((trigger) => {
    const source = sourceAt(context.mapLocation(trigger.location));
    switch (trigger.kind) {
      case 'schedule':
        return { kind: 'schedule', cron: trigger.cron, ...(trigger.timezone ? { timezone: trigger.timezone } : {}), ...source };
      case 'manual':
        return { kind: 'manual', ...source };
      default:
        return { kind: trigger.kind, branches: [...trigger.branches], paths: [...trigger.paths], ...source };
    }
  });

  const runtimeSpec = spec.runtime ?? { kind: 'python', version: '3.12', requirements: 'requirements.txt' };
  const runtime: RuntimeIR =
    runtimeSpec.kind === 'image'
      ? { kind: 'image', image: runtimeSpec.image, dbtDeps: context.hasDbtPackages }
      : {
          kind: 'python',
          version: runtimeSpec.version,
          ...(runtimeSpec.requirements ? { requirements: runtimeSpec.requirements } : {}),
          dbtDeps: context.hasDbtPackages,
        };

  return {
    name: pipeline.name,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    ...sourceAt(location),
    triggers,
    inputs,
    env: lowerEnv(spec.env, pipelinePath, location),
    runtime,
    ...(spec.cloud ? { cloud: { ...spec.cloud } } : {}),
    concurrency: {
      ...(spec.concurrency?.group !== undefined ? { group: spec.concurrency.group } : {}),
      cancelInProgress: spec.concurrency?.cancelInProgress ?? false,
    },
    timeoutMinutes: spec.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES,
    steps,
  };
}

/** dbt's node selection syntax: methods, globs, graph and set operators. Never a leading `-`. */
const SELECTOR_WORD = String.raw`[A-Za-z0-9_.:/*?+@,=[\]][A-Za-z0-9_.:/*?+@,=[\]-]*`;
const SELECTOR = new RegExp(`^${SELECTOR_WORD}(?: ${SELECTOR_WORD})*$`);

export function isValidSelector(selector: string): boolean {
  return SELECTOR.test(selector) && !selector.startsWith('-');
}

function literalSelectors(options: object): string[] {
  const selection = options as { select?: unknown; exclude?: unknown; selector?: unknown };
  // Typed selectors (NodeSelector, possibly from another copy of the SDK) are checked as their text.
  const text = (item: unknown): string[] => (typeof item === 'string' ? [item] : typeof item === 'object' && item !== null && !isInputRef(item) ? [String(item)] : []);
  return [selection.select, selection.exclude, selection.selector].flatMap((value) => (Array.isArray(value) ? value.flatMap(text) : text(value)));
}

function unknownInput(name: string, known: Set<string>, path: string[], location: SourceLocation | undefined): Diagnostic {
  return {
    code: DIAGNOSTIC_CODES.UNKNOWN_INPUT,
    message: `Input '${name}' is not declared by this pipeline. Inputs: ${[...known].join(', ') || '(none)'}.`,
    hint: 'Declare it under `inputs` of this pipeline, and use the `inputs` given to `steps`.',
    path,
    ...at(location),
  };
}

function at(location: SourceLocation | undefined): { location?: SourceLocation } {
  return location ? { location } : {};
}

function sourceAt(location: SourceLocation | undefined): { source?: SourceLocation } {
  return location ? { source: location } : {};
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
