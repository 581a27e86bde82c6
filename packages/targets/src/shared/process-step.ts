/**
 * Sluice's own steps (state load/save, publishing) as processes, for the targets that run each step
 * as a program in a shell or a container (GitHub run steps, Argo containers, the shared runner of the
 * entrypoint and GitLab). The IR says what a step does; this says how, with the S3/GCS CLIs. What
 * only one engine can do (GitHub artifacts, Pages) is left as it is: that target lowers it itself,
 * every other refuses it before emitting (refusals.ts).
 */
import type { Command, StepIR } from '@sluice/sdk/ir';
import { bucketPublishArgv } from './publish.js';
import { bucketStateLoad, type StateProgram } from './state-load.js';
import { bucketStateSave } from './state-save.js';

/** A command only the engines with their own means can run (a GitHub artifact, the Pages site). */
export type EngineOwnCommand =
  | (Extract<Command, { kind: 'state-load' | 'state-save' }> & { store: { kind: 'github-artifact' } })
  | (Extract<Command, { kind: 'publish' }> & { destination: { kind: 'pages' } });

export function isEngineOwnCommand(command: Command): command is EngineOwnCommand {
  switch (command.kind) {
    case 'state-load':
    case 'state-save':
      return command.store.kind === 'github-artifact';
    case 'publish':
      return command.destination.kind === 'pages';
    default:
      return false;
  }
}

/**
 * The step as the process that does it: an S3/GCS state load or save becomes our bash program (its
 * settings added to the step's environment, after the step's own), an S3/GCS upload the CLI's argv.
 * Every other step is returned as it is.
 */
export function asProcessStep(step: StepIR): StepIR {
  const command = step.command;
  const script = (program: StateProgram): StepIR => ({ ...step, command: { kind: 'script', script: program.script }, env: [...step.env, ...program.env] });
  switch (command.kind) {
    case 'state-load':
      return command.store.kind === 'github-artifact' ? step : script(bucketStateLoad({ ...command, store: command.store }));
    case 'state-save':
      return command.store.kind === 'github-artifact' ? step : script(bucketStateSave({ ...command, store: command.store }));
    case 'publish':
      if (command.destination.kind === 'pages') return step;
      return { ...step, command: { kind: 'argv', argv: bucketPublishArgv({ ...command, destination: command.destination }).map((value) => ({ kind: 'literal', value })) } };
    default:
      return step;
  }
}
