/**
 * What each step receives, by the semantics (semantics.md, "Values"): for one trigger, the values
 * submitted with it and the secrets, each step's exact argv, its declared environment, its working
 * directory and the files it is promised to find. The reference the engines' oracles are compared
 * with (test/dataflow.property.test.ts), and what `sluice plan --json` shows.
 *
 * - Inputs: a manual run takes the submitted value when one is given (an empty string or `false`
 *   given on purpose included), else the default, else ''. Every other trigger carries no inputs:
 *   the default, else ''. A required input that ends empty, or a value of the wrong type, refuses the
 *   run before any step (exit 2).
 * - Environment: the pipeline's env, then the step's (a step's entry wins), each value a literal,
 *   a secret or an input; plus `SLUICE_INPUT_<name>` for every input the step uses. Byte for byte:
 *   no engine may expand, trim or re-quote any of it.
 * - argv: literals as written; an input argument is its value (after its flag, and then only when
 *   non-empty); a switch is its flag when the input is `true`; a run-time file choice by whether the
 *   file exists in the given set. A script is `bash -eo pipefail -c <script>`. Sluice's own steps
 *   (state, publishing, notifications) are described, not spelt out: each engine runs its own means,
 *   with settings of its own in the environment beside the declared one.
 * - Working directory: the dbt project directory, relative to the project root.
 */
import { flattenArgs, inputsUsedBy, executionOrder, isNotifyCommand, notifySecretNames, type Arg, type InputIR, type PipelineIR, type StateStoreIR, type StepIR, type Value } from '@sluice/sdk/ir';

export type TriggerRun =
  | { kind: 'schedule' }
  | { kind: 'push' }
  | { kind: 'pullRequest' }
  /** `inputs`: the values submitted; an input left out takes its default. */
  | { kind: 'manual'; inputs?: Readonly<Record<string, string>> };

export interface StepDelivery {
  id: string;
  /** The program and its arguments; for Sluice's own programs (notifiers, state, publishing), a description of what it does. */
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** Files promised before the step starts (artifacts of the steps it consumes), relative to `cwd`. */
  files: string[];
  /** Set when the step refuses to start its program (an input fails its run-time check): exit 2. */
  refused?: string;
}

export type Delivery =
  | { ok: true; inputs: Record<string, string>; steps: StepDelivery[] }
  | { ok: false; refused: string };

export interface DeliveryOptions {
  /** Secret values by name; a secret not given is refused, as every engine refuses to start without it. */
  secrets?: Readonly<Record<string, string>>;
  /** The dbt project directory, relative to the project root (the IR's `dbtProjectDir`). */
  dbtProjectDir?: string;
  /** Files that exist when the steps start (for run-time file choices such as slim CI state). */
  existingFiles?: ReadonlySet<string>;
}

/** Each input's value for this trigger, or why the run is refused. */
export function resolveInputs(pipeline: PipelineIR, trigger: TriggerRun): { ok: true; values: Record<string, string> } | { ok: false; refused: string } {
  const given = trigger.kind === 'manual' ? (trigger.inputs ?? {}) : {};
  const values: Record<string, string> = {};
  for (const input of pipeline.inputs) {
    const value = Object.hasOwn(given, input.name) ? (given[input.name] as string) : input.default !== undefined ? String(input.default) : '';
    const problem = inputProblem(input, value);
    if (problem) return { ok: false, refused: problem };
    values[input.name] = value;
  }
  return { ok: true, values };
}

function inputProblem(input: InputIR, value: string): string | undefined {
  if (value === '') return input.required ? `input '${input.name}' is required` : undefined;
  if (input.type === 'boolean' && value !== 'true' && value !== 'false') return `input '${input.name}' must be true or false`;
  if (input.type === 'number' && !/^-?[0-9]+([.][0-9]+)?$/.test(value)) return `input '${input.name}' must be a number`;
  if (input.type === 'choice' && !(input.options ?? []).includes(value)) return `input '${input.name}' must be one of: ${(input.options ?? []).join(', ')}`;
  return undefined;
}

