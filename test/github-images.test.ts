/**
 * Private images on GitHub (`runtime.image(..., { credentials })`): registry account secrets or the
 * job token for ghcr.io become `container.credentials`, accepted by GitHub's parser and actionlint;
 * what GitHub cannot pull (ECR, the job token on another registry) and a literal password are
 * coded errors with the way out.
 */
import { dbt, pipeline, runtime, secret, trigger, type RegistryCredentials } from '@sluice/sdk';
import { buildIR } from '@sluice/compiler';
import { emitGithub } from '@sluice/targets';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { irOf } from './helpers/ir.js';
import { actionlintFindings, githubParserErrors } from './helpers/validators.js';

const nightly = (image: string, credentials?: RegistryCredentials) =>
  pipeline('nightly', {
    triggers: [trigger.schedule('0 5 * * *')],
    runtime: runtime.image(image, credentials === undefined ? {} : { credentials }),
    steps: () => ({ build: dbt.build() }),
  });

interface Job {
  permissions: Record<string, string>;
  container: { image: string; credentials?: { username: string; password: string } };
}

async function emittedJob(ir: ReturnType<typeof irOf>): Promise<Job> {
  const result = emitGithub(ir);
  expect(result.diagnostics).toEqual([]);
  const file = result.files[0] as { path: string; content: string };
  expect(await githubParserErrors(file.path, file.content)).toEqual([]);
  expect(await actionlintFindings(file.path, file.content)).toEqual([]);
  return (parse(file.content) as { jobs: { nightly: Job } }).jobs.nightly;
}

describe('private images on GitHub', () => {
  it('registry account secrets become container.credentials, only as secrets expressions', async () => {
    const job = await emittedJob(irOf(nightly('registry.acme.com/data/dbt:1.10.2', { username: secret('REGISTRY_USER'), password: secret('REGISTRY_PASSWORD') })));
    expect(job.container).toEqual({ image: 'registry.acme.com/data/dbt:1.10.2', credentials: { username: '${{ secrets.REGISTRY_USER }}', password: '${{ secrets.REGISTRY_PASSWORD }}' } });
    expect(job.permissions).toEqual({ contents: 'read' });
  });

  it('a plain account name is written as it is; the password stays a secret', async () => {
    const job = await emittedJob(irOf(nightly('docker.io/acme/dbt:1.10.2', { username: 'acme-ci', password: secret('DOCKERHUB_TOKEN') })));
    expect(job.container.credentials).toEqual({ username: 'acme-ci', password: '${{ secrets.DOCKERHUB_TOKEN }}' });
  });

  it("'github-token' pulls from ghcr.io with the job token and packages: read", async () => {
    const job = await emittedJob(irOf(nightly('ghcr.io/acme/dbt:1.10.2', 'github-token')));
    expect(job.container.credentials).toEqual({ username: '${{ github.actor }}', password: '${{ github.token }}' });
    expect(job.permissions).toEqual({ contents: 'read', packages: 'read' });
  });

  it('a public image has no credentials', async () => {
    expect((await emittedJob(irOf(nightly('ghcr.io/dbt-labs/dbt-postgres:1.9.0')))).container).toEqual({ image: 'ghcr.io/dbt-labs/dbt-postgres:1.9.0' });
  });

  it('an ECR image, and the job token for another registry, are refused with the way out', () => {
    for (const ir of [irOf(nightly('123456789012.dkr.ecr.eu-west-1.amazonaws.com/dbt:1.10.2')), irOf(nightly('123456789012.dkr.ecr.eu-west-1.amazonaws.com/dbt:1.10.2', { username: 'AWS', password: secret('ECR_PASSWORD') })), irOf(nightly('registry.acme.com/dbt:1', 'github-token'))]) {
      const result = emitGithub(ir);
      expect(result.files).toEqual([]);
      expect(result.diagnostics.map((d) => [d.code, d.path])).toEqual([['SLUICE_E_TARGET_UNSUPPORTED', ['pipeline nightly', 'runtime', 'target github']]]);
      expect(result.diagnostics[0]?.hint).toMatch(/runtime\.python|secret\(/);
    }
  });

  it('a literal password, a malformed user name and a bad secret name are coded errors', () => {
    const codes = (credentials: unknown) => buildIR([nightly('registry.acme.com/dbt:1', credentials as RegistryCredentials)]).diagnostics.map((d) => [d.code, d.path.at(-1)]);
    expect(codes({ username: 'ci', password: 'hunter2' })).toEqual([['SLUICE_E_INVALID_REGISTRY_CREDENTIALS', 'runtime credentials']]);
    expect(codes({ username: 'ci\n  options: --privileged', password: secret('P') })).toEqual([['SLUICE_E_INVALID_REGISTRY_CREDENTIALS', 'runtime credentials']]);
    expect(codes({ username: '${{ github.event.issue.title }}', password: secret('P') })).toEqual([['SLUICE_E_INVALID_REGISTRY_CREDENTIALS', 'runtime credentials']]);
    expect(codes({ username: secret('GITHUB_USER'), password: secret('P') }).map(([code]) => code)).toEqual(['SLUICE_E_INVALID_SECRET_NAME']);
  });
});
