/**
 * Lowering of one step's command: the DSL command (what steps() built, with step objects and input
 * references) becomes the IR command (ids, input names, artifact paths). A dbt step that the
 * project's dbt version cannot run becomes its older equivalent (`verdict.useOlder`). Sluice's own
 * steps (state, publish, notify) stay meaning-level: artifacts become paths, nothing becomes shell.
 */
import { isInputRef, type Arg, type Artifact, type DslArg, type InputRef, type SourceLocation, type Step, type StepIR } from '@sluice/sdk/ir';
import { artifactPath, stepTargetDir, type DbtStepShape, type VersionVerdict } from './lower-dbt.js';
import { lowerNotify } from './lower-notify.js';
import type { Report } from './lower-scope.js';


export interface CommandLowering {
  step: Step;
  id: string;
  /** Ids of the steps `steps` returned. */
  ids: ReadonlyMap<Step, string>;
  /** Reports an input this pipeline does not declare. */
  report: Report;
  /** Reports a reference that is not one of this pipeline's own inputs. */
  checkInput(ref: InputRef): void;
  stepPath: string[];
  stepLocation: SourceLocation | undefined;
  dbtStep: DbtStepShape | undefined;
  verdict: VersionVerdict;
}

export function lowerCommand({ step, id, ids, report, checkInput, stepPath, stepLocation, dbtStep, verdict }: CommandLowering): StepIR['command'] {
  const lowerArg = (arg: DslArg): Arg | Arg[] => {
    if (typeof arg === 'string') return { kind: 'literal', value: arg };
    if (isInputRef(arg)) {
      checkInput(arg);
      return { kind: 'input', name: arg.name };
    }
    switch (arg.kind) {
      case 'whenFile':
        return { kind: 'whenFile', path: arg.path, then: arg.then.flatMap(lowerArg), otherwise: arg.otherwise.flatMap(lowerArg), notice: arg.notice, ...(arg.absent ? { absent: arg.absent } : {}) };
      case 'switch':
        checkInput(arg.ref);
        return { kind: 'switch', name: arg.ref.name, flag: arg.flag };
      case 'option':
        checkInput(arg.ref);
        return {
          kind: 'input',
          name: arg.ref.name,
          ...(arg.flag !== undefined ? { flag: arg.flag } : {}),
          ...(arg.validate ? { validate: arg.validate } : {}),
          ...(arg.before ? { before: arg.before } : {}),
          ...(arg.after ? { after: arg.after } : {}),
        };
      case 'path':
        return { kind: 'literal', value: artifactPath(arg.artifact, ids.get(arg.artifact.step)) };
      case 'targetPath':
        return [{ kind: 'literal', value: '--target-path' }, { kind: 'literal', value: stepTargetDir(id) }];
    }
  };

  const dslCommand = verdict.useOlder && dbtStep?.olderEquivalent ? ({ kind: 'argv', argv: dbtStep.olderEquivalent.argv } as typeof step.command) : step.command;
  const pathOf = (artifact: Artifact): string => artifactPath(artifact, ids.get(artifact.step));
  // One case per kind; `never` makes a new DSL command kind a compile error here until it is lowered.
  switch (dslCommand.kind) {
    case 'argv':
      return { kind: 'argv', argv: dslCommand.argv.flatMap(lowerArg) };
    case 'script':
      return { kind: 'script', script: dslCommand.script };
    case 'notify-slack':
    case 'notify-teams':
    case 'notify-webhook':
    case 'notify-email':
      return lowerNotify(dslCommand, report, stepPath, stepLocation);
    case 'state-load':
      return { kind: 'state-load', store: { ...dslCommand.store }, set: dslCommand.set, dir: dslCommand.dir };
    case 'state-save':
      return { kind: 'state-save', store: { ...dslCommand.store }, ...(dslCommand.from !== undefined ? { from: pathOf(dslCommand.from) } : {}) };
    case 'publish':
      return { kind: 'publish', destination: { ...dslCommand.destination }, path: typeof dslCommand.from === 'string' ? dslCommand.from : pathOf(dslCommand.from), isDirectory: dslCommand.isDirectory };
    default:
      return unknownCommand(dslCommand);
  }
}

function unknownCommand(command: never): never {
  throw new Error(`unknown DSL command kind ${JSON.stringify((command as { kind?: unknown }).kind)}`);
}