export function whatStepsReceive(pipeline: PipelineIR, trigger: TriggerRun, options: DeliveryOptions = {}): Delivery {
  const inputs = resolveInputs(pipeline, trigger);
  if (!inputs.ok) return inputs;
  const secrets = options.secrets ?? {};
  const missing = secretsOf(pipeline).find((name) => !Object.hasOwn(secrets, name));
  if (missing !== undefined) return { ok: false, refused: `secret ${missing} is not set` };
  const cwd = options.dbtProjectDir ?? '.';
  const existing = options.existingFiles ?? new Set<string>();
  const produced = new Map(pipeline.steps.flatMap((step) => step.produces.map((artifact) => [`${step.id}.${artifact.name}`, artifact.path] as const)));
  const steps = executionOrder(pipeline).map((step): StepDelivery => {
    const value = (source: Value): string => (source.kind === 'literal' ? source.value : source.kind === 'secret' ? (secrets[source.name] as string) : (inputs.values[source.name] as string));
    const env: Record<string, string> = {};
    for (const variable of [...pipeline.env, ...step.env]) env[variable.name] = value(variable.value);
    for (const name of inputsUsedBy(pipeline, step)) env[`SLUICE_INPUT_${name}`] = inputs.values[name] as string;
    const files = step.consumes.flatMap((ref) => produced.get(`${ref.step}.${ref.name}`) ?? []);
    const delivery: StepDelivery = { id: step.id, argv: programArgv(step, inputs.values, existing), env, cwd, files };
    const refused = selectorProblem(step, inputs.values);
    return refused ? { ...delivery, refused } : delivery;
  });
  return { ok: true, inputs: inputs.values, steps };
}

function programArgv(step: StepIR, inputs: Record<string, string>, existing: ReadonlySet<string>): string[] {
  const command = step.command;
  switch (command.kind) {
    case 'argv':
      return expandArgs(command.argv, inputs, existing);
    case 'script':
      return ['bash', '-eo', 'pipefail', '-c', command.script];
    // Sluice's own programs: each target runs its own (CLI calls, actions, Argo containers), so the
    // model names what they do, not an argv.
    case 'notify-slack':
      return ['(Sluice Slack notifier)'];
    case 'notify-teams':
    case 'notify-webhook':
    case 'notify-email':
      return [`(Sluice ${command.kind.slice('notify-'.length)} notifier)`];
    case 'state-load':
      return [`(Sluice state load: ${storeName(command.store)} ${command.set} -> ${command.dir})`];
    case 'state-save':
      return [`(Sluice state save: ${command.from ?? '?'} -> ${storeName(command.store)})`];
    case 'publish':
      return [`(Sluice publish: ${command.path} -> ${command.destination.kind === 'pages' ? "the repository's Pages site" : command.destination.url})`];
  }
}

function storeName(store: StateStoreIR): string {
  return store.kind === 'github-artifact' ? `GitHub artifact of ${store.pipeline}` : store.url;
}

function expandArgs(argv: readonly Arg[], inputs: Record<string, string>, existing: ReadonlySet<string>): string[] {
  return argv.flatMap((arg): string[] => {
    switch (arg.kind) {
      case 'literal':
        return [arg.value];
      case 'switch':
        return inputs[arg.name] === 'true' ? [arg.flag] : [];
      case 'whenFile':
        return expandArgs(existing.has(arg.path) ? arg.then : arg.otherwise, inputs, existing);
      case 'input': {
        const value = inputs[arg.name] ?? '';
        if (arg.flag === undefined) return [value];
        return value === '' ? [] : [arg.flag, value];
      }
    }
  });
}

/** The run-time selector check (SELECTOR_PATTERN, a POSIX ERE) in JavaScript's syntax; a test holds the two equal. */
const SELECTOR_WORD = String.raw`[\]A-Za-z0-9_.:/*?+@,=\[][\]A-Za-z0-9_.:/*?+@,=\[-]*`;
export const SELECTOR = new RegExp(`^${SELECTOR_WORD}( ${SELECTOR_WORD})*$`);

function selectorProblem(step: StepIR, inputs: Record<string, string>): string | undefined {
  if (step.command.kind !== 'argv') return undefined;
  for (const arg of flattenArgs(step.command.argv)) {
    if (arg.kind !== 'input' || arg.validate !== 'selector') continue;
    const value = inputs[arg.name] ?? '';
    if (value !== '' && !SELECTOR.test(value)) return `input ${arg.name} is not a dbt selection`;
  }
  return undefined;
}

/** The secrets a pipeline reads, sorted. */
export function secretsOf(pipeline: PipelineIR): string[] {
  const names = new Set<string>();
  for (const variable of [...pipeline.env, ...pipeline.steps.flatMap((step) => step.env)]) if (variable.value.kind === 'secret') names.add(variable.value.name);
  for (const step of pipeline.steps) if (isNotifyCommand(step.command)) for (const name of notifySecretNames(step.command)) names.add(name);
  return [...names].sort();
}

/** The triggers of a pipeline as runs without submitted values: what `sluice plan --json` shows. */
export function defaultRuns(pipeline: PipelineIR): TriggerRun[] {
  const kinds = [...new Set(pipeline.triggers.map((trigger) => trigger.kind))];
  return kinds.map((kind) => (kind === 'manual' ? { kind, inputs: {} } : { kind }));
}
