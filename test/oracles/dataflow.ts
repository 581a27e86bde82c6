/**
 * What each step receives on each engine, computed from the EMITTED files only, for comparison with
 * the reference model (`whatStepsReceive`):
 * - GitHub: every `${{ }}` in a step's `env:` and `working-directory:` is evaluated with GitHub's
 *   expression engine (@actions/expressions) against the trigger's contexts (`inputs` exists only on
 *   workflow_dispatch, filled with the declared defaults as GitHub does; booleans and numbers typed);
 *   the runner adds GITHUB_EVENT_NAME; the `run:` body then runs under bash (`-eo pipefail`).
 * - Argo: the submission's parameters (the submitted values, else each parameter's `value`; none:
 *   Argo refuses; outside `enum`: refused), Argo's `{{workflow.parameters.x}}` substitution in the
 *   step template, then the kubelet: env in order, `value` expanded with `$(VAR)` from EARLIER
 *   entries, `valueFrom` resolved (secretKeyRef, annotations through fieldRef) and never expanded,
 *   command expanded from all env (Kubernetes' expansion, below, as in its source); then the command
 *   runs: `bash [-eo pipefail] -c <script>` under bash, any other argv as is.
 * - entrypoint: the script itself runs under bash, with `--input` for a manual run's values.
 *
 * The program each step starts is the stand-in `sluice-record <step id> ...`: it records its argv,
 * its working directory and, for every name the test declares, whether that variable is in its
 * environment and its value. Bodies run in ONE bash process per batch (each step in its own
 * subshell with its own environment), so thousands of steps take seconds.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { TriggerRun } from '@sluice/compiler';
import { parse, parseAllDocuments } from 'yaml';
import { jobAdded } from './gitlab.js';

/** A step as observed by the recorder. */
export interface Received {
  argv: string[];
  /** Declared names present in the environment, with their values. */
  env: Record<string, string>;
  /** Relative to the project root. */
  cwd: string;
}

/** How one engine starts one step's program (or the body that starts it). */
export interface Launch {
  id: string;
  env: Record<string, string>;
  /** Relative to the project root. */
  cwd: string;
  run: { kind: 'bash'; body: string; errexit: boolean } | { kind: 'exec'; argv: string[] };
}

export const RECORDER = 'sluice-record';

// ---------------------------------------------------------------------------------------------------
// GitHub Actions
// ---------------------------------------------------------------------------------------------------

const EVENT_NAMES: Record<TriggerRun['kind'], string> = { schedule: 'schedule', push: 'push', pullRequest: 'pull_request', manual: 'workflow_dispatch' };

interface GithubStep {
  id?: string;
  env?: Record<string, string | number | boolean>;
  run?: string;
  'working-directory'?: string;
}

export function githubLaunches(workflowYaml: string, run: TriggerRun, secrets: Readonly<Record<string, string>>): Launch[] {
  const workflow = parse(workflowYaml) as {
    on: { workflow_dispatch?: { inputs?: Record<string, { type: string; default?: unknown }> } };
    jobs: Record<string, { defaults?: { run?: { 'working-directory'?: string } }; steps: GithubStep[] }>;
  };
  const job = Object.values(workflow.jobs)[0];
  if (!job) throw new Error('no job');
  const context = githubContext(workflow.on.workflow_dispatch?.inputs ?? {}, run, secrets);
  const defaultDir = job.defaults?.run?.['working-directory'] ?? '.';
  const launches: Launch[] = [];
  for (const step of job.steps) {
    if (step.id === undefined || step.run === undefined || step.id === 'sluice-setup') continue;
    const env: Record<string, string> = { GITHUB_EVENT_NAME: EVENT_NAMES[run.kind] };
    for (const [name, value] of Object.entries(step.env ?? {})) env[name] = evaluateTemplate(String(value), context);
    const cwd = step['working-directory'] !== undefined ? evaluateTemplate(step['working-directory'], context) : defaultDir;
    // `shell: bash` is `bash --noprofile --norc -eo pipefail {0}`.
    launches.push({ id: step.id, env, cwd, run: { kind: 'bash', body: step.run, errexit: true } });
  }
  return launches;
}

