/**
 * `sluice import <workflow.yml>`: turns a hand-written GitHub Actions workflow into pipeline.ts.
 * What maps exactly becomes typed DSL (triggers, inputs, env and secrets, `dbt` commands with their
 * flags, the Slack action, step conditions); everything else becomes a shell step or is left out,
 * each with a `// TODO` saying what was not understood. Generated with ts-morph and formatted.
 */
import { basename } from 'node:path';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  'continue-on-error'?: boolean;
  'timeout-minutes'?: number;
}
interface Job {
  needs?: string | string[];
  steps?: Step[];
  env?: Record<string, unknown>;
}
interface Workflow {
  name?: string;
  on?: unknown;
  env?: Record<string, unknown>;
  jobs?: Record<string, Job>;
}

const EXPRESSION = /^\$\{\{\s*(.+?)\s*\}\}$/;
const SAFE_WORD = /^[A-Za-z0-9_./:@%+=,-]+$/;
const DBT_COMMANDS: Record<string, string> = { build: 'build', run: 'run', test: 'test', seed: 'seed', snapshot: 'snapshot', retry: 'retry', 'docs generate': 'docs', 'source freshness': 'sourceFreshness' };
const SETUP_ACTIONS = /^(actions\/checkout|actions\/setup-python|actions\/cache|astral-sh\/setup-uv)@/;

export async function importWorkflow(file: string, source: string): Promise<{ code: string; todos: number }> {
  const { parse } = await import('yaml');
  const workflow = (parse(source) ?? {}) as Workflow;
  const todos: string[] = [];
  const lines: string[] = [];
  const name = (workflow.name ?? basename(file).replace(/\.ya?ml$/, '')).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'imported';
  const inputs = new Map<string, string>();
  const triggers = importTriggers(workflow.on, inputs, todos);
  const env = importEnv({ ...(workflow.env ?? {}), ...Object.values(workflow.jobs ?? {})[0]?.env }, todos);

  let python: string | undefined;
  let requirements: string | undefined;
  const ids: string[] = [];
  let previous: string | undefined;
  for (const [jobName, job] of Object.entries(workflow.jobs ?? {})) {
    for (const [position, step] of (job.steps ?? []).entries()) {
      const label = step.name ?? step.id ?? step.uses ?? `${jobName} step ${position + 1}`;
      if (step.uses && SETUP_ACTIONS.test(step.uses)) {
        if (step.uses.startsWith('actions/setup-python@') && step.with?.['python-version'] !== undefined) python = String(step.with['python-version']);
        continue;
      }
      const pip = /^\s*(?:python -m )?pip install -r (\S+)\s*$/.exec(step.run ?? '');
      if (pip) {
        requirements = pip[1];
        continue;
      }
      if (/^\s*dbt deps\s*$/.test(step.run ?? '')) continue; // the runtime installs packages once per run
      const id = uniqueId(step.id ?? label, ids);
      const options = stepOptions(step, previous, ids, todos, label);
      const expression = importStep(step, options, inputs, todos, label);
      if (expression === undefined) continue;
      ids.push(id);
      lines.push(`const ${id} = ${expression};`);
      previous = id;
    }
  }
  if (ids.length === 0) todos.push('no step could be imported; add steps by hand');

  const runtime = python || requirements ? `runtime.python({ version: ${tsString(python ?? '3.12')}, requirements: ${tsString(requirements ?? 'requirements.txt')} })` : undefined;
  const spec = [
    `triggers: [${triggers.join(', ')}],`,
    ...(inputs.size > 0 ? [`inputs: {`, ...[...inputs].map(([input, definition]) => `${identifier(input)}: ${definition},`), '},'] : []),
    ...(env.length > 0 ? ['env: {', ...env.map((entry) => `${entry},`), '},'] : []),
    ...(runtime ? [`runtime: ${runtime},`] : []),
    `steps: (${inputs.size > 0 ? '{ inputs }' : ''}) => {`,
    ...lines,
    `return { ${ids.join(', ')} };`,
    '},',
  ];
  const body = [`export const ${camel(name) || 'imported'} = pipeline(${tsString(name)}, {`, ...spec, '});'].join('\n');
  const used = ['dbt', 'input', 'notify', 'pipeline', 'runtime', 'secret', 'shell', 'trigger', 'when'].filter((name) => new RegExp(`\\b${name}[.(]`).test(body));
  const text = [
    `// Imported by \`sluice import\` from ${basename(file)}. Review the TODOs, then run \`sluice compile\`.`,
    `import { ${used.join(', ')} } from '@sluice/sdk';`,
    '',
    ...todos.map((todo) => `// TODO: ${todo.replace(/\r?\n/g, ' ')}`),
    body,
    '',
  ].join('\n');
  const { Project } = await import('ts-morph');
  const sourceFile = new Project({ useInMemoryFileSystem: true }).createSourceFile('pipeline.ts', text);
  sourceFile.formatText({ indentSize: 2, convertTabsToSpaces: true });
  return { code: sourceFile.getFullText(), todos: todos.length };
}

