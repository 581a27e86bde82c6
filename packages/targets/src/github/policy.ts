/**
 * The GitHub workflow policy: the guarantees every workflow Sluice writes keeps, checked on the final
 * plain data that is about to be written (our own output and whatever `targets.github.override`
 * returned alike). Each rule is named; a violation names the field by its path in the workflow.
 *
 * What the rules protect (the zizmor / actionlint / Scorecard view of a CI file):
 * - no data becomes code: `${{ }}` never appears in `run:`, in a script input of an action that runs
 *   scripts (actions/github-script's `script`, ...), in `shell:`, `working-directory:`, `name:`,
 *   `runs-on:` (which runner), keys,
 *   or in the value of an environment variable that loads code (BASH_ENV, LD_PRELOAD, ...);
 * - what runs is what was reviewed: every `uses:` (steps and reusable workflows) is exactly
 *   `owner/repo[/path]@<40 hex>`;
 * - the job token stays small: no `pull_request_target` / `workflow_run`, explicit permissions, write
 *   scopes only where Sluice's own job needs them and never under a pull-request trigger,
 *   `persist-credentials: false` on every checkout, no checkout of a pull request's head, no
 *   `secrets: inherit`;
 * - an `if:` is one expression (`${{ a }} && ${{ b }}` is a non-empty string: always true);
 * - a workflow an outsider can start (OUTSIDER_TRIGGERS, judged on the final `on:`, whatever added it)
 *   writes nothing: no write scope but id-token (OIDC, to read state), no artifact upload (Sluice's
 *   artifacts are dbt state, which production and slim CI trust), no gh-pages push, and it runs on
 *   GitHub-hosted runners only (a self-hosted runner keeps what an outsider's code leaves behind);
 * - an image an override adds (job container, service) is pinned by `@sha256:` digest; the images
 *   Sluice itself emits come from the user's reviewed `runtime.image` and are left as written;
 * - an action input an override adds holds `${{ }}` only as one whole token reference
 *   (`${{ secrets.NAME }}`, `${{ github.token }}`, `${{ steps.ID.outputs.NAME }}`): any other
 *   expression could feed data into an input the action runs as code (`args`, `cmd`, `query`, ...).
 */
import type { PlainData } from '../shared/plain-data.js';

export type PolicyRule =
  | 'workflow-shape'
  | 'expression-in-code'
  | 'expression-in-field'
  | 'invisible-character'
  | 'unpinned-action'
  | 'dangerous-trigger'
  | 'permissions'
  | 'persist-credentials'
  | 'untrusted-checkout'
  | 'secrets-inherit'
  | 'shell'
  | 'unsound-condition'
  | 'env-name'
  | 'outsider-write'
  | 'self-hosted-runner'
  | 'unpinned-image'
  | 'expression-in-input';

export interface PolicyViolation {
  rule: PolicyRule;
  /** Where in the workflow: `jobs.daily.steps[3].run`. */
  at: string;
  message: string;
}

export interface PolicyContext {
  /** Per job id, the permission scopes that job may write (what its steps need), nothing else. */
  writableScopes: ReadonlyMap<string, ReadonlySet<string>>;
  /** Container and service images Sluice emitted itself; any other image must be pinned by digest. */
  trustedImages?: ReadonlySet<string>;
  /** `with:` entries Sluice emitted itself (`inputKey(key, value)`); others hold only a token reference. */
  trustedInputs?: ReadonlySet<string>;
}

/** The identity of one `with:` entry, for comparing the final workflow with what Sluice emitted. */
export function inputKey(key: string, value: PlainData): string {
  return JSON.stringify([key, value]);
}

/** `owner/repo[/path]@<full commit SHA>`; nothing before, nothing after (no newline, no comment). */
const PINNED_USES = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*@[0-9a-f]{40}$/;
/** Events that run with the base repository's secrets and a write token on an outsider's data. */
const DANGEROUS_TRIGGERS = new Set(['pull_request_target', 'workflow_run']);
/**
 * Events someone without write access can start (a pull request from a fork, a comment, a review, a
 * discussion, a fork, an issue, or a run of another workflow such a person started).
 */
