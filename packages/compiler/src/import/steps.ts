/**
 * One workflow step as Sluice: set-up the runtime already does, a typed `dbt.*` call, `shell([...])`
 * (an argv list, split with shell-quote exactly as bash would), `shell.script` when the line needs
 * a shell, `notify.slack`, or left out with a TODO. Expressions never stay in a command: inputs and
 * secrets reach a script through environment variables, anything else becomes a TODO.
 */
import { parse as parseShell } from 'shell-quote';
import { parse as parseYaml } from 'yaml';
import { inputRef, literal, valueCode } from './code.js';
import { isRecord, yamlOf, type WorkflowStep } from './workflow.js';

export interface TodoItem {
  what: string;
  original: string;
}

export interface StepContext {
  /** Inputs of workflow_dispatch. */
  inputs: ReadonlySet<string>;
  /** Those of type boolean (for `${{ inputs.x && '--full-refresh' || '' }}`). */
  booleanInputs: ReadonlySet<string>;
  /** Where the step is in the workflow, for the TODO's YAML (`jobs.build.steps[2]`). */
  where: string;
  label: string;
  /** The step's `shell:`, when it names one. */
  shell?: string;
}

export type ImportedStep =
  | { kind: 'setup'; mapped: string; runtime?: { python?: string; requirements?: string }; todos: TodoItem[] }
  | { kind: 'step'; mapped: string; call: (options: string[]) => string; env: [string, string][]; todos: TodoItem[]; notes: string[] }
  | { kind: 'missing'; todos: TodoItem[] };

const SETUP_ACTIONS: Record<string, string> = {
  'actions/checkout': 'Sluice checks the repository out itself',
  'actions/setup-python': 'runtime.python',
  'actions/cache': 'Sluice caches pip itself',
  'astral-sh/setup-uv': 'runtime.python',
};
const CHECKOUT_KEYS_KEPT = new Set(['fetch-depth', 'persist-credentials']);

export function importStep(step: WorkflowStep, context: StepContext): ImportedStep {
  const original = yamlOf(context.where, step);
  const uses = typeof step.uses === 'string' ? step.uses : undefined;
  if (uses) return importAction(uses, step, context, original);
  const run = typeof step.run === 'string' ? step.run : step.run === undefined ? '' : String(step.run);
  const setup = importSetupScript(run, context, original);
  if (setup) return setup;
  return importRun(run, context, original);
}

function importAction(uses: string, step: WorkflowStep, context: StepContext, original: string): ImportedStep {
  const action = uses.split('@')[0] as string;
  const withs = isRecord(step.with) ? step.with : {};
  if (action in SETUP_ACTIONS) {
    const todos: TodoItem[] = [];
    if (action === 'actions/checkout') {
      const extra = Object.keys(withs).filter((key) => !CHECKOUT_KEYS_KEPT.has(key));
      if (extra.length > 0) todos.push({ what: `step '${context.label}' checks out with ${extra.join(', ')}; Sluice checks out the commit that triggered the run`, original });
    }
    const python = action === 'actions/setup-python' && withs['python-version'] !== undefined ? String(withs['python-version']) : undefined;
    return { kind: 'setup', mapped: `${uses} -> ${SETUP_ACTIONS[action]}`, ...(python ? { runtime: { python } } : {}), todos };
  }
  if (action === 'slackapi/slack-github-action') {
    const webhook = secretName(withs.webhook) ?? secretName(isRecord(step.env) ? step.env.SLACK_WEBHOOK_URL : undefined);
    const custom = Object.keys(withs).filter((key) => !['webhook', 'webhook-type'].includes(key));
    if (webhook) {
      const todos = custom.length > 0 ? [{ what: `step '${context.label}' sends its own Slack message (${custom.join(', ')}); notify.slack sends Sluice's run summary`, original }] : [];
      return { kind: 'step', mapped: `${uses} -> notify.slack`, call: (options) => `notify.slack({ webhook: secret(${literal(webhook)})${options.length > 0 ? `, ${options.join(', ')}` : ''} })`, env: [], todos, notes: [] };
    }
  }
  return { kind: 'missing', todos: [{ what: `step '${context.label}' uses the action ${uses}, which Sluice cannot run; it was left out`, original }] };
}

