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
  inputsInString,
  isBuiltinStep,
  isInputRef,
  isSecret,
  isStep,
  isTodo,
  type Condition,
  type Diagnostic,
  type DslCondition,
  type EnvValue,
  type EnvVar,
  type InputIR,
  type Pipeline,
  type PipelineIR,
  type RuntimeIR,
  type RegistryCredentialsIR,
  type SluiceIR,
  type SourceLocation,
  type Step,
  type StepIR,
  type TriggerIR,
  type Value,
} from '@sluice/sdk/ir';
import { conditionShapeProblem } from './checks/condition-shape.js';
import { errorMessage } from './loader.js';
import { artifactPath, asDbtStep, checkVersion, deferWithoutState, inputMarkersIn, statefulSelectorsWithoutState } from './lower-dbt.js';
import { lowerCommand } from './lower-command.js';

export interface LowerContext {
  /** pipeline.ts relative to the root. */
  source: string;
  dbtProjectDir: string;
  /** Whether the dbt project declares packages (packages.yml or dependencies.yml). */
  hasDbtPackages: boolean;
  /** The dbt version the pipelines run, when known (config, requirements pin, image tag). */
  dbtVersion?: string | undefined;
  /** Where that version was learnt, for messages (`requirements.txt`, `sluice.config.ts`). */
  dbtVersionSource?: string | undefined;
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

  // An imported pipeline never compiles while something the workflow did is not carried over.
  for (const entry of spec.todos ?? []) {
    report({
      code: DIAGNOSTIC_CODES.IMPORT_TODO,
      message: isTodo(entry) ? `Not imported yet: ${entry.what}` : `'todos' holds ${describe(entry)}, not a todo(...).`,
      hint: 'Make the pipeline do what the original YAML in this todo(...) did (or accept the difference), then delete the entry.',
      ...at(isTodo(entry) ? context.mapLocation(entry.location) : location),
    });
  }

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
  const builtinSteps = new Set<string>();
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

    const lowerBoundedCondition = (condition: DslCondition): Condition => {
      const shape = conditionShapeProblem(condition);
      if (shape === undefined) return lowerCondition(condition);
      report({ code: DIAGNOSTIC_CODES.INVALID_VALUE, message: `The condition of step '${id}' cannot be used: ${shape}.`, hint: 'Build a small condition with when.*; combine a few steps, not a loop.', path: stepPath, ...at(stepLocation) });
      return { op: 'success' };
    };

    const checkInput = (name: string): void => {
      if (!inputNames.has(name)) report(unknownInput(name, inputNames, stepPath, stepLocation));
    };

    const dbtStep = asDbtStep(step);
    const verdict = dbtStep ? checkVersion(dbtStep, context.dbtVersion) : { useOlder: false, missing: [] };
    for (const missing of verdict.missing) {
      report({
        code: DIAGNOSTIC_CODES.DBT_VERSION_TOO_OLD,
        message: `Step '${id}' uses ${missing.what}, which needs dbt >= ${missing.since}; this project runs dbt ${dbtStep?.dbtVersion ?? context.dbtVersion}${dbtStep?.dbtVersion === undefined && context.dbtVersionSource ? ` (from ${context.dbtVersionSource})` : ''}.`,
        hint: missing.feature === 'static' ? `Upgrade dbt to ${missing.since} or later, or use dbt.docs({ static: false }) and publish docs.targetDir.` : `Upgrade dbt to ${missing.since} or later (or set dbtVersion in sluice.config.ts if the detected version is wrong).`,
        path: stepPath,
        ...at(stepLocation),
      });
    }
    const command = lowerCommand({ step, id, ids, checkInput, report, stepPath, stepLocation, dbtStep, verdict });

