/**
 * The bash runner: one script that runs every pipeline's steps itself, `<program> <pipeline>`, with
 * Sluice's signal handling (SIGTERM/SIGINT cancel the run; only always() steps run after), retries,
 * step timeouts and condition evaluation (semantics.md). The container entrypoint is this script; the
 * GitLab target runs it inside its one job per pipeline, so both share one implementation.
 *
 * Rendered from runner.sh.hbs. Handlebars is compiled with `noEscape` (its HTML escaping would corrupt
 * shell) and `strict`; every value it prints goes through the one quoting helper `q`, and the only raw
 * insertions are code fragments built here or by a target from shellQuote'd parts (conditions, step
 * bodies, set-up lines) and the fixed `program`/`secretHint` texts, checked below.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  isNotifyCommand,
  notifySecretNames,
  executionOrder,
  flattenArgs,
  inputsUsedBy,
  normalConditions,
  type PipelineIR,
  type SluiceIR,
  type StepIR,
  type Value,
} from '@sluice/sdk/ir';
import type Handlebars from 'handlebars';
import { argvLines, inputEnvName, NODE_PATTERN, SELECTOR_PATTERN } from './bash.js';
import { bashCondition } from './bash-conditions.js';
import { NOTIFIER_ENV, notifierSettings, slackNotifierProgram } from './notify.js';
import { asProcessStep, isEngineOwnCommand, type EngineOwnCommand } from './process-step.js';
import { refusedGithubOnlyStep } from './refusals.js';
import { shellQuote } from './shell.js';

/** What a target adds to the runner. Every string is bash built from shellQuote'd parts. */
export interface RunnerHooks {
  /** The script's own name in usage and error messages (a plain file name). */
  program: string;
  /** Where a missing secret should come from, for the error message (fixed text, no quotes). */
  secretHint: string;
  /** The header comment lines. */
  header: string[];
  /**
   * The shutdown defaults (seconds), overridable at run time by SLUICE_SHUTDOWN_GRACE and
   * SLUICE_KILL_AFTER: the whole shutdown must end before the engine's SIGKILL (`why`, for --help).
   */
  shutdown: { graceSeconds: number; killAfterSeconds: number; why: string };
  /** Who started the run, for notifications, when SLUICE_TRIGGER is not set (bash word, built here). */
  defaultTrigger: string;
  /** Lines run once per run, after inputs and secrets are checked and before the first step. */
  setup?: (pipeline: PipelineIR) => string[];
  /** Bash function definitions `sluice_section_start <id>` / `sluice_section_end <id>` for per-step log sections. */
  sections?: string[];
  /** The lines of a command only some engines can run (GitLab: Pages), or undefined when the target refused it. */
  command?: (command: EngineOwnCommand) => string[] | undefined;
}

const PLAIN_TEXT = /^[A-Za-z0-9 ._,()/-]+$/;

/** The runner script for every pipeline of the IR. */
export function renderRunner(ir: SluiceIR, hooks: RunnerHooks): string {
  if (!PLAIN_TEXT.test(hooks.program) || !PLAIN_TEXT.test(hooks.secretHint.replace(/\$1/g, ''))) throw new Error('runner program and secret hint are fixed plain text');
  if (!PLAIN_TEXT.test(hooks.shutdown.why)) throw new Error('runner shutdown note is fixed plain text');
  const notifies = ir.pipelines.some((pipeline) => pipeline.steps.some((step) => isNotifyCommand(step.command)));
  return render({
    header: hooks.header,
    program: hooks.program,
    secretHint: hooks.secretHint,
    sections: hooks.sections ?? [],
    notifier: notifies ? slackNotifierProgram().trimEnd() : '',
    pipelines: ir.pipelines.map((pipeline, index) => pipelineData(ir, pipeline, index, hooks)),
    usageHead: [`Usage: ${hooks.program} <pipeline> [--input name=value ...] [--dry-run]`, `       ${hooks.program} [<pipeline>] --help`, '', 'Pipelines:'],
    usageTail: [
      '',
      'Inputs may also be set as SLUICE_INPUT_<name> environment variables.',
      `Shutdown: SLUICE_SHUTDOWN_GRACE (seconds, default ${hooks.shutdown.graceSeconds}: ${hooks.shutdown.why}) bounds the whole shutdown;`,
      `SLUICE_KILL_AFTER (default ${hooks.shutdown.killAfterSeconds}) is the time between a step's SIGINT and its SIGKILL.`,
    ],
    shutdownGrace: hooks.shutdown.graceSeconds,
    killAfter: hooks.shutdown.killAfterSeconds,
    selectorPattern: SELECTOR_PATTERN,
    nodePattern: NODE_PATTERN,
    projectDir: ir.dbtProjectDir,
  });
}

