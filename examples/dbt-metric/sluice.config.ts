import { defineConfig } from '@sluice/sdk';

export default defineConfig({
  entry: 'pipeline.ts',
  pipelinesMarkdown: 'PIPELINES.md',
  // The same pipelines for every engine; `sluice compile --target argo` picks one.
  target: ['github', 'argo', 'entrypoint', 'gitlab'],
  targets: {
    github: { runsOn: 'ubuntu-24.04' },
    argo: {
      namespace: 'data',
      image: 'ghcr.io/acme/dbt-metric:1.10.2',
      serviceAccountName: 'dbt-runner',
      secretName: 'dbt-metric',
      source: { image: '/app' },
      workspace: { size: '5Gi' },
      uiUrl: 'https://argo.acme.internal',
      // slim runs on pull requests, which stay on GitHub Actions; on Argo it can be submitted by hand.
      eventTriggers: 'ignore',
    },
    entrypoint: { path: 'docker/entrypoint.sh' },
  },
});