    const options = step.options;
    const stateless = statefulSelectorsWithoutState(options);
    if (stateless.length > 0 || deferWithoutState(options)) {
      report({
        code: DIAGNOSTIC_CODES.STATE_SELECTOR_WITHOUT_STATE,
        message: stateless.length > 0
          ? `Step '${id}' selects ${stateless.map((selector) => JSON.stringify(selector)).join(', ')} but has no state: dbt refuses state:, result: and source_status: selectors without --state.`
          : `Step '${id}' defers (--defer) but has no state to defer to.`,
        hint: "Load the production state and pass it: `const prod = state.s3('s3://...').load(); dbt.build({ select: 'state:modified+', state: prod })`, or select without state.",
        path: stepPath,
        ...at(stepLocation),
      });
    }
    for (const selector of literalSelectors(options)) {
      if (!isValidSelector(selector) && inputsInString(selector).length === 0) {
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

    const stepEnv = lowerEnv(options.env, stepPath, stepLocation);
    for (const found of inputMarkersIn({ command, env: stepEnv }, id)) {
      report({
        code: DIAGNOSTIC_CODES.INPUT_IN_STRING,
        message: `Step '${id}' puts input '${found.input}' inside a string (a template string such as \`\${inputs.${found.input}}+\`): its value is only known at run time, so the string would hold no value.`,
        hint: `Pass the input itself (select: inputs.${found.input}), or build the selection with its operators: select: selector.children(inputs.${found.input}) is '<${found.input}>+'.`,
        path: stepPath,
        ...at(stepLocation),
      });
    }
    if (isBuiltinStep(step)) builtinSteps.add(id);
    steps.push({
      id,
      label: verdict.useOlder && dbtStep?.olderEquivalent ? dbtStep.olderEquivalent.label : step.label,
      ...sourceAt(stepLocation),
      command,
      env: stepEnv,
      needs,
      condition: options.if ? lowerBoundedCondition(options.if) : { op: 'success' },
      retries: Number.isInteger(retries) ? retries : 0,
      ...(options.timeoutMinutes !== undefined ? { timeoutMinutes: options.timeoutMinutes } : {}),
      allowFailure: options.allowFailure ?? false,
      produces: step.produces.map((artifact) => ({ name: artifact.name, path: artifactPath(artifact, id) })),
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
      ? {
          kind: 'image',
          image: runtimeSpec.image,
          ...(runtimeSpec.credentials !== undefined ? { credentials: lowerRegistryCredentials(runtimeSpec.credentials, [...pipelinePath, 'runtime credentials'], location, report) } : {}),
          dbtDeps: context.hasDbtPackages,
        }
      : {
          kind: 'python',
          version: runtimeSpec.version,
          ...(runtimeSpec.requirements ? { requirements: runtimeSpec.requirements } : {}),
          dbtDeps: context.hasDbtPackages,
        };

  // Built-in steps (upload, notify, state) get the pipeline's literals only: its secrets and inputs
  // (warehouse credentials) move to the steps the user wrote.
  const pipelineEnv = lowerEnv(spec.env, pipelinePath, location);
  const sharedEnv = pipelineEnv.filter((variable) => variable.value.kind === 'literal');
  const userOnlyEnv = pipelineEnv.filter((variable) => variable.value.kind !== 'literal');
  if (userOnlyEnv.length > 0 && builtinSteps.size > 0) {
    for (const step of steps) {
      if (builtinSteps.has(step.id)) continue;
      const own = new Set(step.env.map((variable) => variable.name));
      step.env = [...userOnlyEnv.filter((variable) => !own.has(variable.name)), ...step.env];
    }
  }
  for (const found of inputMarkersIn(pipelineEnv, pipeline.name)) {
    report({ code: DIAGNOSTIC_CODES.INPUT_IN_STRING, message: `The env of pipeline '${pipeline.name}' puts input '${found.input}' inside a string: its value is only known at run time.`, hint: `Use the input itself as the value: env: { NAME: inputs.${found.input} }.` });
  }

  return {
    name: pipeline.name,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    ...sourceAt(location),
    triggers,
    inputs,
    env: userOnlyEnv.length > 0 && builtinSteps.size > 0 ? sharedEnv : pipelineEnv,
    runtime,
    ...(spec.cloud ? { cloud: { ...spec.cloud } } : {}),
    concurrency: {
      ...(spec.concurrency?.group !== undefined ? { group: spec.concurrency.group } : {}),
      cancelInProgress: spec.concurrency?.cancelInProgress ?? false,
    },
    timeoutMinutes: spec.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES,
    ...(spec.targets !== undefined ? { targets: [...spec.targets] } : {}),
    steps,
  };
}

/**
 * Registry credentials: the password is always a secret; the user name a secret or a plain account
 * name (it lands in the workflow as it is).
 */
function lowerRegistryCredentials(credentials: unknown, where: string[], location: SourceLocation | undefined, report: (diagnostic: Omit<Diagnostic, 'path'> & { path?: string[] }) => void): RegistryCredentialsIR {
  if (credentials === 'github-token') return { kind: 'github-token' };
  const { username, password } = (typeof credentials === 'object' && credentials !== null ? credentials : {}) as { username?: unknown; password?: unknown };
  const problem = (message: string, hint: string): RegistryCredentialsIR => {
    report({ code: DIAGNOSTIC_CODES.INVALID_VALUE, message, hint, path: where, ...(location ? { location } : {}) });
    return { kind: 'github-token' };
  };
  if (!isSecret(password)) return problem('The registry password must be a secret.', "Write credentials: { username: secret('REGISTRY_USER'), password: secret('REGISTRY_PASSWORD') }, or credentials: 'github-token' for ghcr.io.");
  if (isSecret(username)) return { kind: 'account', username: { kind: 'secret', name: username.name }, password: { kind: 'secret', name: password.name } };
  if (typeof username !== 'string' || !REGISTRY_USER.test(username)) return problem('The registry user name must be a secret or a plain account name.', 'Use letters, digits and . _ @ + - (at most 128), or secret(...).');
  return { kind: 'account', username: { kind: 'literal', value: username }, password: { kind: 'secret', name: password.name } };
}

const REGISTRY_USER = /^[A-Za-z0-9._@+-]{1,128}$/;

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
