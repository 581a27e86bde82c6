/**
 * Commands as bash, shared by the targets that run steps through bash. Literal arguments are quoted
 * by shellQuote; input values are only ever expanded from environment variables inside double
 * quotes ("$VAR"), so bash never re-parses them.
 */
import type { Arg, Command, StateStoreIR } from '@sluice/sdk/ir';
import { describeNotify } from './notify.js';
import { shellJoin, shellQuote } from './shell.js';

/** The environment variable that carries a pipeline input's value into a step. */
export function inputEnvName(input: string): string {
  return `SLUICE_INPUT_${input}`;
}

/** dbt's selection syntax (as validated at compile time for literals), checked at run time for inputs. */
const SELECTOR_WORD = '[]A-Za-z0-9_.:/*?+@,=[][]A-Za-z0-9_.:/*?+@,=[-]*';
export const SELECTOR_PATTERN = `^${SELECTOR_WORD}( ${SELECTOR_WORD})*$`;
/** One node name (or method:value) placed between graph operators: no spaces, no operators, no leading '-'. */
export const NODE_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.:/*?=-]*$';

/** Lines of bash that run an argv command; `commandVar` names the array when the argv is not all literal. */
export function argvLines(argv: readonly Arg[], commandVar = 'sluice_cmd'): string[] {
  if (argv.every((arg) => arg.kind === 'literal')) return [shellJoin(argv.map((arg) => (arg as { value: string }).value))];
  const lines = [`${commandVar}=()`];
  appendArgs(argv, commandVar, lines, '');
  lines.push(`"\${${commandVar}[@]}"`);
  return lines;
}

function appendArgs(argv: readonly Arg[], commandVar: string, lines: string[], indent: string): void {
  let literals: string[] = [];
  const flush = (): void => {
    if (literals.length > 0) lines.push(`${indent}${commandVar}+=(${shellJoin(literals)})`);
    literals = [];
  };
  for (const arg of argv) {
    if (arg.kind === 'literal') {
      literals.push(arg.value);
      continue;
    }
    flush();
    if (arg.kind === 'whenFile') {
      lines.push(`${indent}if [ -f ${shellQuote(arg.path)} ]; then`);
      appendArgs(arg.then, commandVar, lines, `${indent}  `);
      lines.push(`${indent}else`);
      lines.push(`${indent}  echo ${shellQuote(`sluice: ${arg.notice}`)} >&2`);
      // The notifier names the fallback; a dry run leaves no note behind.
      lines.push(`${indent}  if [ "\${SLUICE_DRY_RUN:-0}" != 1 ]; then mkdir -p .sluice && echo ${shellQuote(arg.notice)} >> .sluice/notes; fi`);
      if (arg.absent) lines.push(`${indent}  exit ${arg.absent === 'skip' ? 0 : 1}`);
      else appendArgs(arg.otherwise, commandVar, lines, `${indent}  `);
      lines.push(`${indent}fi`);
      continue;
    }
    const value = `"\${${inputEnvName(arg.name)}:-}"`;
    if (arg.kind === 'switch') {
      lines.push(`${indent}if [ ${value} = true ]; then ${commandVar}+=(${shellQuote(arg.flag)}); fi`);
      continue;
    }
    if (arg.validate === 'selector') {
      // A quoted =~ pattern would match literally: the regex goes through a variable.
      lines.push(`${indent}sluice_selector=${shellQuote(SELECTOR_PATTERN)}`);
      lines.push(`${indent}if [ -n ${value} ] && ! [[ ${value} =~ $sluice_selector ]]; then echo ${shellQuote(`sluice: input ${arg.name} is not a dbt selection`)} >&2; exit 2; fi`);
    }
    if (arg.validate === 'node') {
      lines.push(`${indent}sluice_node=${shellQuote(NODE_PATTERN)}`);
      lines.push(`${indent}if ! [[ ${value} =~ $sluice_node ]]; then echo ${shellQuote(`sluice: input ${arg.name} must be one node name (no spaces, operators or leading '-')`)} >&2; exit 2; fi`);
    }
    // Literal operators around the value (selector.children(inputs.model): after '+') make one argument.
    const word = arg.before || arg.after ? `${arg.before ? shellQuote(arg.before) : ''}${value}${arg.after ? shellQuote(arg.after) : ''}` : value;
    if (arg.flag !== undefined) lines.push(`${indent}if [ -n ${value} ]; then ${commandVar}+=(${shellQuote(arg.flag)} ${word}); fi`);
    else lines.push(`${indent}${commandVar}+=(${word})`);
  }
  flush();
}

function describeArg(arg: Arg): string {
  if (arg.kind === 'literal') return shellQuote(arg.value);
  if (arg.kind === 'switch') return `[${arg.flag} if inputs.${arg.name}]`;
  if (arg.kind === 'whenFile') {
    const otherwise = arg.absent === 'skip' ? 'skip the step' : arg.absent === 'fail' ? 'fail the step' : arg.otherwise.map(describeArg).join(' ') || '(nothing more)';
    return `[${arg.then.map(describeArg).join(' ')} if ${arg.path} exists; when the store has no state: ${otherwise}]`;
  }
  const value = `${arg.before ?? ''}<inputs.${arg.name}>${arg.after ?? ''}`;
  return arg.flag ? `[${arg.flag} ${value}]` : value;
}

/** Human-readable form of a command, for plans, step names and dry runs. */
export function describeCommand(command: Command): string {
  switch (command.kind) {
    case 'argv':
      return command.argv
        .map(describeArg)
        .join(' ');
    case 'script':
      return '(bash script)';
    case 'notify-slack':
    case 'notify-teams':
    case 'notify-webhook':
    case 'notify-email':
      return describeNotify(command);
    case 'state-load':
      return `load ${command.set === 'last-run' ? "the last run's state" : 'the last successful state'} from ${describeStore(command.store)} into ${command.dir}`;
    case 'state-save':
      return `save the state in ${command.from ?? '(no dbt step named)'} to ${describeStore(command.store)}`;
    case 'publish':
      return `publish ${command.path} to ${command.destination.kind === 'pages' ? "the repository's Pages site" : command.destination.url}`;
  }
}

function describeStore(store: StateStoreIR): string {
  if (store.kind !== 'github-artifact') return store.url;
  return `the GitHub artifact of pipeline ${store.pipeline} (${store.branch !== undefined ? `branch ${store.branch}` : 'the default branch'})`;
}