function githubContext(declared: Record<string, { type: string; default?: unknown }>, run: TriggerRun, secrets: Readonly<Record<string, string>>): data.Dictionary {
  const pairs: { key: string; value: data.ExpressionData }[] = [];
  // Only workflow_dispatch has inputs (elsewhere the context is empty); GitHub fills in the defaults
  // of inputs the submission left out.
  const inputs: { key: string; value: data.ExpressionData }[] = [];
  if (run.kind === 'manual') {
    const given = run.inputs ?? {};
    for (const [name, input] of Object.entries(declared)) {
      const raw = Object.hasOwn(given, name) ? given[name] : input.default !== undefined ? String(input.default) : undefined;
      if (raw === undefined) continue;
      const value = input.type === 'boolean' ? new data.BooleanData(raw === 'true') : input.type === 'number' ? new data.NumberData(Number(raw)) : new data.StringData(raw);
      inputs.push({ key: name, value });
    }
  }
  pairs.push({ key: 'inputs', value: new data.Dictionary(...inputs) });
  pairs.push({ key: 'secrets', value: new data.Dictionary(...Object.entries(secrets).map(([key, value]) => ({ key, value: new data.StringData(value) }))) });
  pairs.push({ key: 'github', value: new data.Dictionary({ key: 'event_name', value: new data.StringData(EVENT_NAMES[run.kind]) }) });
  return new data.Dictionary(...pairs);
}

/** A string with `${{ }}` parts, as the runner renders it: each part evaluated and turned into a string. */
function evaluateTemplate(template: string, context: data.Dictionary): string {
  return template.replace(/\$\{\{(.*?)\}\}/gs, (_, expression: string) => {
    const parsed = new Parser(new Lexer(expression).lex().tokens, ['inputs', 'secrets', 'github', 'env', 'job', 'steps', 'vars'], []).parse();
    return new Evaluator(parsed, context, new Map()).evaluate().coerceString();
  });
}

// ---------------------------------------------------------------------------------------------------
// Argo Workflows + the kubelet
// ---------------------------------------------------------------------------------------------------

/**
 * Kubernetes' `$(VAR)` expansion (k8s.io/kubernetes third_party/forked/golang/expansion, Expand and
 * tryReadVariableName): `$$` is `$`; `$(NAME)` is NAME's value when `mapping` has it, else stays as
 * written; an unclosed `$(` and a `$` before any other character stay; a final `$` stays.
 */
export function kubernetesExpand(input: string, mapping: ReadonlyMap<string, string>): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === '$') out += '$';
    else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close < 0) out += '$(';
      else {
        const name = rest.slice(1, close);
        out += mapping.get(name) ?? `$(${name})`;
        advance = close + 1;
      }
    } else out += `$${rest[0]}`;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

interface ArgoEnv {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } };
}

const ARGO_PROJECT_DIR = '/workspace/project';

interface ArgoTemplate {
  name: string;
  metadata?: { annotations?: Record<string, string> };
  container?: { command: string[]; args?: string[]; workingDir: string; env?: ArgoEnv[] };
}

