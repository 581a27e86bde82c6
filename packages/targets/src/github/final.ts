/**
 * From the generated workflow to the data that is written: the override (if any) gets a plain copy,
 * its result is snapshotted to plain data once, and the whole GitHub policy runs on that snapshot,
 * which is exactly what the YAML writer then writes. Our own output goes through the same policy.
 */
import { DIAGNOSTIC_CODES, type Diagnostic, type GithubTargetConfig, type PipelineIR } from '@sluice/sdk/ir';
import { snapshotPlainData, type PlainData } from '../shared/plain-data.js';
import { Commented, withComment } from '../shared/yaml.js';
import type { Workflow } from './model.js';
import { ACTION_PINS } from './pins.js';
import { githubPolicyViolations, inputKey, type PolicyRule } from './policy.js';

export type FinalWorkflow = { ok: true; workflow: unknown } | { ok: false; diagnostics: Diagnostic[] };

const OVERRIDE_PATH = ['sluice.config.ts', 'targets.github.override'];

export function finalWorkflow(generated: Workflow, pipeline: PipelineIR, options: GithubTargetConfig): FinalWorkflow {
  let data = withoutPinComments(generated);
  const ours = data;
  if (options.override) {
    const returned = callOverride(options.override, data, pipeline.name);
    if (!returned.ok) return returned;
    const snapshot = snapshotPlainData(returned.value);
    if (!snapshot.ok) {
      return failed(DIAGNOSTIC_CODES.OVERRIDE_NOT_PLAIN, pipeline.name, snapshot.at, `${snapshot.at}: ${snapshot.reason}`, 'Return plain objects, arrays, strings, numbers and booleans (no getters, classes, Proxies or functions).');
    }
    data = snapshot.value;
  }
  const violations = githubPolicyViolations(data, {
    writableScopes: new Map([[pipeline.name, writableScopes(generated, pipeline)]]),
    trustedImages: emittedImages(ours),
    trustedInputs: emittedInputs(ours),
  });
  if (violations.length > 0) {
    const code = options.override ? DIAGNOSTIC_CODES.OVERRIDE_UNSAFE : DIAGNOSTIC_CODES.UNSAFE_WORKFLOW;
    return {
      ok: false,
      diagnostics: violations.map((violation) => ({
        code,
        message: `${options.override ? 'targets.github.override' : 'The generated workflow'} for pipeline '${pipeline.name}': ${violation.at} ${violation.message} [${violation.rule}].`,
        hint: HINTS[violation.rule],
        path: [...(options.override ? OVERRIDE_PATH : []), `pipeline ${pipeline.name}`, violation.at],
      })),
    };
  }
  return { ok: true, workflow: withPinComments(data) };
}

/** The write scopes Sluice's own job needs: nothing an override adds is ever writable. */
function writableScopes(generated: Workflow, pipeline: PipelineIR): Set<string> {
  const job = generated.jobs[pipeline.name];
  return new Set(Object.entries(job?.permissions ?? {}).flatMap(([scope, level]) => (level === 'write' ? [scope] : [])));
}

/** The container and service images Sluice emitted (from the user's runtime.image), before any override. */
function emittedImages(data: PlainData): Set<string> {
  const images = new Set<string>();
  for (const job of jobsOf(data)) {
    for (const container of [job.container, ...(isMap(job.services) ? Object.values(job.services) : [])]) {
      const image = typeof container === 'string' ? container : isMap(container) ? container.image : undefined;
      if (typeof image === 'string') images.add(image);
    }
  }
  return images;
}

/** Every `with:` entry Sluice emitted, before any override. */
function emittedInputs(data: PlainData): Set<string> {
  const inputs = new Set<string>();
  for (const job of jobsOf(data)) {
    for (const step of Array.isArray(job.steps) ? job.steps : []) {
      if (isMap(step) && isMap(step.with)) for (const [key, value] of Object.entries(step.with)) inputs.add(inputKey(key, value));
    }
  }
  return inputs;
}

type PlainMap = { [key: string]: PlainData };
function isMap(value: PlainData | undefined): value is PlainMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function jobsOf(data: PlainData): PlainMap[] {
  return isMap(data) && isMap(data.jobs) ? Object.values(data.jobs).filter(isMap) : [];
}