const OUTSIDER_TRIGGERS = new Set([
  'pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment', 'issue_comment', 'issues',
  'workflow_run', 'discussion', 'discussion_comment', 'fork', 'watch',
]);
/** GitHub-hosted runner labels (ubuntu-24.04, windows-latest, macos-15, ubuntu-24.04-arm, ...). */
const GITHUB_HOSTED_LABEL = /^(?:ubuntu|windows|macos)-[A-Za-z0-9.-]+$/;
/** `name[:tag]@sha256:<64 hex>`. */
const DIGEST_PINNED_IMAGE = /^[^\s@]+@sha256:[0-9a-f]{64}$/;
/** The only expressions an override may put in an action input: exactly one token reference. */
const TOKEN_REFERENCE = /^\$\{\{\s*(?:secrets\.[A-Za-z_][A-Za-z0-9_]*|github\.token|steps\.[A-Za-z_][A-Za-z0-9_-]*\.outputs\.[A-Za-z_][A-Za-z0-9_-]*)\s*\}\}$/;
/** Actions that publish a Pages site or write state an outsider's run must not write. */
const PUBLISHING_ACTIONS = new Set(['actions/upload-artifact', 'actions/upload-pages-artifact', 'actions/deploy-pages', 'peaceiris/actions-gh-pages', 'jamesives/github-pages-deploy-action']);
/** `shell:` takes a command template (`perl {0}`); only GitHub's named shells are allowed. */
const NAMED_SHELLS = new Set(['bash', 'sh', 'pwsh', 'powershell', 'python', 'cmd']);
/** Inputs of known script-running actions that hold code, by action (owner/repo, lower case). */
const SCRIPT_INPUTS: Record<string, readonly string[]> = {
  'actions/github-script': ['script'],
  'azure/cli': ['inlinescript'],
  'azure/powershell': ['inlinescript'],
  'appleboy/ssh-action': ['script'],
  'nick-fields/retry': ['command', 'new_command_on_retry'],
  'nick-invision/retry': ['command', 'new_command_on_retry'],
  'addnab/docker-run-action': ['run', 'options'],
  'mathiasvr/command-output': ['run'],
  'jannekem/run-python-script-action': ['script'],
};
/** Input names that hold code in any action (compared lower case, without `-` and `_`). */
const CODE_INPUT_NAMES = new Set(['script', 'run', 'command', 'commands', 'inlinescript', 'code', 'shell', 'entrypoint']);
/** Environment variables that make a program load or run something: never from an expression. */
const CODE_LOADING_ENV = new Set([
  'BASH_ENV', 'ENV', 'PROMPT_COMMAND', 'PS4', 'SHELLOPTS', 'BASHOPTS', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'LD_AUDIT',
  'DYLD_INSERT_LIBRARIES', 'NODE_OPTIONS', 'NODE_PATH', 'PYTHONSTARTUP', 'PYTHONPATH', 'PYTHONHOME', 'PERL5OPT', 'PERL5LIB',
  'RUBYOPT', 'RUBYLIB', 'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'GIT_SSH_COMMAND', 'GIT_EXEC_PATH', 'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_GLOBAL', 'PATH',
]);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Control, format (bidi, zero width), private-use and separator characters; tab and newline are text.
const INVISIBLE = /(?![\t\n])[\p{Cc}\p{Cf}\p{Co}\p{Zl}\p{Zp}]/u;
/** Contexts a pull request's author controls, as the ref or repository of a checkout. */
const PULL_REQUEST_HEAD = /github\s*\.\s*(?:head_ref|event\s*\.\s*(?:pull_request|workflow_run|issue|comment|review))/i;

type PlainMap = { [key: string]: PlainData };

export function githubPolicyViolations(workflow: PlainData, context: PolicyContext): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  const report = (rule: PolicyRule, at: string, message: string): void => {
    violations.push({ rule, at, message });
  };
  everyString(workflow, '', report);
  if (!isMap(workflow)) {
    report('workflow-shape', '(the workflow)', 'is not a mapping');
    return violations;
  }
  const triggers = triggerNames(workflow.on, report);
  for (const name of triggers) {
    if (DANGEROUS_TRIGGERS.has(name)) report('dangerous-trigger', `on.${name}`, `runs with the repository's secrets and a write token on data an outsider controls`);
  }
  const fromPullRequests = triggers.some((name) => OUTSIDER_TRIGGERS.has(name));
  checkNamed(workflow, 'name', 'name', report);
  checkPermissions(workflow.permissions, 'permissions', new Set(), fromPullRequests, report);
  checkEnv(workflow.env, 'env', report);
  checkRunDefaults(workflow.defaults, 'defaults', report);
  const jobs = workflow.jobs;
  if (!isMap(jobs) || Object.keys(jobs).length === 0) {
    report('workflow-shape', 'jobs', 'must be a mapping with at least one job');
    return violations;
  }
  for (const [id, job] of Object.entries(jobs)) {
    const at = `jobs.${id}`;
    if (!isMap(job)) {
      report('workflow-shape', at, 'is not a mapping');
      continue;
    }
    checkJob(job, at, context.writableScopes.get(id) ?? new Set(), fromPullRequests, workflow.permissions !== undefined, context, report);
  }
  return violations;
}