/** `templateOf`: for each step id, its template's name (`step-<task>`; `sluice-prepare` for the preparation). */
export function argoLaunches(manifest: string, run: TriggerRun, secrets: Readonly<Record<string, string>>, templateOf: ReadonlyMap<string, string>): Launch[] | { refused: string } {
  const documents = parseAllDocuments(manifest).map((document) => document.toJS() as { kind: string; spec: Record<string, unknown> });
  const template = documents.find((document) => document.kind === 'WorkflowTemplate');
  if (!template) throw new Error('no WorkflowTemplate');
  if (run.kind === 'schedule' && !documents.some((document) => document.kind === 'CronWorkflow')) throw new Error('a schedule without a CronWorkflow');
  // The CronWorkflow (and an event Sensor) submit no arguments: every parameter takes its `value`.
  const given = run.kind === 'manual' ? (run.inputs ?? {}) : {};
  const declared = ((template.spec.arguments as { parameters?: { name: string; value?: string; enum?: string[] }[] } | undefined)?.parameters ?? []);
  const parameters = new Map<string, string>();
  for (const parameter of declared) {
    const value = Object.hasOwn(given, parameter.name) ? (given[parameter.name] as string) : parameter.value;
    if (value === undefined) return { refused: `parameter ${parameter.name} has no value` };
    if (parameter.enum && !parameter.enum.includes(value)) return { refused: `parameter ${parameter.name}: ${JSON.stringify(value)} is not in its enum` };
    parameters.set(parameter.name, value);
  }
  const substitute = (text: string): string =>
    text.replace(/\{\{\s*workflow\.parameters\.([A-Za-z0-9_-]+)\s*\}\}/g, (tag, name: string) => {
      const value = parameters.get(name);
      if (value === undefined) throw new Error(`unresolved ${tag}`);
      return value;
    });
  const templates = new Map((template.spec.templates as ArgoTemplate[]).map((candidate) => [candidate.name, candidate]));
  const launches: Launch[] = [];
  for (const [id, templateName] of templateOf) {
    const stepTemplate = templates.get(templateName);
    const container = stepTemplate?.container;
    if (!container) throw new Error(`no container for step ${id}`);
    const annotations = new Map(Object.entries(stepTemplate.metadata?.annotations ?? {}).map(([key, value]) => [key, substitute(value)]));
    // The kubelet: each env value expanded from the entries before it; valueFrom never expanded.
    const env = new Map<string, string>();
    for (const variable of container.env ?? []) {
      let value: string;
      if (variable.value !== undefined) value = kubernetesExpand(substitute(variable.value), env);
      else if (variable.valueFrom?.secretKeyRef) {
        const secret = secrets[variable.valueFrom.secretKeyRef.key];
        if (secret === undefined) return { refused: `secret key ${variable.valueFrom.secretKeyRef.key} is missing` };
        value = secret;
      } else if (variable.valueFrom?.fieldRef) {
        const match = /^metadata\.annotations\['([^']+)'\]$/.exec(variable.valueFrom.fieldRef.fieldPath);
        if (!match) throw new Error(`unexpected fieldRef ${variable.valueFrom.fieldRef.fieldPath}`);
        value = annotations.get(match[1] as string) ?? '';
      } else throw new Error(`env ${variable.name} has no value`);
      env.set(variable.name, value);
    }
    const argv = [...container.command, ...(container.args ?? [])].map((part) => kubernetesExpand(substitute(part), env));
    // The project is staged at /workspace/project; a step's workingDir is where it runs inside it.
    const cwd = container.workingDir === ARGO_PROJECT_DIR ? '.' : container.workingDir.startsWith(`${ARGO_PROJECT_DIR}/`) ? container.workingDir.slice(ARGO_PROJECT_DIR.length + 1) : `(outside) ${container.workingDir}`;
    launches.push({ id, env: Object.fromEntries(env), cwd, run: bashOrExec(argv) });
  }
  return launches;
}

function bashOrExec(argv: string[]): Launch['run'] {
  if (argv[0] === 'bash' && argv[1] === '-c' && argv.length === 3) return { kind: 'bash', body: argv[2] as string, errexit: false };
  if (argv[0] === 'bash' && argv[1] === '-eo' && argv[2] === 'pipefail' && argv[3] === '-c' && argv.length === 5) return { kind: 'bash', body: argv[4] as string, errexit: true };
  return { kind: 'exec', argv };
}

// ---------------------------------------------------------------------------------------------------
// Execution: many launches, one bash process
// ---------------------------------------------------------------------------------------------------

/**
 * The recorder's output: NUL-separated fields, `RECORD cwd argc argv... (present value)...` per call,
 * argv[0] being the program's name. Defined for `sluice-record` and any other program (`dbt`, `aws`).
 */
function recorderFunction(names: readonly string[], programs: readonly string[], store: string): string {
  const checks = names.map((name) => `if [[ -v ${name} && \${${name}@a} == *x* ]]; then printf '1\\0%s\\0' "$${name}"; else printf '0\\0\\0'; fi`);
  const record = ['sluice_record_call() {', '  {', `    printf 'RECORD\\0%s\\0%s\\0' "$PWD" "$#"`, `    printf '%s\\0' "$@"`, ...checks.map((line) => `    ${line}`), '  } >&3', '}'];
  const functions = [RECORDER, ...programs].map((program) => `${program}() { sluice_record_call ${program} "$@"; ${s3Copy(program, store)}${s3Copy(program, store) ? '; ' : ''}return 0; }`);
  // Exported, so a body that starts another bash (a script step with retries: bash -c "$SLUICE_SCRIPT") finds them.
  return [...record, ...functions, `export -f sluice_record_call ${[RECORDER, ...programs].join(' ')}`].join('\n');
}

function recorderProgram(names: readonly string[], output: string, program: string, store: string): string {
  const checks = names.map((name) => `  if [[ -v ${name} ]]; then printf '1\\0%s\\0' "$${name}"; else printf '0\\0\\0'; fi`);
  return ['#!/usr/bin/env bash', '{', `  printf 'RECORD\\0%s\\0%s\\0${program}\\0' "$PWD" "$(($# + 1))"`, `  if [ $# -gt 0 ]; then printf '%s\\0' "$@"; fi`, ...checks, `} >> ${quote(output)}`, s3Copy(program, store), ''].join('\n');
}