function callOverride(override: NonNullable<GithubTargetConfig['override']>, data: PlainData, pipeline: string): { ok: true; value: unknown } | { ok: false; diagnostics: Diagnostic[] } {
  try {
    return { ok: true, value: override(structuredClone(data) as Record<string, unknown>, { pipeline }) };
  } catch (error) {
    return failed(DIAGNOSTIC_CODES.OVERRIDE_THREW, pipeline, '(the call)', `threw ${describeThrown(error)}`, 'Fix the override so it returns the workflow to write.');
  }
}

/** Never calls back into what was thrown beyond reading an Error's own message. */
function describeThrown(error: unknown): string {
  try {
    if (error instanceof Error && typeof error.message === 'string') return JSON.stringify(error.message.slice(0, 200));
  } catch {
    // A Proxy or a hostile getter: fall through to the neutral description.
  }
  return 'a value that is not an Error';
}

function failed(code: Diagnostic['code'], pipeline: string, at: string, problem: string, hint: string): { ok: false; diagnostics: Diagnostic[] } {
  return {
    ok: false,
    diagnostics: [{ code, message: `targets.github.override for pipeline '${pipeline}': ${problem}.`, hint, path: [...OVERRIDE_PATH, `pipeline ${pipeline}`, at] }],
  };
}

const HINTS: Record<PolicyRule, string> = {
  'workflow-shape': 'Return a workflow GitHub accepts: on, jobs, and steps with exactly one of run: or uses:.',
  'expression-in-code': 'Pass the value through env: and read it as "$NAME" in the script.',
  'expression-in-field': 'Write literal text here; values reach steps through env:.',
  'invisible-character': 'Remove control, bidi and zero-width characters.',
  'unpinned-action': 'Pin to a full commit SHA: owner/repo@<40 hex> (the release tag belongs in a comment, which Sluice writes for its own pins).',
  'dangerous-trigger': 'Use pull_request (no secrets for forks, read-only token) or push/schedule; run trusted follow-ups from those.',
  permissions: 'List read scopes per job; write scopes are granted only where a Sluice step needs them, never to pull-request workflows.',
  'persist-credentials': 'Set persist-credentials: false on actions/checkout.',
  'untrusted-checkout': "Check out the commit the event names (actions/checkout's default).",
  'secrets-inherit': 'Pass only the secrets the called workflow needs under secrets:.',
  shell: 'Use a named shell such as bash.',
  'unsound-condition': "Write the condition as one expression: ${{ a && b }}.",
  'env-name': 'Use a valid name that is not reserved by the runner (GITHUB_*, RUNNER_*).',
  'outsider-write': 'Save state and publish Pages only from workflows started by push, schedule or workflow_dispatch; keep workflows that pull requests, comments, reviews or other outsider events start read-only.',
  'self-hosted-runner': 'Run workflows that outsiders can start on GitHub-hosted runners (ubuntu-24.04, ...); keep self-hosted runners for push, schedule and workflow_dispatch.',
  'unpinned-image': 'Pin the image by digest: name@sha256:<64 hex> (docker buildx imagetools inspect NAME:TAG prints it).',
  'expression-in-input': 'Pass data to the action through a step that writes it to a file or env:, or use exactly one ${{ secrets.NAME }}, ${{ github.token }} or ${{ steps.ID.outputs.NAME }} as the whole value.',
};

/** The data an override sees and the policy checks: `uses` as the bare reference. */
function withoutPinComments(generated: Workflow): PlainData {
  return JSON.parse(JSON.stringify(generated, (_key, value: unknown) => (value instanceof Commented ? value.value : value))) as PlainData;
}

const PIN_TAGS = new Map(Object.values(ACTION_PINS).map((pin) => [`${pin.action}@${pin.sha}`, pin.tag]));

/** Our release-tag comments come back only on references that are exactly one of our pins. */
function withPinComments(data: PlainData): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || typeof data.jobs !== 'object' || data.jobs === null || Array.isArray(data.jobs)) return data;
  const jobs = Object.fromEntries(
    Object.entries(data.jobs).map(([id, job]) => {
      if (typeof job !== 'object' || job === null || Array.isArray(job) || !Array.isArray(job.steps)) return [id, job];
      const steps = job.steps.map((step) => {
        if (typeof step !== 'object' || step === null || Array.isArray(step) || typeof step.uses !== 'string') return step;
        const tag = PIN_TAGS.get(step.uses);
        return tag === undefined ? step : { ...step, uses: withComment(step.uses, tag) };
      });
      return [id, { ...job, steps }];
    }),
  );
  return { ...data, jobs };
}