/** `${{ secrets.NAME }}` -> NAME. */
function secretName(value: unknown): string | undefined {
  return typeof value === 'string' ? /^\$\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(value.trim())?.[1] : undefined;
}

/** Lines that only install what the runtime installs: pip/uv installs, `dbt deps`. */
function importSetupScript(run: string, context: StepContext, original: string): ImportedStep | undefined {
  const lines = run.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  if (lines.length === 0) return undefined;
  let requirements: string | undefined;
  const todos: TodoItem[] = [];
  for (const line of lines) {
    const words = splitWords(line);
    if (!words) return undefined;
    if (words[0] === 'dbt' && words[1] === 'deps' && words.length === 2) continue;
    const pipAt = words[0] === 'pip' || words[0] === 'pip3' ? 1 : (words[0] === 'python' || words[0] === 'python3') && words[1] === '-m' && words[2] === 'pip' ? 3 : words[0] === 'uv' && words[1] === 'pip' ? 2 : -1;
    if (pipAt < 0 || words[pipAt] !== 'install') return undefined;
    const rest = words.slice(pipAt + 1);
    const packages: string[] = [];
    for (let index = 0; index < rest.length; index += 1) {
      const word = rest[index] as string;
      if (word === '-r' || word === '--requirement') requirements = rest[++index];
      else if (['-q', '--quiet', '-U', '--upgrade', '--no-cache-dir', '--system'].includes(word)) continue;
      else if (word.startsWith('-')) return undefined;
      else if (word !== 'pip') packages.push(word);
    }
    if (packages.length > 0) todos.push({ what: `step '${context.label}' installs ${packages.join(' ')}; add them to the runtime's requirements file`, original });
  }
  return { kind: 'setup', mapped: `${lines.join('; ')} -> runtime.python`, ...(requirements ? { runtime: { requirements } } : {}), todos };
}

const PLACEHOLDER = /SLUICEEXPR(\d+)X/g;

/** Words of one command line as bash splits them, or undefined when the line needs a shell. */
function splitWords(line: string): string[] | undefined {
  let expands = false;
  let parsed: ReturnType<typeof parseShell>;
  try {
    parsed = parseShell(line, (name: string) => {
      expands = true;
      return `$${name}`;
    });
  } catch {
    return undefined; // `${x}` forms shell-quote cannot read: bash has to
  }
  if (expands || parsed.some((entry) => typeof entry !== 'string')) return undefined;
  return parsed as string[];
}

function importRun(run: string, context: StepContext, original: string): ImportedStep {
  const expressions: string[] = [];
  const text = run.trim().replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => `SLUICEEXPR${expressions.push(expression.trim()) - 1}X`);
  const inputOf = (expression: string): string | undefined => {
    const name = /^inputs\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(expression)?.[1];
    return name !== undefined && context.inputs.has(name) ? name : undefined;
  };
  const words = !text.includes('\n') ? splitWords(text) : undefined;
  if (words && words.length > 0) {
    // Each word is a literal or exactly one input; anything else needs the script form.
    const argv = words.map((word) => {
      const whole = /^SLUICEEXPR(\d+)X$/.exec(word);
      if (whole) {
        const expression = expressions[Number(whole[1])] as string;
        const toggle = /^inputs\.([A-Za-z_][A-Za-z0-9_-]*)\s*&&\s*'(--[a-z-]+)'\s*\|\|\s*''$/.exec(expression);
        if (toggle && context.booleanInputs.has(toggle[1] as string)) return { switchInput: toggle[1] as string, flag: toggle[2] as string };
        const name = inputOf(expression);
        return name === undefined ? undefined : ({ input: name } as const);
      }
      return /SLUICEEXPR\d+X/.test(word) ? undefined : word;
    });
    if (argv.every((word) => word !== undefined) && typeof argv[0] === 'string') {
      const dbt = argv[0] === 'dbt' ? importDbt(argv.slice(1) as Word[]) : undefined;
      if (dbt) return { kind: 'step', mapped: `${oneLine(run)} -> dbt.${dbt.command}`, call: (options) => `dbt.${dbt.command}(${optionsCode([...dbt.options, ...options])})`, env: [], todos: [], notes: [] };
      if (argv.some((word) => typeof word === 'object' && 'switchInput' in word)) return importRunAsScript(run, text, expressions, context, original);
      const argvCode = `[${(argv as Word[]).map((word) => (typeof word === 'string' ? literal(word) : inputRef((word as { input: string }).input))).join(', ')}]`;
      return { kind: 'step', mapped: `${oneLine(run)} -> shell([...])`, call: (options) => `shell(${argvCode}${options.length > 0 ? `, { ${options.join(', ')} }` : ''})`, env: [], todos: [], notes: [] };
    }
  }
  return importRunAsScript(run, text, expressions, context, original);
}

