/**
 * `@sluice/sdk` is what users write pipeline.ts against: the DSL and nothing else. The IR, graph
 * helpers, diagnostics and brand tests are the compiler's business, behind `@sluice/sdk/ir`. A new
 * runtime export here is a public promise: add it to this list on purpose.
 */
import { describe, expect, it } from 'vitest';

const DSL = ['cloud', 'dbt', 'defineConfig', 'input', 'nodeSelector', 'notify', 'pipeline', 'runtime', 'secret', 'selector', 'shell', 'state', 'todo', 'trigger', 'upload', 'when'];

describe('the public API of @sluice/sdk', () => {
  it('exports exactly the DSL at run time, from the source and from the built package', async () => {
    const source = await import('@sluice/sdk');
    expect(Object.keys(source).sort()).toEqual(DSL);
    const built = await import(new URL('../dist/index.js', import.meta.url).href);
    expect(Object.keys(built).sort()).toEqual(DSL);
  });

  it('shares one module with @sluice/sdk/ir, so the compiler recognises what a pipeline built', async () => {
    const [publicApi, internals] = await Promise.all([import(new URL('../dist/index.js', import.meta.url).href), import(new URL('../dist/internal.js', import.meta.url).href)]);
    for (const name of DSL) expect(publicApi[name], name).toBe(internals[name]);
    const made = publicApi.pipeline('nightly', { triggers: [publicApi.trigger.manual()], steps: () => ({}) });
    expect(internals.isPipeline(made)).toBe(true);
    // Compiler internals are not reachable from the public entry point.
    for (const internal of ['isPipeline', 'executionOrder', 'DIAGNOSTIC_CODES', 'checkStrings', 'IR_VERSION']) expect(publicApi).not.toHaveProperty(internal);
  });
});
