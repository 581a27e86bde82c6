/**
 * Lowering of one step's command: the DSL command (what steps() built, with step objects and input
 * references) becomes the IR command (ids, input names, artifact paths). A dbt step that the
 * project's dbt version cannot run becomes its older equivalent (`verdict.useOlder`). Script
 * commands may name artifacts whose paths reach the script as env vars (`pathEnv`).
 */
import { isInputRef, type Arg, type DslArg, type EnvVar, type SourceLocation, type Step, type StepIR } from '@sluice/sdk/ir';
import { artifactPath, stepTargetDir, type DbtStepShape, type VersionVerdict } from './lower-dbt.js';
import { isNotifyDsl, lowerNotify } from './lower-notify.js';
import type { Report } from './lower-scope.js';


export interface CommandLowering {
  step: Step;
  id: string;
  /** Ids of the steps `steps` returned. */
  ids: ReadonlyMap<Step, string>;
  /** Reports an input this pipeline does not declare. */
  checkInput(name: string): void;
  report: Report;
  stepPath: string[];
  stepLocation: SourceLocation | undefined;
  dbtStep: DbtStepShape | undefined;
  verdict: VersionVerdict;
}

export function lowerCommand({ step, id, ids, checkInput, report, stepPath, stepLocation, dbtStep, verdict }: CommandLowering): { command: StepIR['command']; pathEnv: EnvVar[] } {
  const lowerArg = (arg: DslArg): Arg | Arg[] => {
    if (typeof arg === 'string') return { kind: 'literal', value: arg };
    if (isInputRef(arg)) {
      checkInput(arg.name);
      return { kind: 'input', name: arg.name };
    }
    switch (arg.kind) {
      case 'whenFile':
        return { kind: 'whenFile', path: arg.path, then: arg.then.flatMap(lowerArg), otherwise: arg.otherwise.flatMap(lowerArg), notice: arg.notice, ...(arg.absent ? { absent: arg.absent } : {}) };
      case 'switch':
        checkInput(arg.ref.name);
        return { kind: 'switch', name: arg.ref.name, flag: arg.flag };
      case 'option':
        checkInput(arg.ref.name);
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
  const pathEnv: EnvVar[] =
    dslCommand.kind === 'script' ? Object.entries(dslCommand.pathEnv ?? {}).map(([name, artifact]) => ({ name, value: { kind: 'literal', value: artifactPath(artifact, ids.get(artifact.step)) } })) : [];
  const command: StepIR['command'] =
    dslCommand.kind === 'argv'
      ? { kind: 'argv', argv: dslCommand.argv.flatMap(lowerArg) }
      : dslCommand.kind === 'script'
        ? { kind: 'script', script: dslCommand.script }
        : isNotifyDsl(dslCommand)
          ? lowerNotify(dslCommand, report, stepPath, stepLocation)
          : dslCommand.kind === 'github-artifact-save'
            ? { kind: 'github-artifact-save', name: dslCommand.name, paths: dslCommand.paths.map((file) => (dslCommand.from ? `${artifactPath(dslCommand.from, ids.get(dslCommand.from.step))}/${file}` : file)) }
            : dslCommand.kind === 'github-pages'
              ? { kind: 'github-pages', path: dslCommand.from ? artifactPath(dslCommand.from, ids.get(dslCommand.from.step)) : dslCommand.path, isDirectory: dslCommand.isDirectory, ...(dslCommand.publishAs ? { publishAs: dslCommand.publishAs } : {}) }
              : { kind: 'github-artifact-load', name: dslCommand.name, workflow: dslCommand.workflow, ...(dslCommand.branch !== undefined ? { branch: dslCommand.branch } : {}), dir: dslCommand.dir };
  return { command, pathEnv };
}
