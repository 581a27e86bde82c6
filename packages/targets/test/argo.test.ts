/**
 * The Argo Workflows target: Argo's published schema, the checks that schema misses, the security
 * checklist as named assertions, refusals by name, and names that fit Kubernetes.
 */
import { DIAGNOSTIC_CODES as E, dbt, input, notify, pipeline, secret, shell, trigger, upload, when, type SluiceIR } from '@sluice/sdk/ir';
import { emitArgo, type GeneratedFile } from '@sluice/targets';
import { compileProject } from '@sluice/compiler';
import { describe, expect, it } from 'vitest';
import { argoDocuments, argoProjectProblems, argoSchemaProblems } from '../../../test/helpers/argo-checks.js';
import { argoChecklist } from '../../../test/helpers/checklists.js';
import { irOf } from '../../../test/helpers/ir.js';
import { examplesWithConfig, REPO_ROOT } from '../../../test/helpers/project.js';

const nightly = pipeline('nightly-build-for-the-finance-and-marketing-teams', {
  triggers: [trigger.schedule('0 2 * * *', { timezone: 'Europe/Paris' }), trigger.schedule('0 14 * * 1-5'), trigger.manual()],
  inputs: { select: input.string({ default: 'tag:nightly' }), fullRefresh: input.boolean({ default: false }), mode: input.choice({ options: ['fast', 'safe'], default: 'safe' }) },
  env: { WAREHOUSE_PASSWORD: secret('WAREHOUSE_PASSWORD'), REGION: 'eu' },
  steps: ({ inputs }) => {
    const run = dbt.build({ select: inputs.select, fullRefresh: inputs.fullRefresh, retries: 2, timeoutMinutes: 90 });
    const docs = dbt.docs({ needs: run, allowFailure: true });
    const publish = upload.gcs({ from: docs.site, to: 'gs://docs/' });
    const onFailure = shell(['echo', 'investigate'], { needs: run, if: when.failure() });
    const alert = notify.slack({ webhook: secret('SLACK_WEBHOOK'), needs: [run, publish], if: when.always() });
    return { run, docs, upload: publish, onFailure, notify: alert };
  },
});
const ir = irOf(nightly);
const options = { image: 'ghcr.io/acme/dbt@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', secrets: { WAREHOUSE_PASSWORD: { name: 'warehouse', key: 'password' } } };

async function allManifests(): Promise<GeneratedFile[]> {
  const files = [...emitArgo(ir, options).files];
  for (const example of examplesWithConfig()) {
    const result = await compileProject({ cwd: `${REPO_ROOT}/examples/${example}`, target: 'argo' });
    files.push(...result.files.map((file) => ({ ...file, path: `${example}/${file.path}` })));
  }
  return files;
}

describe('every emitted manifest', async () => {
  const manifests = await allManifests();
  const specs = (content: string) => argoDocuments(content).filter((d) => d.kind === 'WorkflowTemplate').map((d) => d.spec as Record<string, any>);

  it('there are manifests to check', () => expect(manifests.length).toBeGreaterThanOrEqual(2));
  it.each(manifests)('$path passes Argo’s schema', ({ content }) => expect(argoSchemaProblems(content)).toEqual([]));
  it.each(manifests)('$path passes the checks the schema misses', ({ content }) => expect(argoProjectProblems(content)).toEqual([]));
  it.each(manifests)('$path: every property of the security checklist holds', ({ content }) => {
    expect(argoChecklist(content)).toEqual([]);
  });
  it.each(manifests)('$path: secret values come from secretKeyRef, not literals', ({ content }) => {
    for (const spec of specs(content)) {
      for (const template of spec.templates.filter((t: any) => t.container)) {
        for (const variable of template.container.env ?? []) {
          if (/PASSWORD|SECRET|WEBHOOK/.test(variable.name) && !variable.name.startsWith('SLUICE_INPUT')) expect(variable.valueFrom?.secretKeyRef, variable.name).toBeTruthy();
        }
      }
    }
  });
  it.each(manifests)('$path: deadlines, podGC and ttlStrategy are set', ({ content }) => {
    for (const spec of specs(content)) {
      expect(spec.activeDeadlineSeconds).toBeGreaterThan(0);
      expect(spec.podGC.strategy).toBeTruthy();
      expect(spec.ttlStrategy.secondsAfterSuccess).toBeGreaterThan(0);
      expect(spec.templates.find((t: any) => t.name === 'main').dag.failFast).toBe(false);
    }
  });
  it.each(manifests)('$path: no Argo template syntax except our own parameters and statuses', ({ content }) => {
    const uses = [...content.matchAll(/\{\{([^}]*)\}\}/g)].map((match) => match[1] as string);
    for (const use of uses) expect(use).toMatch(/^(workflow\.parameters\.[A-Za-z0-9_]+|workflow\.(status|name|namespace)|tasks\.[a-z0-9-]+\.status|inputs\.parameters\.phases)$/);
  });
});

