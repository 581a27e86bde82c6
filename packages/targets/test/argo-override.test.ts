/**
 * targets.argo.override may add settings, not holes. Each bypass attempt below must end as a coded
 * error (SLUICE_E_OVERRIDE_UNSAFE) naming the pipeline and the path inside the object, with nothing
 * emitted; legitimate overrides still pass Argo's schema and the project's checks.
 */
import { DIAGNOSTIC_CODES as E, dbt, input, pipeline, secret, shell, trigger } from '@sluice/sdk/ir';
import { emitArgo, type EmitResult } from '@sluice/targets';
import { emitFor } from '@sluice/compiler';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pipelineArbitrary } from '../../../test/helpers/arbitraries.js';
import { argoDocuments, argoProjectProblems, argoSchemaProblems } from '../../../test/helpers/argo-checks.js';
import { argoChecklist } from '../../../test/helpers/checklists.js';
import { irOf } from '../../../test/helpers/ir.js';

const ir = irOf(
  pipeline('nightly', {
    triggers: [trigger.schedule('0 2 * * *'), trigger.manual()],
    inputs: { note: input.string({ default: '' }) },
    env: { WAREHOUSE_PASSWORD: secret('WAREHOUSE_PASSWORD') },
    steps: ({ inputs }) => ({ run: dbt.build(), echo: shell(['echo', inputs.note]) }),
  }),
);
const base = { image: 'ghcr.io/acme/dbt:1.10.2' };

type Json = any; // the override receives plain data of any shape
type Override = (object: Json, context: { pipeline: string; kind: string }) => Json;
const onTemplate = (change: (object: Json) => Json): Override => (object, { kind }) => (kind === 'WorkflowTemplate' ? change(object) : object);
const stepRun = (object: Json): Json => object.spec.templates.find((t: Json) => t.name === 'step-run');

function emit(override: Override): EmitResult {
  return emitArgo(ir, { ...base, override });
}

