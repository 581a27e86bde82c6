/**
 * Loads a user's TypeScript module (pipeline.ts, sluice.config.ts) with no build step on their side:
 * esbuild bundles it in memory, the bundle is imported from a private temp directory, and locations
 * the DSL recorded inside the bundle are mapped back to the user's source through the bundle's
 * source map. `@sluice/sdk` is not bundled: it resolves to the SDK this compiler runs with.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIAGNOSTIC_CODES, parseFrame, type Diagnostic, type SourceLocation } from '@sluice/sdk';

export interface LoadedModule {
  exports: Record<string, unknown>;
  /** Every file the module was built from (absolute paths), for --watch. */
  inputs: string[];
  /** Maps a location recorded while the module ran back to the user's file (relative to the root). */
  mapLocation(location: SourceLocation | undefined): SourceLocation | undefined;
  /** The user's own frame in an error thrown while the module ran. */
  locateError(error: unknown): SourceLocation | undefined;
}

export type LoadResult = { ok: true; module: LoadedModule } | { ok: false; diagnostics: Diagnostic[] };

const sdkEntry = pathToFileURL(createRequire(import.meta.url).resolve('@sluice/sdk')).href;


export async function loadTypeScriptModule(root: string, file: string): Promise<LoadResult> {
  const { build } = await import('esbuild');
  const virtualOut = join(root, '.sluice-bundle.mjs');
  let output: { js: string; map: string; inputs: string[] };
  try {
    const result = await build({
      entryPoints: [file],
      absWorkingDir: root,
      outfile: virtualOut,
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'external',
      sourcesContent: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [
        {
          name: 'sluice-sdk',
          setup(pluginBuild) {
            pluginBuild.onResolve({ filter: /^@sluice\/sdk$/ }, () => ({ path: sdkEntry, external: true }));
          },
        },
      ],
    });
    const js = result.outputFiles.find((f) => f.path.endsWith('.mjs'))?.text ?? '';
    const map = result.outputFiles.find((f) => f.path.endsWith('.map'))?.text ?? '{}';
    const inputs = Object.keys(result.metafile?.inputs ?? {}).filter((input) => !input.includes(':')).map((input) => join(root, input));
    output = { js, map, inputs };
  } catch (error) {
    return { ok: false, diagnostics: buildFailure(root, file, error) };
  }

  const dir = mkdtempSync(join(tmpdir(), 'sluice-load-'));
  const bundlePath = join(dir, 'module.mjs');
  const sourceMap = new SourceMap(JSON.parse(output.map));
  const mapLocation = (location: SourceLocation | undefined): SourceLocation | undefined => {
    if (!location || location.file !== bundlePath) return location;
    const entry = sourceMap.findEntry(location.line - 1, location.column - 1) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
    // Sources are relative to the virtual output file, which sits in the root.
    const original = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : join(root, entry.originalSource);
    return { file: relative(root, original), line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  };
  const locateError = (error: unknown): SourceLocation | undefined => {
    const stack = error instanceof Error ? (error.stack ?? '') : '';
    for (const frame of stack.split('\n').slice(1)) {
      const location = parseFrame(frame);
      if (location?.file === bundlePath) return mapLocation(location);
    }
    return undefined;
  };
  try {
    writeFileSync(bundlePath, output.js);
    const exports = (await import(/* @vite-ignore */ pathToFileURL(bundlePath).href)) as Record<string, unknown>;
    return { ok: true, module: { exports, inputs: output.inputs, mapLocation, locateError } };
  } catch (error) {
    return {
      ok: false,
      diagnostics: [
        {
          code: DIAGNOSTIC_CODES.MODULE_THREW,
          message: `${relative(root, file)} threw while loading: ${errorMessage(error)}`,
          hint: 'Fix the code at this location; pipeline.ts must run without errors.',
          path: [relative(root, file)],
          ...withLocation(locateError(error)),
        },
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface EsbuildMessage {
  text: string;
  location: { file: string; line: number; column: number } | null;
}

function buildFailure(root: string, file: string, error: unknown): Diagnostic[] {
  const messages = (error as { errors?: EsbuildMessage[] }).errors ?? [];
  if (messages.length === 0) {
    return [{ code: DIAGNOSTIC_CODES.SYNTAX, message: `Could not read ${relative(root, file)}: ${errorMessage(error)}`, path: [relative(root, file)] }];
  }
  return messages.map((message) => ({
    code: DIAGNOSTIC_CODES.SYNTAX,
    message: message.text,
    hint: 'Fix the TypeScript syntax at this location.',
    path: [relative(root, file)],
    ...withLocation(message.location ? { file: message.location.file, line: message.location.line, column: message.location.column + 1 } : undefined),
  }));
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function withLocation(location: SourceLocation | undefined): { location?: SourceLocation } {
  return location ? { location } : {};
}