const require = createRequire(import.meta.url);
let template: Handlebars.TemplateDelegate | undefined;

/**
 * The template, compiled with `noEscape` and `strict`. The build precompiles it (runner.sh.hbs.cjs)
 * so only handlebars' runtime loads; from sources it is compiled on first use.
 */
function loadTemplate(): Handlebars.TemplateDelegate {
  const quote = (value: unknown): string => shellQuote(String(value));
  try {
    const spec = require('./runner.sh.hbs.cjs') as Parameters<typeof Handlebars.template>[0];
    const runtime = (require('handlebars/runtime') as typeof Handlebars).create();
    runtime.registerHelper('q', quote);
    return runtime.template(spec);
  } catch (error) {
    if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
  }
  const handlebars = (require('handlebars') as typeof Handlebars).create();
  handlebars.registerHelper('q', quote);
  return handlebars.compile(readFileSync(new URL('./runner.sh.hbs', import.meta.url), 'utf8'), { noEscape: true, strict: true });
}

function render(data: unknown): string {
  template ??= loadTemplate();
  return template(data);
}

function pipelineData(ir: SluiceIR, pipeline: PipelineIR, pipelineNumber: number, hooks: RunnerHooks) {
  const prefix = `sluice_p${pipelineNumber}`;
  const order = executionOrder(pipeline);
  const conditionOf = normalConditions(pipeline);
  const always = order.map((step) => conditionOf(step.id).afterCancel);
  const steps = order.map((step, stepNumber) => ({
    id: step.id,
    always: always[stepNumber] ? 1 : 0,
    // The always() steps from this one on (itself included): they share what is left of the shutdown.
    alwaysAhead: always.slice(stepNumber).filter(Boolean).length,
    label: step.label,
    conditionFunction: `${prefix}_condition_${stepNumber}`,
    stepFunction: `${prefix}_step_${stepNumber}`,
    condition: bashCondition(conditionOf(step.id)),
    retries: step.retries,
    timeoutSeconds: (step.timeoutMinutes ?? 0) * 60,
    body: stepBody(ir, pipeline, step, `${prefix}_result`, hooks),
  }));
  return {
    name: pipeline.name,
    runFunction: `${prefix}_run`,
    resultFunction: `${prefix}_result`,
    usageFunction: `${prefix}_usage`,
    usage: pipelineUsage(pipeline),
    alwaysCount: always.filter(Boolean).length,
    stepCount: steps.length,
    steps,
    failingIds: pipeline.steps.filter((step) => !step.allowFailure).map((step) => step.id),
    inputs: pipeline.inputs.map((input) => ({
      name: input.name,
      type: input.type,
      required: input.required ? 1 : 0,
      hasDefault: input.default === undefined ? 0 : 1,
      default: input.default === undefined ? '' : String(input.default),
      options: input.options ?? [],
    })),
    secrets: secretsOf(pipeline),
    setup: hooks.setup?.(pipeline) ?? [],
    selectorInputs: inputsValidatedAs(pipeline, 'selector'),
    // Checked before any step, as the usage errors they are (each step checks again where it places the value).
    nodeInputs: inputsValidatedAs(pipeline, 'node'),
  };
}

/** The secrets a pipeline reads: each must be present in the environment before any step runs. */
function secretsOf(pipeline: PipelineIR): string[] {
  const names = new Set<string>();
  for (const variable of [...pipeline.env, ...pipeline.steps.flatMap((step) => step.env)]) {
    if (variable.value.kind === 'secret') names.add(variable.value.name);
  }
  for (const step of pipeline.steps) if (isNotifyCommand(step.command)) for (const name of notifySecretNames(step.command)) names.add(name);
  return [...names].sort();
}

/**
 * The container holds every secret of the pipeline in its environment (docker run -e, a Kubernetes
 * Secret, masked CI/CD variables), but a step sees only those its env gives it, as on GitHub and Argo:
 * a built-in step (state, upload, notify) never sees the warehouse credentials. Unset in the step's
 * own subshell, after its exports have read them.
 */
function hideSecrets(pipeline: PipelineIR, step: StepIR): string[] {
  const given = new Set([...pipeline.env, ...step.env].map((variable) => variable.name));
  const hidden = secretsOf(pipeline).filter((name) => !given.has(name));
  return hidden.length > 0 ? [`unset ${hidden.join(' ')}`] : [];
}

