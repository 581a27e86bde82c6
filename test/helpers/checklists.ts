/**
 * The security checklists, as named properties over generated files. Each function returns the
 * names of the properties a file violates (empty: all hold), so the same list judges the examples
 * and every randomly generated pipeline.
 */
import { parse, parseAllDocuments } from 'yaml';

type Check = [name: string, holds: boolean];

function failing(checks: Check[]): string[] {
  return checks.filter(([, holds]) => !holds).map(([name]) => name);
}

interface GithubStep {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface GithubWorkflow {
  on: Record<string, unknown>;
  permissions?: unknown;
  concurrency?: { group?: string };
  jobs: Record<string, { permissions?: Record<string, string>; 'timeout-minutes'?: number; defaults?: { run?: { shell?: string } }; steps: GithubStep[] }>;
}

export function githubChecklist(content: string): string[] {
  const workflow = parse(content) as GithubWorkflow;
  const jobs = Object.values(workflow.jobs);
  const publishesPages = (job: (typeof jobs)[number]) => job.steps.some((step) => (step.run ?? '').includes('gh-pages'));
  const usesOidc = (job: (typeof jobs)[number]) => job.steps.some((step) => /^(aws-actions\/configure-aws-credentials|google-github-actions\/auth)@/.test(step.uses ?? ''));
  const steps = jobs.flatMap((job) => job.steps);
  const publishes = (job: (typeof jobs)[number]) => job.steps.some((step) => /\b(aws s3|gcloud storage|gsutil)\b/.test(step.run ?? ''));
  const caches = (job: (typeof jobs)[number]) => job.steps.some((step) => step.uses?.startsWith('actions/cache@'));
  return failing([
    ['permissions: {} at the top', JSON.stringify(workflow.permissions) === '{}'],
    ['least privilege per job', jobs.every((job) => Object.entries(job.permissions ?? {}).every(([scope, level]) => level === 'read' || (scope === 'id-token' && usesOidc(job)) || (scope === 'contents' && publishesPages(job))))],
    ['id-token: write only with OIDC', jobs.every((job) => job.permissions?.['id-token'] === undefined || usesOidc(job))],
    ['every uses: pinned to a 40-character SHA', steps.every((step) => step.uses === undefined || /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/.test(step.uses))],
    ['every pin carries its version', content.split('\n').filter((line) => /^\s*(- )?uses:/.test(line)).every((line) => / # v\d+\.\d+\.\d+$/.test(line))],
    ['persist-credentials: false', steps.filter((step) => step.uses?.startsWith('actions/checkout@')).every((step) => step.with?.['persist-credentials'] === false)],
    ['no ${{ }} inside run:', steps.every((step) => !(step.run ?? '').includes('${{'))],
    ['no pull_request_target or workflow_run', !('pull_request_target' in workflow.on) && !('workflow_run' in workflow.on)],
    ['no secrets: inherit', !/secrets:\s*inherit/.test(content)],
    ['shell: bash', jobs.every((job) => job.defaults?.run?.shell === 'bash')],
    ['timeout-minutes on every job', jobs.every((job) => (job['timeout-minutes'] ?? 0) > 0)],
    ['a concurrency group', Boolean(workflow.concurrency?.group)],
    ['no cache in jobs that publish', jobs.every((job) => !(publishes(job) && caches(job)))],
  ]);
}

export function argoChecklist(content: string): string[] {
  const specs = parseAllDocuments(content)
    .map((document) => document.toJS())
    .filter((document) => document.kind === 'WorkflowTemplate')
    .map((document) => document.spec);
  const containers = specs.flatMap((spec) => spec.templates.filter((t: { container?: unknown }) => t.container).map((t: { container: unknown }) => t.container));
  const env = containers.flatMap((container: { env?: { name: string; value?: string; valueFrom?: unknown }[] }) => container.env ?? []);
  return failing([
    ['service account is not default', specs.every((spec) => spec.serviceAccountName && spec.serviceAccountName !== 'default')],
    ['no service account token in pods', specs.every((spec) => spec.automountServiceAccountToken === false)],
    ['runAsNonRoot with a non-zero UID', specs.every((spec) => spec.securityContext?.runAsNonRoot === true && spec.securityContext?.runAsUser > 0)],
    ['seccomp RuntimeDefault', specs.every((spec) => spec.securityContext?.seccompProfile?.type === 'RuntimeDefault')],
    ['no privilege escalation, all capabilities dropped', containers.every((c: { securityContext?: { allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } } }) => c.securityContext?.allowPrivilegeEscalation === false && c.securityContext?.capabilities?.drop?.includes('ALL'))],
    ['secrets only via secretKeyRef', env.every((variable: { value?: string }) => !/^(sk-|AKIA|xox)/.test(variable.value ?? ''))],
    ['no secret in parameters', specs.every((spec) => (spec.arguments?.parameters ?? []).every((p: { name: string }) => !/secret|password|token|webhook/i.test(p.name)))],
    ['a workflow deadline', specs.every((spec) => spec.activeDeadlineSeconds > 0)],
    ['podGC', specs.every((spec) => Boolean(spec.podGC?.strategy))],
    ['ttlStrategy', specs.every((spec) => spec.ttlStrategy?.secondsAfterSuccess > 0)],
    ['resource requests and limits', containers.every((c: { resources?: { requests?: unknown; limits?: unknown } }) => Boolean(c.resources?.requests && c.resources?.limits))],
  ]);
}

export function entrypointChecklist(content: string): string[] {
  const lines = content.split('\n');
  const trap = lines.findIndex((line) => line.startsWith('trap sluice_on_exit EXIT'));
  const firstCommand = lines.findIndex((line, index) => index > 0 && /^[a-z]/.test(line) && !/^(set -Eeuo pipefail|SLUICE_\w+=|declare -A|sluice_\w+\(\) \{)/.test(line));
  return failing([
    ['strict mode first', lines.findIndex((line) => line === 'set -Eeuo pipefail') < firstCommand],
    ['exit trap before the first command that can fail', trap > 0 && trap === firstCommand],
    ['SIGTERM and SIGINT trapped', content.includes("trap 'sluice_on_signal TERM' TERM") && content.includes("trap 'sluice_on_signal INT' INT")],
    ['steps interrupted with SIGINT', /kill -INT -- "-\$SLUICE_CHILD"/.test(content) && !/kill -TERM -- "-\$SLUICE_CHILD"/.test(content)],
    ['job control for steps', content.includes('\nset -m\n')],
    ['no eval', !/\beval\b/.test(content)],
  ]);
}