/** A script: expressions become environment variables it reads. */
function importRunAsScript(run: string, text: string, expressions: string[], context: StepContext, original: string): ImportedStep {
  const inputOf = (expression: string): string | undefined => {
    const name = /^inputs\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(expression)?.[1];
    return name !== undefined && context.inputs.has(name) ? name : undefined;
  };
  const env: [string, string][] = [];
  const todos: TodoItem[] = [];
  const notes: string[] = [];
  const script = text.replace(PLACEHOLDER, (_, index: string) => {
    const expression = expressions[Number(index)] as string;
    const input = inputOf(expression);
    const secret = /^secrets\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression)?.[1];
    const envName = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression)?.[1];
    if (input !== undefined) {
      const variable = `INPUT_${input.toUpperCase().replace(/-/g, '_')}`;
      if (!env.some(([name]) => name === variable)) env.push([variable, inputRef(input)]);
      notes.push(`step '${context.label}': \${{ inputs.${input} }} is read from "$${variable}" (one word, never re-parsed by bash)`);
      return `"$${variable}"`;
    }
    if (secret !== undefined) {
      if (!env.some(([name]) => name === secret)) env.push([secret, `secret(${literal(secret)})`]);
      return `"$${secret}"`;
    }
    if (envName !== undefined) return `"$${envName}"`;
    todos.push({ what: `step '${context.label}' uses the expression \${{ ${expression} }} in its script; it reads $SLUICE_TODO_${index} for now: pass the value as an input, a secret or an env entry`, original });
    return `"$SLUICE_TODO_${index}"`;
  });
  // GitHub's default shell is `bash -e {0}`; Sluice runs scripts with pipefail (as `shell: bash`
  // does). Keep the original's meaning for a pipeline: its left side's failure does not count.
  const pipeline = /(^|[^|])\|(?!\|)/.test(script) && context.shell !== 'bash';
  if (pipeline) notes.push(`step '${context.label}': its script starts with \`set +o pipefail\`, as GitHub's default shell (bash -e, no pipefail) ran it; delete that line if a failure inside a pipe should fail the step`);
  const body = pipeline ? `set +o pipefail\n${script}` : script;
  return {
    kind: 'step',
    mapped: `${oneLine(run)} -> shell.script`,
    call: (options) => `shell.script(${literal(`${body}\n`)}${options.length > 0 ? `, { ${options.join(', ')} }` : ''})`,
    env,
    todos,
    notes,
  };
}

type Word = string | { readonly input: string } | { readonly switchInput: string; readonly flag: string };

const DBT_COMMANDS: Record<string, string> = { build: 'build', run: 'run', test: 'test', seed: 'seed', snapshot: 'snapshot', retry: 'retry', 'docs generate': 'docs', 'source freshness': 'sourceFreshness' };
const SELECTING = new Set(['build', 'run', 'test', 'seed', 'snapshot', 'sourceFreshness']);
const FULL_REFRESH = new Set(['build', 'run', 'seed']);
/** Options each DSL call accepts (dbt.retry and dbt.docs take fewer than the selecting commands). */
const accepts = (command: string, option: string): boolean =>
  ['target', 'vars', 'threads', 'profilesDir', 'projectDir'].includes(option) ||
  (option === 'state' && (SELECTING.has(command) || command === 'retry')) ||
  (option === 'fullRefresh' && FULL_REFRESH.has(command)) ||
  (['selector', 'failFast', 'defer', 'eventTimeStart', 'eventTimeEnd'].includes(option) && SELECTING.has(command));
const VALUE_FLAGS: Record<string, string> = { '--target': 'target', '-t': 'target', '--selector': 'selector', '--state': 'state', '--profiles-dir': 'profilesDir', '--project-dir': 'projectDir', '--event-time-start': 'eventTimeStart', '--event-time-end': 'eventTimeEnd' };
const SWITCHES: Record<string, string> = { '--full-refresh': 'fullRefresh', '-f': 'fullRefresh', '--fail-fast': 'failFast', '-x': 'failFast', '--defer': 'defer' };

