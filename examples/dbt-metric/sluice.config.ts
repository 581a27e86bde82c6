import { defineConfig } from '@sluice/sdk';

export default defineConfig({
  entry: 'pipeline.ts',
  target: 'github',
  targets: {
    github: { runsOn: 'ubuntu-24.04' },
  },
});