function importTriggers(on: unknown, inputs: Map<string, string>, todos: string[]): string[] {
  const events: Record<string, unknown> = typeof on === 'string' ? { [on]: null } : Array.isArray(on) ? Object.fromEntries(on.map((event) => [event, null])) : ((on as Record<string, unknown>) ?? {});
  const triggers: string[] = [];
  for (const [event, config] of Object.entries(events)) {
    const filter = (config ?? {}) as { branches?: string[]; paths?: string[]; inputs?: Record<string, Record<string, unknown>> };
    const branchFilter = (): string => {
      const parts = [...(filter.branches ? [`branches: ${tsString(filter.branches)}`] : []), ...(filter.paths ? [`paths: ${tsString(filter.paths)}`] : [])];
      return parts.length > 0 ? `{ ${parts.join(', ')} }` : '';
    };
    if (event === 'schedule') for (const entry of (config ?? []) as { cron: string }[]) triggers.push(`trigger.schedule(${tsString(entry.cron)})`);
    else if (event === 'workflow_dispatch') {
      triggers.push('trigger.manual()');
      for (const [input, definition] of Object.entries(filter.inputs ?? {})) inputs.set(input, importInput(definition));
    } else if (event === 'pull_request') triggers.push(`trigger.pullRequest(${branchFilter()})`);
    else if (event === 'push') triggers.push(`trigger.push(${branchFilter()})`);
    else todos.push(`the '${event}' trigger has no Sluice equivalent and was left out`);
  }
  return triggers;
}

function importInput(definition: Record<string, unknown>): string {
  const type = definition.type === 'boolean' || definition.type === 'number' || definition.type === 'choice' ? definition.type : 'string';
  const parts = [
    ...(definition.description ? [`description: ${tsString(String(definition.description))}`] : []),
    ...(definition.required === true ? ['required: true'] : []),
    ...(definition.default !== undefined ? [`default: ${type === 'boolean' ? String(definition.default === true || definition.default === 'true') : type === 'number' ? Number(definition.default) : tsString(String(definition.default))}`] : []),
    ...(type === 'choice' ? [`options: ${tsString((definition.options as string[]) ?? [])}`] : []),
  ];
  return `input.${type}({ ${parts.join(', ')} })`;
}

function importEnv(env: Record<string, unknown>, todos: string[]): string[] {
  const entries: string[] = [];
  for (const [variable, value] of Object.entries(env)) {
    const expression = EXPRESSION.exec(String(value))?.[1];
    const secretName = expression ? /^secrets\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression)?.[1] : undefined;
    if (secretName) entries.push(`${identifier(variable)}: secret(${tsString(secretName)})`);
    else if (expression) todos.push(`env ${variable} is the expression '${expression}', which was left out; pass it as an input or a secret`);
    else entries.push(`${identifier(variable)}: ${tsString(String(value))}`);
  }
  return entries;
}