/** `dbt <command> [flags]` as typed options; undefined when a flag is not one the DSL types (then the argv is kept as it is). */
function importDbt(words: Word[]): { command: string; options: string[] } | undefined {
  const two = typeof words[0] === 'string' && typeof words[1] === 'string' ? `${words[0]} ${words[1]}` : '';
  const command = DBT_COMMANDS[two] ?? (typeof words[0] === 'string' ? DBT_COMMANDS[words[0]] : undefined);
  if (!command) return undefined;
  const rest = words.slice(DBT_COMMANDS[two] ? 2 : 1);
  const options: string[] = [];
  const lists: Record<'select' | 'exclude', Word[]> = { select: [], exclude: [] };
  let list: Word[] | undefined;
  let staticDocs = false;
  for (let index = 0; index < rest.length; index += 1) {
    const word = rest[index] as Word;
    if (typeof word === 'object' && 'switchInput' in word) {
      if (word.flag !== '--full-refresh' || !accepts(command, 'fullRefresh')) return undefined;
      list = undefined;
      options.push(`fullRefresh: ${inputRef(word.switchInput)}`);
      continue;
    }
    if (typeof word !== 'string' || !word.startsWith('-')) {
      if (!list) return undefined;
      if (typeof word === 'string') list.push(...word.split(/\s+/).filter(Boolean));
      else list.push(word as Word);
      continue;
    }
    list = undefined;
    const flag = word.includes('=') ? word.slice(0, word.indexOf('=')) : word;
    const inline = word.includes('=') ? word.slice(word.indexOf('=') + 1) : undefined;
    const value = (): string | { readonly input: string } | undefined => {
      const item = inline !== undefined ? inline : rest[++index];
      return typeof item === 'object' && 'switchInput' in item ? undefined : item;
    };
    if (['--select', '-s', '--models', '-m'].includes(flag) && SELECTING.has(command)) {
      list = lists.select;
      if (inline !== undefined) list.push(...inline.split(/\s+/).filter(Boolean));
    } else if (flag === '--exclude' && SELECTING.has(command)) {
      list = lists.exclude;
      if (inline !== undefined) list.push(...inline.split(/\s+/).filter(Boolean));
    } else if (VALUE_FLAGS[flag]) {
      if (!accepts(command, VALUE_FLAGS[flag] as string)) return undefined;
      const item = value();
      if (item === undefined || (typeof item !== 'string' && !flag.startsWith('--event-time'))) return undefined;
      options.push(`${VALUE_FLAGS[flag]}: ${typeof item === 'string' ? literal(item) : inputRef(item.input)}`);
    } else if (flag === '--threads') {
      const threads = Number(value());
      if (!Number.isInteger(threads) || threads <= 0) return undefined;
      options.push(`threads: ${threads}`);
    } else if (flag === '--vars') {
      const item = value();
      if (item === undefined) return undefined;
      if (typeof item !== 'string') options.push(`vars: ${inputRef(item.input)}`);
      else {
        let parsed: unknown;
        try {
          parsed = parseYaml(item);
        } catch {
          return undefined;
        }
        if (!isRecord(parsed)) return undefined;
        options.push(`vars: ${valueCode(parsed)}`);
      }
    } else if (SWITCHES[word] && accepts(command, SWITCHES[word] as string)) options.push(`${SWITCHES[word]}: true`);
    else if (word === '--static' && command === 'docs') staticDocs = true;
    else return undefined;
  }
  for (const key of ['exclude', 'select'] as const) {
    const items = lists[key];
    if (items.length === 0) continue;
    if (items.length === 1 && typeof items[0] !== 'string') options.unshift(`${key}: ${inputRef((items[0] as { input: string }).input)}`);
    else if (items.every((item) => typeof item === 'string')) options.unshift(`${key}: ${valueCode(items)}`);
    else return undefined;
  }
  if (command === 'docs' && !staticDocs) options.push('static: false');
  return { command, options };
}

function optionsCode(options: string[]): string {
  return options.length > 0 ? `{ ${options.join(', ')} }` : '';
}

function oneLine(run: string): string {
  const line = run.trim().split('\n')[0] as string;
  return run.trim().includes('\n') ? `${line} ...` : line;
}