const quote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

function parseRecords(output: string, names: readonly string[], root: string): Received[] {
  const fields = output.split('\0');
  const records: Received[] = [];
  let position = 0;
  while (position < fields.length - 1) {
    if (fields[position] !== 'RECORD') throw new Error(`recorder output out of step at ${position}: ${JSON.stringify(fields.slice(position, position + 4))}`);
    const pwd = fields[position + 1] as string;
    const argc = Number(fields[position + 2]);
    const argv = fields.slice(position + 3, position + 3 + argc);
    position += 3 + argc;
    const env: Record<string, string> = {};
    for (const name of names) {
      if (fields[position] === '1') env[name] = fields[position + 1] as string;
      position += 2;
    }
    const relative = pwd === root ? '.' : pwd.startsWith(`${root}/`) ? pwd.slice(root.length + 1) : `(outside) ${pwd}`;
    records.push({ argv, env, cwd: relative });
  }
  return records;
}

export interface Batch {
  /** A fresh project root, with `dbtProjectDir` inside it. */
  root: string;
  names: readonly string[];
  /** Programs recorded besides `sluice-record` (by their own name, e.g. `dbt`). */
  programs: readonly string[];
  /** Where a recorded `aws s3 cp` finds the objects the batch was given (bucket/key). */
  store: string;
}