function stepOptions(step: Step, previous: string | undefined, ids: string[], todos: string[], label: string): string[] {
  const options: string[] = [];
  if (previous) options.push(`needs: ${previous}`);
  const condition = step.if === undefined ? undefined : importCondition(String(step.if), ids);
  if (condition === null) todos.push(`step '${label}': the condition '${step.if}' was not understood; it runs on success for now`);
  else if (condition) options.push(`if: ${condition}`);
  if (step['continue-on-error'] === true) options.push('allowFailure: true');
  if (typeof step['timeout-minutes'] === 'number') options.push(`timeoutMinutes: ${step['timeout-minutes']}`);
  return options;
}

/** GitHub conditions that map exactly; null when not understood, undefined for the default. */
function importCondition(raw: string, ids: string[]): string | null | undefined {
  const condition = (EXPRESSION.exec(raw.trim())?.[1] ?? raw).trim();
  if (condition === 'always()') return 'when.always()';
  if (condition === 'success()' || condition === '!cancelled()') return undefined;
  if (condition === 'failure()') return 'when.failure()';
  const outcome = /^steps\.([A-Za-z0-9_-]+)\.(?:outcome|conclusion) == '(success|failure|skipped)'$/.exec(condition);
  if (outcome && ids.includes(camel(outcome[1] as string))) {
    return `when.${{ success: 'succeeded', failure: 'failed', skipped: 'skipped' }[outcome[2] as 'success']}(${camel(outcome[1] as string)})`;
  }
  return null;
}

function importStep(step: Step, options: string[], inputs: Map<string, string>, todos: string[], label: string): string | undefined {
  const optionText = (extra: string[] = []): string => {
    const all = [...extra, ...options];
    return all.length > 0 ? `{ ${all.join(', ')} }` : '';
  };
  if (step.uses?.startsWith('slackapi/slack-github-action@')) {
    const webhook = EXPRESSION.exec(String(step.with?.webhook ?? ''))?.[1];
    const secretName = webhook ? /^secrets\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(webhook)?.[1] : undefined;
    if (secretName) return `notify.slack(${optionText([`webhook: secret(${tsString(secretName)})`])})`;
  }
  if (step.uses) {
    todos.push(`step '${label}' uses the action ${step.uses}, which Sluice cannot run; it was left out`);
    return undefined;
  }
  const run = (step.run ?? '').trim();
  // `${{ inputs.select }}` stays one word.
  const words = run.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => `\${{ ${expression.replace(/\s+/g, '')} }}`.replace(/ /g, '\u0000')).split(/\s+/).map((word) => word.replace(/\u0000/g, ' '));
  const dbtCall = words[0] === 'dbt' && !run.includes('\n') ? importDbt(words.slice(1), inputs) : undefined;
  if (dbtCall) return `dbt.${dbtCall.command}(${optionText(dbtCall.options)})`;
  if (!run.includes('\n') && words.every((word) => SAFE_WORD.test(word))) return `shell(${tsString(words)}${options.length > 0 ? `, ${optionText()}` : ''})`;
  // Expressions become environment variables the script reads: values stay data.
  const env: string[] = [];
  let understood = true;
  const script = run.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
    const input = /^inputs\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression)?.[1];
    const secretName = /^secrets\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression)?.[1];
    const variable = input ? `INPUT_${input.toUpperCase()}` : secretName ?? 'TODO_EXPRESSION';
    if (input && inputs.has(input)) env.push(`${variable}: inputs.${input}`);
    else if (secretName) env.push(`${variable}: secret(${tsString(secretName)})`);
    else understood = false;
    return `"$${variable}"`;
  });
  if (!understood) todos.push(`step '${label}' uses an expression Sluice cannot carry; it reads $TODO_EXPRESSION for now`);
  todos.push(`step '${label}' is a shell script imported as it is: review it`);
  const scriptOptions = [...(env.length > 0 ? [`env: { ${[...new Set(env)].join(', ')} }`] : []), ...options];
  return `shell.script(${tsString(script)}${scriptOptions.length > 0 ? `, { ${scriptOptions.join(', ')} }` : ''})`;
}

