/**
 * Hostile Argo settings and overrides through the real CLI, as a user meets them: a coded error with
 * the setting or override path, no stack trace, exit 1, and nothing written.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { makeProject, SLUICE_BIN, snapshotTree } from '../../../test/helpers/project.js';

const PIPELINE = "import { dbt, pipeline, trigger } from '@sluice/sdk';\nexport const nightly = pipeline('nightly', { triggers: [trigger.schedule('0 2 * * *')], steps: () => ({ run: dbt.build() }) });\n";
const config = (argo: string): string => `import { defineConfig } from '@sluice/sdk';\nexport default defineConfig({ target: 'argo', targets: { argo: { image: 'ghcr.io/acme/dbt:1.10.2', ${argo} } } });\n`;

const cases: { name: string; argo: string; code: string; path: string }[] = [
  { name: "'{{' in an image pull secret", argo: "imagePullSecrets: ['{{workflow.parameters.x}}']", code: 'SLUICE_E_EXPRESSION_IN_STRING', path: 'targets.argo.imagePullSecrets.0' },
  { name: "'{{' in a resources key", argo: "resources: { limits: { '{{=1}}': '1' } }", code: 'SLUICE_E_EXPRESSION_IN_STRING', path: 'targets.argo.resources.limits.{{=1}}' },
  { name: 'a wrong type', argo: 'runAsUser: "root"', code: 'SLUICE_E_CONFIG_INVALID', path: 'targets.argo.runAsUser' },
  { name: 'an override returning a Proxy', argo: 'override: (o) => new Proxy(o, {})', code: 'SLUICE_E_OVERRIDE_UNSAFE', path: 'targets.argo.override' },
  { name: 'an override that throws a non-Error', argo: "override: () => { throw 'no'; }", code: 'SLUICE_E_OVERRIDE_UNSAFE', path: 'targets.argo.override' },
  { name: 'an override adding a hostPath', argo: "override: (o) => o.kind === 'WorkflowTemplate' ? { ...o, spec: { ...o.spec, volumes: [{ name: 'h', hostPath: { path: '/' } }] } } : o", code: 'SLUICE_E_OVERRIDE_UNSAFE', path: 'spec.volumes[0].hostPath' },
  { name: "an override Argo's schema rejects", argo: "override: (o) => o.kind === 'WorkflowTemplate' ? { ...o, spec: { ...o.spec, activeDeadlineSeconds: 'soon' } } : o", code: 'SLUICE_E_OVERRIDE_UNSAFE', path: 'targets.argo.override' },
];

describe('hostile Argo settings through the CLI', () => {
  it.each(cases)('$name: $code, nothing written', ({ argo, code, path }) => {
    const dir = makeProject({ 'sluice.config.ts': config(argo), 'pipeline.ts': PIPELINE });
    const before = snapshotTree(dir);
    const result = spawnSync(process.execPath, [SLUICE_BIN, 'compile'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain(code);
    expect(result.stderr).toContain(path);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(snapshotTree(dir)).toEqual(before);
  });
});
