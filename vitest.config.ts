import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const { version } = JSON.parse(readFileSync(source('./package.json'), 'utf8')) as { version: string };

export default defineConfig({
  // The one version (root package.json), as scripts/build.mjs stamps it into the built code.
  define: { __SLUICE_VERSION__: JSON.stringify(version) },
  // The inlined @actions packages ship source maps without sources; their warnings are noise.
  logLevel: 'error',
  resolve: {
    // Tests run against the TypeScript sources; the CLI tests spawn the built binary.
    alias: [
      { find: /^@sluice\/sdk\/schema$/, replacement: source('./packages/sdk/src/schema.ts') },
      { find: /^@sluice\/sdk\/ir$/, replacement: source('./packages/sdk/src/internal.ts') },
      { find: /^@sluice\/sdk$/, replacement: source('./packages/sdk/src/index.ts') },
      { find: /^@sluice\/targets$/, replacement: source('./packages/targets/src/index.ts') },
      { find: /^@sluice\/compiler$/, replacement: source('./packages/compiler/src/index.ts') },
    ],
  },
  test: {
    server: {
      // GitHub's parser imports JSON without import attributes; let vite transform it.
      deps: { inline: [/@actions\/(workflow-parser|expressions)/] },
    },
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