/** `dbt <command> [flags]` as typed options, or undefined when a flag is not one Sluice models. */
function importDbt(words: string[], inputs: Map<string, string>): { command: string; options: string[] } | undefined {
  const two = `${words[0]} ${words[1]}`;
  const command = DBT_COMMANDS[two] ?? DBT_COMMANDS[words[0] ?? ''];
  if (!command) return undefined;
  const rest = words.slice(DBT_COMMANDS[two] ? 2 : 1);
  const options: string[] = [];
  const selections: Record<string, string[]> = { select: [], exclude: [] };
  let list: string[] | undefined;
  const value = (word: string): string | undefined => {
    const input = /^\$\{\{\s*inputs\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(word)?.[1];
    if (input && inputs.has(input)) return `inputs.${input}`;
    return SAFE_WORD.test(word) ? tsString(word) : undefined;
  };
  let staticDocs = false;
  for (let index = 0; index < rest.length; index += 1) {
    const word = rest[index] as string;
    const next = (): string | undefined => value(rest[++index] ?? '');
    if (word === '--select' || word === '-s' || word === '--models' || word === '-m') list = selections.select;
    else if (word === '--exclude') list = selections.exclude;
    else if (!word.startsWith('-') && list) {
      const item = value(word);
      if (!item) return undefined;
      list.push(item);
      continue;
    } else {
      list = undefined;
      const simple: Record<string, string> = { '--target': 'target', '-t': 'target', '--selector': 'selector', '--state': 'state', '--profiles-dir': 'profilesDir', '--project-dir': 'projectDir' };
      if (simple[word]) {
        const item = next();
        if (!item) return undefined;
        options.push(`${simple[word]}: ${item}`);
      } else if (word === '--threads') {
        const threads = Number(rest[++index]);
        if (!Number.isInteger(threads)) return undefined;
        options.push(`threads: ${threads}`);
      } else if (word === '--full-refresh') options.push('fullRefresh: true');
      else if (word === '--fail-fast' || word === '-x') options.push('failFast: true');
      else if (word === '--defer') options.push('defer: true');
      else if (word === '--static' && command === 'docs') staticDocs = true;
      else return undefined;
    }
  }
  for (const [key, items] of Object.entries(selections)) {
    if (items.length === 1 && (items[0] as string).startsWith('inputs.')) options.unshift(`${key}: ${items[0]}`);
    else if (items.length > 0) {
      if (items.some((item) => item.startsWith('inputs.'))) return undefined;
      options.unshift(`${key}: [${items.join(', ')}]`);
    }
  }
  if (command === 'docs' && !staticDocs) options.push('static: false');
  return { command, options };
}

function uniqueId(raw: string, taken: string[]): string {
  const base = camel(raw) || 'step';
  let id = /^[A-Za-z]/.test(base) ? base : `step${base}`;
  for (let n = 2; taken.includes(id) || RESERVED.has(id); n += 1) id = `${base}${n}`;
  return id;
}

const RESERVED = new Set(['dbt', 'input', 'notify', 'pipeline', 'runtime', 'secret', 'shell', 'trigger', 'when', 'inputs']);

function camel(text: string): string {
  return text
    .replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ? next.toUpperCase() : ''))
    .replace(/^[A-Z]/, (first) => first.toLowerCase());
}

function identifier(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : tsString(key);
}

/** A single-quoted TypeScript literal for any value: strings escaped, arrays and numbers as such. */
function tsString(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(tsString).join(', ')}]`;
  if (typeof value !== 'string') return String(value);
  const escaped = value.replace(/[\\'\u0000-\u001f\u2028\u2029]/g, (character) => {
    const named: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `'${escaped}'`;
}