type Report = (rule: PolicyRule, at: string, message: string) => void;

function checkJob(job: PlainMap, at: string, writable: ReadonlySet<string>, fromPullRequests: boolean, workflowHasPermissions: boolean, context: PolicyContext, report: Report): void {
  checkNamed(job, 'name', `${at}.name`, report);
  if (job.permissions === undefined && !workflowHasPermissions) report('permissions', `${at}.permissions`, 'is missing (the job would get the repository default token, often write-all)');
  checkPermissions(job.permissions, `${at}.permissions`, writable, fromPullRequests, report);
  checkEnv(job.env, `${at}.env`, report);
  checkRunDefaults(job.defaults, `${at}.defaults`, report);
  checkCondition(job.if, `${at}.if`, report);
  // The runner a job lands on: a label an expression picks could be chosen by whoever controls the data.
  for (const label of [job['runs-on']].flat()) if (typeof label === 'string' && label.includes('${{')) report('expression-in-field', `${at}.runs-on`, 'contains ${{ }}');
  if (fromPullRequests && !githubHosted(job['runs-on'])) report('self-hosted-runner', `${at}.runs-on`, 'is not a GitHub-hosted runner, and an outsider can start this workflow (their code would run on your machine)');
  checkContainer(job.container, `${at}.container`, context, report);
  if (isMap(job.services)) for (const [name, service] of Object.entries(job.services)) checkContainer(service, `${at}.services.${name}`, context, report);
  if (job.secrets === 'inherit') report('secrets-inherit', `${at}.secrets`, 'passes every secret of the repository to another workflow (name the ones it needs)');
  if (job.uses !== undefined) {
    checkUses(job.uses, `${at}.uses`, report);
    if (job.steps !== undefined) report('workflow-shape', `${at}.steps`, 'a job that calls a reusable workflow has no steps');
    return;
  }
  if (!Array.isArray(job.steps) || job.steps.length === 0) {
    report('workflow-shape', `${at}.steps`, 'must be a non-empty list');
    return;
  }
  job.steps.forEach((step, index) => {
    const stepAt = `${at}.steps[${index}]`;
    if (!isMap(step)) report('workflow-shape', stepAt, 'is not a mapping');
    else checkStep(step, stepAt, fromPullRequests, context, report);
  });
}

/** A job's `runs-on` names only GitHub-hosted labels (a group or a custom label may be your own machine). */
function githubHosted(runsOn: PlainData | undefined): boolean {
  if (runsOn === undefined) return true;
  const labels = [runsOn].flat();
  return labels.length > 0 && labels.every((label) => typeof label === 'string' && GITHUB_HOSTED_LABEL.test(label));
}