const GOOD_SIDECAR = { name: 'proxy', image: 'envoy:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true } };

const attempts: { attempt: string; override: Override; path: string }[] = [
  {
    attempt: 'a getter that shows the check one value and the writer another',
    override: onTemplate((object) => {
      const container = stepRun(object).container;
      let reads = 0;
      const safe = container.securityContext;
      Object.defineProperty(container, 'securityContext', { enumerable: true, get: () => (reads++ === 0 ? safe : { privileged: true }) });
      return object;
    }),
    path: 'spec.templates[3].container.securityContext',
  },
  { attempt: 'a Proxy around the object', override: onTemplate((object) => new Proxy(object, {})), path: '(the returned value)' },
  {
    attempt: 'a Proxy deep inside',
    override: onTemplate((object) => {
      stepRun(object).container.securityContext = new Proxy({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }, { get: (target, key) => (key === 'privileged' ? true : Reflect.get(target, key)) });
      return object;
    }),
    path: 'spec.templates[3].container.securityContext',
  },
  {
    attempt: 'an instance of a class',
    override: onTemplate((object) => {
      class Metadata {
        name = 'nightly';
        get labels() {
          return {};
        }
      }
      return { ...object, metadata: new Metadata() };
    }),
    path: 'metadata',
  },
  { attempt: 'a function value', override: onTemplate((object) => ({ ...object, status: () => 'ok' })), path: 'status' },
  { attempt: 'an extra document (a list of objects)', override: onTemplate((object) => [object, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' }]), path: '(the object)' },
  { attempt: 'another kind', override: onTemplate((object) => ({ ...object, apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' })), path: 'kind' },
  {
    attempt: 'a resource template that creates objects',
    override: onTemplate((object) => {
      object.spec.templates.push({ name: 'grant', resource: { action: 'create', manifest: 'kind: ClusterRoleBinding' } });
      return object;
    }),
    path: 'spec.templates[5].resource',
  },
  {
    attempt: 'a privileged sidecar',
    override: onTemplate((object) => {
      stepRun(object).sidecars = [{ ...GOOD_SIDECAR, securityContext: { ...GOOD_SIDECAR.securityContext, privileged: true } }];
      return object;
    }),
    path: 'spec.templates[3].sidecars[0].securityContext.privileged',
  },
  {
    attempt: 'a sidecar without a security context',
    override: onTemplate((object) => {
      stepRun(object).sidecars = [{ name: 'proxy', image: 'envoy:1' }];
      return object;
    }),
    path: 'spec.templates[3].sidecars[0].securityContext',
  },
  {
    attempt: 'privilege escalation on the step container',
    override: onTemplate((object) => {
      stepRun(object).container.securityContext.allowPrivilegeEscalation = true;
      return object;
    }),
    path: 'spec.templates[3].container.securityContext.allowPrivilegeEscalation',
  },
  {
    attempt: 'an added capability',
    override: onTemplate((object) => {
      stepRun(object).container.securityContext.capabilities.add = ['SYS_ADMIN'];
      return object;
    }),
    path: 'spec.templates[3].container.securityContext.capabilities.add',
  },
  {
    attempt: 'root at pod level',
    override: onTemplate((object) => {
      object.spec.securityContext = { ...object.spec.securityContext, runAsNonRoot: false, runAsUser: 0 };
      return object;
    }),
    path: 'spec.securityContext.runAsNonRoot',
  },
  {
    attempt: 'seccomp Unconfined',
    override: onTemplate((object) => {
      object.spec.securityContext.seccompProfile = { type: 'Unconfined' };
      return object;
    }),
    path: 'spec.securityContext.seccompProfile',
  },
  {
    attempt: 'an SELinux escape',
    override: onTemplate((object) => {
      stepRun(object).container.securityContext.seLinuxOptions = { type: 'spc_t' };
      return object;
    }),
    path: 'spec.templates[3].container.securityContext.seLinuxOptions',
  },
  {
    attempt: 'AppArmor off by annotation',
    override: onTemplate((object) => ({ ...object, spec: { ...object.spec, podMetadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/main': 'unconfined' } } } })),
    path: 'spec.podMetadata.annotations.container.apparmor.security.beta.kubernetes.io/main',
  },
  {
    attempt: 'a hostPath volume',
    override: onTemplate((object) => {
      object.spec.volumes = [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }];
      stepRun(object).container.volumeMounts.push({ name: 'docker', mountPath: '/var/run/docker.sock' });
      return object;
    }),
    path: 'spec.volumes[0].hostPath',
  },
  {
    attempt: 'the host network',
    override: onTemplate((object) => ({ ...object, spec: { ...object.spec, hostNetwork: true } })),
    path: 'spec.hostNetwork',
  },
  {
    attempt: 'an opaque podSpecPatch',
    override: onTemplate((object) => {
      stepRun(object).podSpecPatch = '{"hostPID": true}';
      return object;
    }),
    path: 'spec.templates[3].podSpecPatch',
  },
  {
    attempt: 'the service account token back in pods',
    override: onTemplate((object) => ({ ...object, spec: { ...object.spec, automountServiceAccountToken: true } })),
    path: 'spec.automountServiceAccountToken',
  },
  {
    attempt: 'a secret replaced by its plain-text value',
    override: onTemplate((object) => {
      const env = stepRun(object).container.env;
      env[env.findIndex((v: Json) => v.name === 'WAREHOUSE_PASSWORD')] = { name: 'WAREHOUSE_PASSWORD', value: 'hunter2' };
      return object;
    }),
    path: 'spec.templates[3].container.env[0]',
  },
  {
    attempt: 'a plain-text value under a secret-like name',
    override: onTemplate((object) => {
      stepRun(object).container.env.push({ name: 'DBT_ENV_SECRET_TOKEN', value: 'abc123' });
      return object;
    }),
    path: 'spec.templates[3].container.env[1].value',
  },
  {
    attempt: 'a plain-text credential under an innocent name',
    override: onTemplate((object) => {
      stepRun(object).container.env.push({ name: 'REGION_HINT', value: 'AKIAABCDEFGHIJKLMNOP' });
      return object;
    }),
    path: 'spec.templates[3].container.env[1].value',
  },
  {
    attempt: 'a whole Secret through envFrom',
    override: onTemplate((object) => {
      stepRun(object).container.envFrom = [{ secretRef: { name: 'everything' } }];
      return object;
    }),
    path: 'spec.templates[3].container.envFrom[0].secretRef',
  },
  {
    attempt: 'a Secret volume',
    override: onTemplate((object) => ({ ...object, spec: { ...object.spec, volumes: [{ name: 'creds', secret: { secretName: 'warehouse' } }] } })),
    path: 'spec.volumes[0].secret',
  },
  {
    attempt: 'a submitted parameter spliced into a shell command',
    override: onTemplate((object) => {
      stepRun(object).container.command = ['sh', '-c', 'dbt build --vars "{{workflow.parameters.note}}"'];
      return object;
    }),
    path: 'spec.templates[3].container.command[2]',
  },
  {
    attempt: 'an Argo expression',
    override: onTemplate((object) => ({ ...object, metadata: { ...object.metadata, annotations: { x: '{{=sprig.env("HOME")}}' } } })),
    path: 'metadata.annotations.x',
  },
  {
    attempt: 'a template from elsewhere (templateRef)',
    override: onTemplate((object) => {
      object.spec.templates[0].dag.tasks.push({ name: 'other', templateRef: { name: 'unchecked', template: 'main' } });
      return object;
    }),
    path: 'spec.templates[0].dag.tasks[4].templateRef',
  },
  {
    attempt: 'an inline template in a DAG task (outside spec.templates)',
    override: onTemplate((object) => {
      object.spec.templates[0].dag.tasks.push({ name: 'inline', inline: { container: { name: 'main', image: 'alpine', securityContext: { allowPrivilegeEscalation: true } } } });
      return object;
    }),
    path: 'spec.templates[0].dag.tasks[4].inline.container.securityContext.allowPrivilegeEscalation',
  },
  {
    attempt: 'a CronWorkflow that runs an inline, privileged spec',
    override: (object, { kind }) => (kind === 'CronWorkflow' ? { ...object, spec: { ...object.spec, workflowSpec: { entrypoint: 'x', templates: [{ name: 'x', container: { image: 'alpine', securityContext: { privileged: true } } }] } } } : object),
    path: 'spec.workflowSpec.workflowTemplateRef',
  },
  ...(['http', 'git', 's3', 'gcs', 'oss', 'hdfs', 'artifactory', 'raw'] as const).flatMap((source) => [
    {
      attempt: `an input artifact from ${source} (red team)`,
      override: onTemplate((object) => {
        stepRun(object).inputs = { ...stepRun(object).inputs, artifacts: [{ name: 'x', path: '/tmp/x', [source]: source === 'raw' ? { data: 'x' } : { url: 'https://evil.example/x', key: 'x' } }] };
        return object;
      }),
      path: 'spec.templates[N].inputs.artifacts[0]',
    },
    {
      attempt: `an output artifact to ${source} (red team)`,
      override: onTemplate((object) => {
        stepRun(object).outputs = { artifacts: [{ name: 'y', path: '/workspace', [source]: { key: 'loot' } }] };
        return object;
      }),
      path: 'spec.templates[N].outputs.artifacts[0]',
    },
  ]),
  {
    attempt: 'a changed executor (red team)',
    override: onTemplate((object) => ({ ...object, spec: { ...object.spec, executor: { serviceAccountName: 'cluster-admin' } } })),
    path: 'spec.executor',
  },
  {
    attempt: 'another service account (red team)',
    override: onTemplate((object) => ({ ...object, spec: { ...object.spec, serviceAccountName: 'cluster-admin' } })),
    path: 'spec.serviceAccountName',
  },
  {
    attempt: 'a template-level service account (red team)',
    override: onTemplate((object) => {
      stepRun(object).serviceAccountName = 'cluster-admin';
      return object;
    }),
    path: 'spec.templates[N].serviceAccountName',
  },
  ...[
    { configMapKeyRef: { name: 'c', key: 'k' } },
    { fieldRef: { fieldPath: 'spec.serviceAccountName' } },
    { resourceFieldRef: { resource: 'limits.cpu' } },
    { fieldRef: { fieldPath: "metadata.annotations['x']" }, configMapKeyRef: { name: 'c', key: 'k' } },
  ].map((valueFrom) => ({
    attempt: `env valueFrom ${Object.keys(valueFrom).join('+')} (red team)`,
    override: onTemplate((object) => {
      stepRun(object).container.env.push({ name: 'X', valueFrom });
      return object;
    }),
    path: 'spec.templates[N].container.env[N].valueFrom',
  })),
  ...[
    (c: Json) => c.env.push({ name: 'X', value: 'a $(WAREHOUSE_PASSWORD) b' }),
    (c: Json) => { c.args = [...(c.args ?? []), '$(WAREHOUSE_PASSWORD)']; },
    (c: Json) => { c.command = ['sh', '-c', 'echo $$$(WAREHOUSE_PASSWORD)']; },
  ].map((change, index) => ({
    attempt: `kubelet $(VAR) expansion in an added value ${index} (red team)`,
    override: onTemplate((object) => {
      change(stepRun(object).container);
      return object;
    }),
    path: 'EXPANSION',
  })),
  {
    attempt: 'a renamed template (the CronWorkflow would run nothing)',
    override: onTemplate((object) => ({ ...object, metadata: { ...object.metadata, name: 'other' } })),
    path: 'metadata.name',
  },
];

describe('targets.argo.override: bypass attempts are refused by name', () => {
  it.each(attempts)('$attempt', ({ override, path }) => {
    const result = emit(override);
    expect(result.files).toEqual([]);
    expect(result.diagnostics.length).toBeGreaterThan(0);
    for (const diagnostic of result.diagnostics) {
      expect(diagnostic.code).toBe(E.OVERRIDE_UNSAFE);
      expect(diagnostic.path.slice(0, 3)).toEqual(['sluice.config.ts', 'targets.argo.override', 'pipeline nightly']);
      expect(diagnostic.message).toContain("pipeline 'nightly'");
    }
    const paths = result.diagnostics.map((d) => d.path.at(-1));
    if (path === 'EXPANSION') expect(paths.some((p) => /\.(?:env\[\d+\]\.value|args\[\d+\]|command\[\d+\])$/.test(String(p)))).toBe(true);
    else if (path.includes('[N]')) expect(paths.some((p) => new RegExp(`^${path.replace(/[.[\]]/g, '\\$&').replaceAll('\\[N\\]', '\\[\\d+\\]')}$`).test(String(p)))).toBe(true);
    else expect(paths).toContain(path);
  });

  it('a throwing override is a coded error, not a stack trace', () => {
    for (const thrown of [new Error('boom\n    at somewhere'), 'plain string', 42]) {
      const result = emit(() => {
        throw thrown;
      });
      expect(result.files).toEqual([]);
      expect(result.diagnostics.length).toBeGreaterThan(0);
      for (const diagnostic of result.diagnostics) {
        expect(diagnostic.code).toBe(E.OVERRIDE_UNSAFE);
        expect(diagnostic.message).not.toContain('at somewhere');
      }
    }
  });

  it('the override cannot change what Sluice generated for the next object (it gets a copy)', () => {
    let first: Json;
    const result = emit((object, { kind }) => {
      if (kind === 'WorkflowTemplate') {
        first = object;
        return object;
      }
      first.spec.templates.length = 0; // mutating an object already returned changes nothing written
      return object;
    });
    expect(result.diagnostics).toEqual([]);
    expect(argoProjectProblems(result.files[0]?.content ?? '')).toEqual([]);
  });
});

describe('targets.argo.override: what stays allowed', () => {
  const allowed: { change: string; override: Override }[] = [
    { change: 'annotations with the workflow name', override: (object) => ({ ...object, metadata: { ...object.metadata, annotations: { team: 'data', run: '{{workflow.name}}' } } }) },
    {
      change: 'node selection, tolerations and a restricted sidecar',
      override: onTemplate((object) => {
        object.spec.nodeSelector = { pool: 'dbt' };
        object.spec.tolerations = [{ key: 'dedicated', operator: 'Equal', value: 'dbt', effect: 'NoSchedule' }];
        stepRun(object).sidecars = [GOOD_SIDECAR];
        return object;
      }),
    },
    {
      change: 'a plain setting, a configMap volume and a secretKeyRef',
      override: onTemplate((object) => {
        stepRun(object).container.env.push({ name: 'PRICE', value: 'costs $$(5) and $5' }, { name: 'DBT_PROFILES_DIR', value: '/etc/dbt' }, { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'tokens', key: 'api' } } });
        object.spec.volumes = [{ name: 'profiles', configMap: { name: 'dbt-profiles' } }];
        stepRun(object).container.volumeMounts.push({ name: 'profiles', mountPath: '/etc/dbt' });
        return object;
      }),
    },
  ];
  it.each(allowed)('$change', async ({ override }) => {
    const result = emit(override);
    expect(result.diagnostics).toEqual([]);
    expect(await result.lateChecks?.()).toEqual([]);
    const content = result.files[0]?.content ?? '';
    expect(argoSchemaProblems(content)).toEqual([]);
    expect(argoProjectProblems(content)).toEqual([]);
    expect(argoChecklist(content)).toEqual([]);
  });

  it('what is written is the snapshot: a getter-free copy of the result', () => {
    const result = emit(onTemplate((object) => ({ ...object, metadata: { ...object.metadata, annotations: { team: 'data' } } })));
    const template = argoDocuments(result.files[0]?.content ?? '').find((d) => d.kind === 'WorkflowTemplate') as Json;
    expect(template.metadata.annotations).toEqual({ team: 'data' });
  });
});

describe("targets.argo.override: Argo's schema judges the result", () => {
  const invalid: Override = onTemplate((object) => ({ ...object, spec: { ...object.spec, activeDeadlineSeconds: 'soon' } }));
  it('a result the schema rejects is a coded error before anything is written', async () => {
    const result = emit(invalid);
    expect(result.diagnostics).toEqual([]);
    const late = (await result.lateChecks?.()) ?? [];
    expect(late.map((d) => d.code)).toEqual([E.OVERRIDE_UNSAFE]);
    expect(late[0]?.message).toContain('activeDeadlineSeconds');
  });
  it('the compiler runs the schema check: no files', async () => {
    const result = await emitFor(ir, 'argo', { targetOptions: { argo: { ...base, override: invalid } } });
    expect(result.ok).toBe(false);
    expect(result.files).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual([E.OVERRIDE_UNSAFE]);
  });
});

describe('targets.argo.override: the identity override changes nothing', () => {
  it('random pipelines: same bytes, no diagnostics, the schema accepts the snapshot', async () => {
    await fc.assert(
      fc.asyncProperty(pipelineArbitrary(10, { argoExpressible: true }), async (generated) => {
        const single = { irVersion: 1 as const, source: 'pipeline.ts', dbtProjectDir: '.', pipelines: [generated] };
        const plain = emitArgo(single, base);
        const identity = emitArgo(single, { ...base, override: (object) => object });
        expect(identity.diagnostics).toEqual([]);
        expect(identity.files).toEqual(plain.files);
        expect(await identity.lateChecks?.()).toEqual([]);
      }),
      { numRuns: Number(process.env.SLUICE_PROPERTY_RUNS ?? 40) },
    );
  });
});