/**
 * The body of a step's function: it runs in its own subshell, sets the step's environment, then execs.
 * Sluice's own S3/GCS steps run as the processes that do them (process-step.ts).
 */
function stepBody(ir: SluiceIR, pipeline: PipelineIR, meaning: StepIR, resultFunction: string, hooks: RunnerHooks): string[] {
  const step = asProcessStep(meaning);
  const lines: string[] = [];
  if (ir.dbtProjectDir !== '.') lines.push(`cd -- ${shellQuote(ir.dbtProjectDir)}`);
  for (const variable of [...pipeline.env, ...step.env]) lines.push(`export ${variable.name}=${envValue(variable.value)}`);
  // As on GitHub and Argo, a step sees SLUICE_INPUT_<name> for each input it uses (resolved, checked).
  for (const name of inputsUsedBy(pipeline, step)) lines.push(`export ${inputEnvName(name)}`);
  const command = step.command;
  switch (command.kind) {
    case 'argv': {
      const commandLines = argvLines(command.argv);
      const run = commandLines.pop() as string;
      lines.push(...hideSecrets(pipeline, step), ...commandLines, `sluice_exec ${run}`);
      break;
    }
    case 'script':
      lines.push(...hideSecrets(pipeline, step), `sluice_exec bash -eo pipefail -c ${shellQuote(command.script)}`);
      break;
    case 'state-load':
    case 'state-save':
    case 'publish': {
      // Left by asProcessStep: only one engine's own (GitHub artifacts, Pages). The target supplies
      // the lines (GitLab Pages), or refused the step before emitting.
      const own = isEngineOwnCommand(command) ? hooks.command?.(command) : undefined;
      if (!own) return refusedGithubOnlyStep();
      lines.push(...own);
      break;
    }
    case 'notify-slack':
    case 'notify-teams':
    case 'notify-webhook':
    case 'notify-email':
      lines.push(
        ...notifierSettings(command).map((setting) => `export ${setting.name}=${envValue(setting.value)}`),
        `export ${NOTIFIER_ENV.pipeline}=${shellQuote(pipeline.name)}`,
        `${NOTIFIER_ENV.status}=$(${resultFunction})`,
        `export ${NOTIFIER_ENV.status}`,
        `export ${NOTIFIER_ENV.trigger}="\${SLUICE_TRIGGER:-${hooks.defaultTrigger}}"`,
        // Started after a cancellation, the notifier gives up (retries included) a second before its
        // share of the shutdown ends; otherwise its own deadline applies (15 s, or SLUICE_NOTIFY_DEADLINE).
        `if [ "$SLUICE_CANCELLED" = 1 ]; then export ${NOTIFIER_ENV.deadline}=$((SLUICE_SHARE > 1 ? SLUICE_SHARE - 1 : 1)); fi`,
        ...hideSecrets(pipeline, step),
        'sluice_notify',
      );
      break;
  }
  return lines;
}

function envValue(value: Value): string {
  switch (value.kind) {
    case 'literal':
      return shellQuote(value.value);
    case 'secret':
      return `"\${${value.name}:-}"`;
    case 'input':
      return `"\${${inputEnvName(value.name)}:-}"`;
  }
}

/** A pipeline's lines in --help (its shutdown bound is printed by the script, from the run-time settings). */
function pipelineUsage(pipeline: PipelineIR): string[] {
  const lines = [`  ${pipeline.name}${pipeline.description ? `: ${pipeline.description.split('\n')[0]}` : ''}`];
  for (const input of pipeline.inputs) {
    const details = [input.type, input.required ? 'required' : 'optional', input.default !== undefined ? `default ${String(input.default)}` : undefined];
    if (input.options) details.push(`one of ${input.options.join(', ')}`);
    lines.push(`      --input ${input.name}=...  (${details.filter(Boolean).join(', ')})${input.description ? ` ${input.description}` : ''}`);
  }
  return lines;
}

/** The inputs some step places as a dbt selection (`selector`) or as one node name (`node`), once each. */
function inputsValidatedAs(pipeline: PipelineIR, validate: 'selector' | 'node'): string[] {
  const args = pipeline.steps.flatMap((step) => (step.command.kind === 'argv' ? flattenArgs(step.command.argv) : []));
  return [...new Set(args.flatMap((arg) => (arg.kind === 'input' && arg.validate === validate ? [arg.name] : [])))];
}