function checkStep(step: PlainMap, at: string, fromOutsiders: boolean, context: PolicyContext, report: Report): void {
  checkNamed(step, 'name', `${at}.name`, report);
  checkCondition(step.if, `${at}.if`, report);
  checkEnv(step.env, `${at}.env`, report);
  if ((step.run === undefined) === (step.uses === undefined)) report('workflow-shape', at, 'needs exactly one of run: and uses:');
  if (step.run !== undefined) {
    if (typeof step.run !== 'string') report('workflow-shape', `${at}.run`, 'is not a string');
    else if (step.run.includes('${{')) report('expression-in-code', `${at}.run`, 'contains ${{ }}, which GitHub splices into the script before bash reads it (pass the value through env:)');
    if (fromOutsiders && typeof step.run === 'string' && /gh-pages/.test(step.run)) report('outsider-write', `${at}.run`, 'pushes to gh-pages in a workflow an outsider can start');
  }
  if (step.shell !== undefined) checkShell(step.shell, `${at}.shell`, report);
  checkNamed(step, 'working-directory', `${at}.working-directory`, report);
  if (step.uses === undefined) {
    if (step.with !== undefined) report('workflow-shape', `${at}.with`, 'belongs to a uses: step');
    return;
  }
  const action = checkUses(step.uses, `${at}.uses`, report);
  if (fromOutsiders && action !== undefined && PUBLISHING_ACTIONS.has(action)) report('outsider-write', `${at}.uses`, `${action} writes state or a Pages site that trusted runs use, in a workflow an outsider can start`);
  if (step.with === undefined) {
    if (action === 'actions/checkout') report('persist-credentials', `${at}.with`, "actions/checkout keeps the job token in .git/config unless it sets persist-credentials: false");
    return;
  }
  if (!isMap(step.with)) {
    report('workflow-shape', `${at}.with`, 'is not a mapping');
    return;
  }
  const scriptInputs = new Set(SCRIPT_INPUTS[action ?? ''] ?? []);
  for (const [key, value] of Object.entries(step.with)) {
    const keyAt = `${at}.with.${key}`;
    if (value === null || typeof value === 'object') {
      report('workflow-shape', keyAt, 'must be a string, number or boolean');
      continue;
    }
    const normalised = key.toLowerCase();
    const isCode = scriptInputs.has(normalised) || CODE_INPUT_NAMES.has(normalised.replace(/[-_]/g, ''));
    if (isCode && String(value).includes('${{')) report('expression-in-code', keyAt, 'is code run by the action and contains ${{ }} (pass the value through env:)');
    else if (context.trustedInputs && typeof value === 'string' && value.includes('${{') && !TOKEN_REFERENCE.test(value) && !context.trustedInputs.has(inputKey(key, value))) {
      report('expression-in-input', keyAt, 'contains an expression other than one whole ${{ secrets.NAME }}, ${{ github.token }} or ${{ steps.ID.outputs.NAME }} (the action may run its inputs as code)');
    }
  }
  if (action === 'actions/checkout') {
    const persist = step.with['persist-credentials'];
    if (persist !== false && persist !== 'false') report('persist-credentials', `${at}.with.persist-credentials`, 'must be false: otherwise the job token stays in .git/config for every later step');
    for (const key of ['ref', 'repository'] as const) {
      const value = step.with[key];
      if (typeof value === 'string' && PULL_REQUEST_HEAD.test(value)) report('untrusted-checkout', `${at}.with.${key}`, "checks out a pull request's head (code its author controls) explicitly");
    }
  }
}

/** Returns `owner/repo` (lower case) of a well-formed pinned reference. */
function checkUses(uses: PlainData, at: string, report: Report): string | undefined {
  if (typeof uses !== 'string' || !PINNED_USES.test(uses) || uses.split('@')[0]?.split('/').includes('..')) {
    report('unpinned-action', at, `${JSON.stringify(uses)} is not exactly owner/repo[/path]@<full 40-character commit SHA>`);
    return undefined;
  }
  const [owner, repo] = uses.split('@')[0]?.split('/') ?? [];
  return `${owner}/${repo}`.toLowerCase();
}

function triggerNames(on: PlainData | undefined, report: Report): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on) && on.every((name): name is string => typeof name === 'string')) return on;
  if (isMap(on)) return Object.keys(on);
  report('workflow-shape', 'on', 'must name the events that start the workflow');
  return [];
}

function checkPermissions(permissions: PlainData | undefined, at: string, writable: ReadonlySet<string>, fromPullRequests: boolean, report: Report): void {
  if (permissions === undefined) return;
  if (typeof permissions === 'string') {
    if (permissions !== 'read-all') report('permissions', at, `${permissions} grants more than the job needs (list the scopes)`);
    return;
  }
  if (!isMap(permissions)) {
    report('permissions', at, 'must be a mapping of scopes');
    return;
  }
  for (const [scope, level] of Object.entries(permissions)) {
    if (level === 'read' || level === 'none') continue;
    if (level !== 'write') report('permissions', `${at}.${scope}`, `${JSON.stringify(level)} is not read, write or none`);
    else if (!writable.has(scope)) report('permissions', `${at}.${scope}`, 'grants write where no Sluice step needs it');
    else if (fromPullRequests && scope !== 'id-token') report('permissions', `${at}.${scope}`, 'grants write to a workflow a pull request starts');
  }
}

