/**
 * Commands as bash, shared by the targets that run steps through bash. Literal arguments are quoted
 * by shellQuote; input values are only ever expanded from environment variables inside double
 * quotes ("$VAR"), so bash never re-parses them.
 */
import type { Arg, Command } from '@sluice/sdk';
import { shellJoin, shellQuote } from './shell.js';

/** The environment variable that carries a pipeline input's value into a step. */
export function inputEnvName(input: string): string {
  return `SLUICE_INPUT_${input}`;
}

/** Lines of bash that run an argv command; `commandVar` names the array when inputs are involved. */
export function argvLines(argv: readonly Arg[], commandVar = 'sluice_cmd'): string[] {
  if (argv.every((arg) => arg.kind === 'literal')) return [shellJoin(argv.map((arg) => (arg as { value: string }).value))];
  const lines: string[] = [];
  let literals: string[] = [];
  const flushLiterals = (): void => {
    if (literals.length === 0) return;
    lines.push(lines.length === 0 ? `${commandVar}=(${shellJoin(literals)})` : `${commandVar}+=(${shellJoin(literals)})`);
    literals = [];
  };
  for (const arg of argv) {
    if (arg.kind === 'literal') {
      literals.push(arg.value);
      continue;
    }
    flushLiterals();
    if (lines.length === 0) lines.push(`${commandVar}=()`);
    const value = `"\${${inputEnvName(arg.name)}:-}"`;
    if (arg.kind === 'switch') {
      lines.push(`if [ ${value} = true ]; then ${commandVar}+=(${shellQuote(arg.flag)}); fi`);
    } else if (arg.flag !== undefined) {
      lines.push(`if [ -n ${value} ]; then ${commandVar}+=(${shellQuote(arg.flag)} ${value}); fi`);
    } else {
      lines.push(`${commandVar}+=(${value})`);
    }
  }
  flushLiterals();
  lines.push(`"\${${commandVar}[@]}"`);
  return lines;
}

/** Human-readable form of a command, for plans, step names and dry runs. */
export function describeCommand(command: Command): string {
  switch (command.kind) {
    case 'argv':
      return command.argv
        .map((arg) => {
          if (arg.kind === 'literal') return shellQuote(arg.value);
          if (arg.kind === 'switch') return `[${arg.flag} if inputs.${arg.name}]`;
          return arg.flag ? `[${arg.flag} <inputs.${arg.name}>]` : `<inputs.${arg.name}>`;
        })
        .join(' ');
    case 'script':
      return '(bash script)';
    case 'notify-slack':
      return `notify Slack (webhook from secret ${command.webhookSecret})`;
  }
}
