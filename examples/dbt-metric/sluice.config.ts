import { defineConfig } from '@sluice/sdk';

export default defineConfig({
  entry: 'pipeline.ts',
  // The same pipelines for every engine; `sluice compile --target github` picks one.
  target: ['github', 'entrypoint'],
  targets: {
    github: { runsOn: 'ubuntu-24.04' },
    entrypoint: { path: 'docker/entrypoint.sh' },
  },
});