function checkEnv(env: PlainData | undefined, at: string, report: Report): void {
  if (env === undefined) return;
  if (!isMap(env)) {
    report('workflow-shape', at, 'is not a mapping');
    return;
  }
  for (const [name, value] of Object.entries(env)) {
    const nameAt = `${at}.${name}`;
    if (!ENV_NAME.test(name)) report('env-name', nameAt, 'is not a valid environment variable name');
    else if (/^(?:GITHUB|RUNNER)_/i.test(name)) report('env-name', nameAt, 'is reserved by the runner');
    if (value === null || typeof value === 'object') report('workflow-shape', nameAt, 'must be a string, number or boolean');
    else if ((CODE_LOADING_ENV.has(name.toUpperCase()) || /^BASH_FUNC_/i.test(name)) && String(value).includes('${{')) {
      report('expression-in-code', nameAt, 'makes programs load code, so its value may not come from an expression');
    }
  }
}

/** A container's `options` are docker create flags (`--entrypoint`, `-v`): code, as a run: body is. */
function checkContainer(container: PlainData | undefined, at: string, context: PolicyContext, report: Report): void {
  const image = typeof container === 'string' ? container : isMap(container) ? container.image : undefined;
  if (image !== undefined && !(typeof image === 'string' && (DIGEST_PINNED_IMAGE.test(image) || (context.trustedImages?.has(image) ?? true)))) {
    report('unpinned-image', typeof container === 'string' ? at : `${at}.image`, `${JSON.stringify(image)} is not pinned by digest (name@sha256:<64 hex>): a tag can be moved to other code`);
  }
  if (!isMap(container)) return;
  checkEnv(container.env, `${at}.env`, report);
  if (typeof container.options === 'string' && container.options.includes('${{')) report('expression-in-code', `${at}.options`, 'are docker flags and contain ${{ }}');
}

function checkRunDefaults(defaults: PlainData | undefined, at: string, report: Report): void {
  if (defaults === undefined) return;
  if (!isMap(defaults) || (defaults.run !== undefined && !isMap(defaults.run))) {
    report('workflow-shape', at, 'is not a mapping');
    return;
  }
  const run = defaults.run;
  if (run === undefined) return;
  if (run.shell !== undefined) checkShell(run.shell, `${at}.run.shell`, report);
  checkNamed(run, 'working-directory', `${at}.run.working-directory`, report);
}

function checkShell(shell: PlainData, at: string, report: Report): void {
  if (typeof shell !== 'string' || !NAMED_SHELLS.has(shell)) report('shell', at, `${JSON.stringify(shell)} is not one of GitHub's named shells (${[...NAMED_SHELLS].join(', ')}); a template is a command line`);
}

/** A name or path: text without expressions. */
function checkNamed(owner: PlainMap, key: string, at: string, report: Report): void {
  const value = owner[key];
  if (value === undefined) return;
  if (typeof value !== 'string') report('workflow-shape', at, 'is not a string');
  else if (value.includes('${{')) report('expression-in-field', at, 'contains ${{ }}');
  else if (value.includes('\n')) report('workflow-shape', at, 'contains a line break');
}

function checkCondition(condition: PlainData | undefined, at: string, report: Report): void {
  if (condition === undefined || typeof condition === 'boolean' || typeof condition === 'number') return;
  if (typeof condition !== 'string') {
    report('workflow-shape', at, 'is not an expression');
    return;
  }
  const text = condition.trim();
  const opens = text.split('${{').length - 1;
  if (opens > 1 || (opens === 1 && !(text.startsWith('${{') && text.endsWith('}}')))) {
    report('unsound-condition', at, 'mixes ${{ }} with text: GitHub reads the whole value as a non-empty string, which is always true (write one expression)');
  }
}

/** Keys never hold expressions; no string anywhere holds invisible or control characters. */
function everyString(value: PlainData, at: string, report: Report): void {
  if (typeof value === 'string') {
    if (INVISIBLE.test(value)) report('invisible-character', at || '(the workflow)', 'contains a control or invisible character');
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => everyString(item, `${at}[${index}]`, report));
    return;
  }
  if (!isMap(value)) return;
  for (const [key, item] of Object.entries(value)) {
    const keyAt = at === '' ? key : `${at}.${key}`;
    if (key.includes('${{')) report('expression-in-field', keyAt, 'a key contains ${{ }}');
    if (INVISIBLE.test(key)) report('invisible-character', keyAt, 'a key contains a control or invisible character');
    everyString(item, keyAt, report);
  }
}

function isMap(value: PlainData | undefined): value is PlainMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