export function newBatch(names: readonly string[], dbtProjectDirs: readonly string[], programs: readonly string[] = [], s3Objects: Readonly<Record<string, string>> = {}): Batch {
  const root = mkdtempSync(join(tmpdir(), 'sluice-dataflow-'));
  for (const dir of dbtProjectDirs) mkdirSync(join(root, dir), { recursive: true });
  const store = join(root, '.s3');
  for (const [url, content] of Object.entries(s3Objects)) {
    const path = join(store, url.replace(/^s3:\/\//, ''));
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
  }
  return { root, names, programs, store };
}

/**
 * After recording, a recorded `aws s3 cp [--options] s3://SRC DEST` copies SRC from the batch's
 * object store when it holds it (a state load finds the production state), as aws does.
 */
function s3Copy(program: string, store: string): string {
  if (program !== 'aws') return '';
  return `if [ "$1 $2" = "s3 cp" ]; then shift 2; while [ "\${1#--}" != "$1" ]; do shift; done; if [ -f ${quote(store)}/"\${1#s3://}" ]; then cp -- ${quote(store)}/"\${1#s3://}" "$2"; fi; fi`;
}

/**
 * Runs every launch (each in its own subshell, with exactly its environment among the declared
 * names) in one bash process, and returns what the recorder saw, per launch: one record per call.
 */
let batchCounter = 0;

export function executeLaunches(batch: Batch, groups: readonly (readonly Launch[])[]): Received[][][] {
  const lines = [recorderFunction(batch.names, batch.programs, batch.store), `sluice_names=(${batch.names.join(' ')})`, 'sluice_mark() { printf "MARK\\0" >&3; }'];
  for (const launches of groups) {
    for (const launch of launches) {
      lines.push('(');
      lines.push('  for sluice_name in "${sluice_names[@]}"; do unset "$sluice_name"; done; unset sluice_name');
      for (const [name, value] of Object.entries(launch.env)) lines.push(`  export ${name}=${quote(value)}`);
      lines.push(`  cd -- ${quote(join(batch.root, launch.cwd))} || exit 97`);
      if (launch.run.kind === 'exec') lines.push(`  ${launch.run.argv.map(quote).join(' ')}`);
      else lines.push(`  ${launch.run.errexit ? 'set -eo pipefail; ' : ''}eval ${quote(launch.run.body)}`);
      lines.push(') 3>&3 || true', 'sluice_mark');
    }
  }
  // From a file: one argument holds at most 128 KiB (MAX_ARG_STRLEN).
  const script = join(batch.root, `batch-${(batchCounter += 1)}.sh`);
  writeFileSync(script, `exec 3>&1 1>/dev/null 2>/dev/null\n${lines.join('\n')}\n`);
  const result = spawnSync('bash', ['--noprofile', '--norc', script], {
    cwd: batch.root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (result.status !== 0) throw new Error(`batch bash exited ${result.status} (${String(result.error)}): ${result.stderr}`);
  const perLaunch = result.stdout.split('MARK\0');
  const out: Received[][][] = [];
  let index = 0;
  for (const launches of groups) {
    out.push(launches.map(() => parseRecords(perLaunch[index++] ?? '', batch.names, batch.root)));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The entrypoint, run for real
// ---------------------------------------------------------------------------------------------------

export async function runEntrypointRecorded(
  scriptPath: string,
  pipeline: string,
  run: TriggerRun,
  secrets: Readonly<Record<string, string>>,
  batch: Batch,
): Promise<{ code: number | null; stderr: string; records: Received[] }> {
  const bin = mkdtempSync(join(tmpdir(), 'sluice-recorder-'));
  const output = join(bin, 'records');
  writeFileSync(output, '');
  for (const program of [RECORDER, ...batch.programs]) writeFileSync(join(bin, program), recorderProgram(batch.names, output, program, batch.store), { mode: 0o755 });
  const args = [scriptPath, pipeline];
  if (run.kind === 'manual') for (const [name, value] of Object.entries(run.inputs ?? {})) args.push('--input', `${name}=${value}`);
  const child = spawn('bash', args, { cwd: batch.root, env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, SLUICE_RETRY_DELAY: '0', ...secrets }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stderr, records: parseRecords(readFileSync(output, 'utf8'), batch.names, batch.root) };
}

/** The records of a set of launches, keyed by step id (the recorder's first argument). */
export function byStep(records: readonly Received[]): Record<string, Received> {
  const steps: Record<string, Received> = {};
  for (const record of records) {
    const id = record.argv[1] as string;
    if (steps[id]) throw new Error(`step ${id} recorded twice`);
    steps[id] = record;
  }
  return steps;
}

// ---------------------------------------------------------------------------------------------------
// GitLab, run as GitLab runs the job (gitlab-notes §4: YAML global variables are the defaults, form or
// API variables of a manual run override them, CI/CD variables carry the secrets; the job runs its
// `script:` lines in the project directory)
// ---------------------------------------------------------------------------------------------------

export async function runGitlabRecorded(
  ciYaml: string,
  job: string,
  run: TriggerRun,
  secrets: Readonly<Record<string, string>>,
  batch: Batch,
): Promise<{ code: number | null; stderr: string; records: Received[] }> {
  const document = parse(ciYaml) as Record<string, { script?: string[]; variables?: Record<string, string>; rules?: { if?: string }[] }>;
  const pipelineName = job.replace(/^sluice-/, '');
  const variables: Record<string, string> = {};
  for (const [name, definition] of Object.entries((document.variables ?? {}) as Record<string, unknown>)) {
    variables[name] = typeof definition === 'object' && definition !== null ? String((definition as { value?: unknown }).value ?? '') : String(definition);
  }
  const source = { schedule: 'schedule', push: 'push', pullRequest: 'merge_request_event', manual: 'web' }[run.kind];
  Object.assign(variables, { CI_PIPELINE_SOURCE: source, CI_PROJECT_DIR: batch.root, CI_COMMIT_BRANCH: 'main', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main' });
  if (run.kind === 'schedule') variables.SLUICE_SCHEDULE = pipelineName;
  if (run.kind === 'manual') {
    variables.SLUICE_PIPELINE = pipelineName;
    for (const [name, value] of Object.entries(run.inputs ?? {})) variables[`SLUICE_INPUT_${name}`] = value;
  }
  const definition = document[job];
  if (!definition?.script) throw new Error(`no job ${job}`);
  // The job must be in this pipeline by its rules (first match wins, §1); the oracle in gitlab.ts reads them.
  if (!jobAdded(definition as { rules?: { if?: string }[] }, variables).added) throw new Error(`job ${job} is not added on a ${run.kind} run`);
  const bin = mkdtempSync(join(tmpdir(), 'sluice-recorder-'));
  const output = join(bin, 'records');
  writeFileSync(output, '');
  for (const program of [RECORDER, ...batch.programs]) writeFileSync(join(bin, program), recorderProgram(batch.names, output, program, batch.store), { mode: 0o755 });
  const env = { ...variables, ...(definition.variables ?? {}), ...secrets, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, SLUICE_RETRY_DELAY: '0' };
  const child = spawn('bash', ['-c', definition.script.join('\n')], { cwd: batch.root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stderr, records: parseRecords(readFileSync(output, 'utf8'), batch.names, batch.root) };
}
