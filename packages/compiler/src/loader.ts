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
import { DIAGNOSTIC_CODES, parseFrame, type Diagnostic, type SourceLocation } from '@sluice/sdk/ir';

interface LoadedModule {
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


/** Rule "bounded evaluation": the default time pipeline.ts and the config get to evaluate. */
export const DEFAULT_EVALUATION_TIMEOUT_SECONDS = 10;

export interface LoadOptions {
  /** Seconds the module (and every exported pipeline's `steps`) may take before it is refused. */
  timeoutSeconds?: number;
}

export async function loadTypeScriptModule(root: string, file: string, options: LoadOptions = {}): Promise<LoadResult> {
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
    let stack = '';
    try {
      stack = error instanceof Error ? String(error.stack ?? '') : '';
    } catch {
      // A Proxy or a getter as the stack: no location.
    }
    for (const frame of stack.split('\n').slice(1)) {
      const location = parseFrame(frame);
      if (location?.file === bundlePath) return mapLocation(location);
    }
    return undefined;
  };
  try {
    writeFileSync(bundlePath, output.js);
    const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_EVALUATION_TIMEOUT_SECONDS;
    if (!(await finishesInTime(pathToFileURL(bundlePath).href, timeoutSeconds * 1000))) {
      return {
        ok: false,
        diagnostics: [
          {
            code: DIAGNOSTIC_CODES.EVALUATION_TIMEOUT,
            message: `${relative(root, file)} did not finish evaluating within ${timeoutSeconds} s (an endless loop, or a promise that never settles, at module level or in a pipeline's steps).`,
            hint: 'Fix the loop or the wait; if the module is only slow, raise evaluationTimeoutSeconds in sluice.config.ts or SLUICE_EVALUATION_TIMEOUT.',
            path: [relative(root, file)],
            location: { file: relative(root, file), line: 1, column: 1 },
          },
        ],
      };
    }
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
          // A thrown non-Error has no stack: point at the file rather than nowhere.
          location: locateError(error) ?? { file: relative(root, file), line: 1, column: 1 },
        },
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Evaluates the bundle once in a worker thread, calling every exported pipeline's `steps` too, and
 * says whether it finished in time. A worker can be terminated mid-loop; the compiler's own thread
 * cannot. Errors are not reported here: the in-process load that follows reports them with their
 * location. The worker's console output is discarded (the real evaluation prints it once).
 */
async function finishesInTime(bundleUrl: string, timeoutMs: number): Promise<boolean> {
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(PROBE, { eval: true, workerData: { url: bundleUrl }, stdout: true, stderr: true });
  worker.stdout.resume();
  worker.stderr.resume();
  return new Promise<boolean>((resolve) => {
    let settled = false;
    const settle = (finished: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(finished);
    };
    // The clock starts once the worker runs, so a busy machine's thread start-up is not counted.
    let timer: NodeJS.Timeout | undefined;
    worker.once('online', () => (timer = setTimeout(() => settle(false), timeoutMs)));
    worker.once('message', () => settle(true));
    worker.once('error', () => settle(true));
    // Exiting without a message: a top-level await that never settles.
    worker.once('exit', () => settle(false));
  });
}

const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const BRAND = Symbol.for('sluice.dsl');
const done = () => parentPort.postMessage('done');
import(workerData.url).then((exports) => {
  for (const value of Object.values(exports)) {
    try {
      if (value && value[BRAND] === 'pipeline') value.spec.steps({ inputs: value.inputRefs });
    } catch {}
  }
  done();
}, done);
`;

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

/** A one-line description of anything thrown: an Error, a string, a symbol, a Proxy, null. */
export function errorMessage(error: unknown): string {
  try {
    if (error instanceof Error) return String(error.message).split('\n', 1)[0] as string;
    if (typeof error === 'string') return error.split('\n', 1)[0] as string;
    if (typeof error === 'object' && error !== null) return `a thrown ${Object.prototype.toString.call(error).slice(8, -1)} that is not an Error`;
    return `${String(error)} (not an Error)`;
  } catch {
    return 'a thrown value that cannot be printed';
  }
}

function withLocation(location: SourceLocation | undefined): { location?: SourceLocation } {
  return location ? { location } : {};
}