describe('the emitted workflow', () => {
  const documents = argoDocuments(emitArgo(ir, options).files[0]?.content ?? '');
  const template = documents.find((d) => d.kind === 'WorkflowTemplate') as any;
  const templates = new Map<string, any>(template.spec.templates.map((t: any) => [t.name, t]));
  const tasks = new Map<string, any>(templates.get('main').dag.tasks.map((t: any) => [t.name, t]));

  it('long names are shortened deterministically with a hash, CronWorkflows to 52', () => {
    expect(template.metadata.name.length).toBeLessThanOrEqual(63);
    const crons = documents.filter((d) => d.kind === 'CronWorkflow');
    expect(crons).toHaveLength(2);
    for (const cron of crons) expect(cron.metadata.name.length).toBeLessThanOrEqual(52);
    expect(new Set(crons.map((c) => c.metadata.name)).size).toBe(2);
  });
  it('one CronWorkflow per schedule, with its time zone, Forbid, a deadline and history limits', () => {
    const cron = documents.find((d) => d.kind === 'CronWorkflow') as any;
    expect(cron.spec).toMatchObject({ schedules: ['0 2 * * *'], timezone: 'Europe/Paris', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 300, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
    expect(cron.spec.workflowSpec.workflowTemplateRef.name).toBe(template.metadata.name);
  });
  it('inputs are parameters with defaults and enums; they reach commands as env, not in a shell line', () => {
    expect(template.spec.arguments.parameters).toEqual([
      { name: 'select', value: 'tag:nightly' },
      { name: 'fullRefresh', value: 'false', enum: ['true', 'false'] },
      { name: 'mode', value: 'safe', enum: ['fast', 'safe'] },
    ]);
    const run = templates.get('step-run').container;
    // Through an annotation and the downward API: valueFrom is never $(VAR)-expanded by the kubelet.
    expect(run.env).toContainEqual({ name: 'SLUICE_INPUT_select', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['inputs.sluice.dev/select']" } } });
    expect(templates.get('step-run').metadata.annotations['inputs.sluice.dev/select']).toBe('{{workflow.parameters.select}}');
    expect(run.command.join(' ')).not.toContain('{{');
  });
  it('retries with backoff and a step deadline', () => {
    expect(templates.get('step-run').retryStrategy).toEqual({ limit: 2, retryPolicy: 'Always', backoff: { duration: '30s', factor: 2, maxDuration: '10m' } });
    expect(templates.get('step-run').activeDeadlineSeconds).toBe(5400);
  });
  it('the notifier is the exit handler; the verdict is the only leaf of the main DAG', () => {
    expect(template.spec.onExit).toBe('sluice-exit');
    expect(templates.get('sluice-exit').dag.tasks.map((t: any) => t.name)).toEqual(['notify']);
    const dependedOn = new Set([...tasks.values()].flatMap((t: any) => [...(t.depends ?? '').matchAll(/([a-z0-9-]+)\./g)].map((m) => m[1])));
    expect([...tasks.keys()].filter((name) => !dependedOn.has(name))).toEqual(['sluice-verdict']);
    // failure(): a failed set-up (sluice-prepare) or a failed upstream step.
    expect(tasks.get('on-failure').depends).toBe('(!(sluice-prepare.Succeeded) || (run.Failed || run.Errored))');
    expect(tasks.get('sluice-verdict').arguments.parameters[0].value).not.toContain('docs=');
  });
  it('secrets map to Kubernetes Secrets from the config', () => {
    expect(templates.get('step-run').container.env).toContainEqual({ name: 'WAREHOUSE_PASSWORD', valueFrom: { secretKeyRef: { name: 'warehouse', key: 'password' } } });
    expect(templates.get('step-notify').container.env).toContainEqual({ name: 'SLUICE_SLACK_WEBHOOK_URL', valueFrom: { secretKeyRef: { name: 'sluice-secrets', key: 'SLACK_WEBHOOK' } } });
  });
});

describe('refusals name the pipeline, the step and the way out', () => {
  const refuse = (sluiceIR: SluiceIR, config = options) => emitArgo(sluiceIR, config).diagnostics;

  it('a pull request trigger, unless eventTriggers is ignore', () => {
    const pr = irOf(pipeline('pr', { triggers: [trigger.pullRequest()], steps: () => ({ run: dbt.build() }) }));
    const diagnostics = refuse(pr);
    expect(diagnostics.map((d) => d.code)).toEqual([E.TARGET_UNSUPPORTED]);
    expect(diagnostics[0]?.path).toEqual(['pipeline pr', 'target argo']);
    expect(diagnostics[0]?.hint).toContain("eventTriggers: 'ignore'");
    expect(emitArgo(pr, { ...options, eventTriggers: 'ignore' }).diagnostics).toEqual([]);
  });
  it('a step that needs an always() step, and always() mixed with status checks', () => {
    const mixed = irOf(
      pipeline('mixed', {
        triggers: [trigger.manual()],
        steps: () => {
          const run = dbt.build();
          const cleanup = shell(['true'], { needs: run, if: when.always() });
          const after = shell(['true'], { needs: cleanup });
          const odd = shell(['true'], { needs: run, if: when.or(when.always(), when.failed(run)) });
          return { run, cleanup, after, odd };
        },
      }),
    );
    expect(refuse(mixed).map((d) => `${d.code} ${d.path.join(' > ')}`)).toEqual([
      'SLUICE_E_TARGET_UNSUPPORTED pipeline mixed > step after > target argo',
      'SLUICE_E_TARGET_UNSUPPORTED pipeline mixed > step odd > target argo',
    ]);
  });
  it('ids that collide once made Kubernetes names', () => {
    const clash = irOf(pipeline('clash', { triggers: [trigger.manual()], steps: () => ({ dbt_run: dbt.run(), 'dbt-run': dbt.test() }) }));
    expect(refuse(clash).map((d) => d.code)).toEqual([E.NAME_COLLISION]);
  });
  it("a user string containing '{{'", () => {
    // The compiler's string checker refuses '{{' first; the emitter's own check is the second line of defence.
    const valid = irOf(pipeline('templated', { triggers: [trigger.manual()], steps: () => ({ run: dbt.build({ vars: { day: 'TEMPLATE' } }) }) }));
    const templated = JSON.parse(JSON.stringify(valid).replace('TEMPLATE', '{{workflow.name}}')) as typeof valid;
    expect(refuse(templated).map((d) => d.code)).toEqual([E.EXPRESSION_IN_STRING]);
  });
  it('no image, or the default service account', () => {
    const plain = irOf(pipeline('plain', { triggers: [trigger.manual()], steps: () => ({ run: dbt.build() }) }));
    expect(refuse(plain, {} as typeof options).map((d) => d.code)).toEqual([E.TARGET_UNSUPPORTED]);
    expect(refuse(plain, { ...options, serviceAccountName: 'default' } as typeof options).map((d) => d.code)).toEqual([E.CONFIG_INVALID]);
  });
});

describe('the validators can fail', () => {
  it('the schema rejects a wrong type and our checks a missing template and a cycle', () => {
    const broken = `apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata:\n  name: Bad_Name\nspec:\n  entrypoint: nowhere\n  activeDeadlineSeconds: soon\n  templates:\n    - name: main\n      dag:\n        tasks:\n          - { name: a, template: main, depends: b.Succeeded }\n          - { name: b, template: main, depends: a.Succeeded }\n`;
    expect(argoSchemaProblems(broken).length).toBeGreaterThan(0);
    const problems = argoProjectProblems(broken).join('\n');
    expect(problems).toContain('missing template nowhere');
    expect(problems).toContain('cycle');
    expect(problems).toContain('Bad_Name');
  });
});
