import type { SourceLocation } from './ir.js';

// `at fn (file:///a/b.ts:12:5)` or `at file:///a/b.ts:12:5`
const FRAME = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/;

/**
 * Where the user called a DSL function. `fn` is the public DSL function itself: V8 drops it and every
 * frame above it, so the first remaining frame is the user's call site. The compiler enables source
 * maps while loading pipeline.ts, so the frame points into the user's TypeScript source.
 */
export function callSite(fn: Function): SourceLocation | undefined {
  // A host that formats stacks itself (a test runner mapping its own transforms) knows positions we
  // do not: ask it for the formatted stack.
  if ((Error as { prepareStackTrace?: unknown }).prepareStackTrace !== undefined) return formattedCallSite(fn);
  // Otherwise V8's structured call sites: no stack string is formatted and parsed back (this runs
  // for every DSL call, so it is on the hot path of large pipelines).
  const holder: { stack?: unknown } = {};
  const previousLimit = Error.stackTraceLimit;
  const previousPrepare = Error.prepareStackTrace;
  Error.stackTraceLimit = 1;
  Error.prepareStackTrace = (_, frames) => frames;
  try {
    Error.captureStackTrace(holder, fn);
    const frame = (holder.stack as NodeJS.CallSite[] | undefined)?.[0];
    const rawFile = frame?.getFileName();
    const line = frame?.getLineNumber();
    const column = frame?.getColumnNumber();
    if (!rawFile || !line || !column) return undefined;
    return { file: rawFile.startsWith('file://') ? decodeURIComponent(new URL(rawFile).pathname) : rawFile, line, column };
  } finally {
    Error.prepareStackTrace = previousPrepare;
    Error.stackTraceLimit = previousLimit;
  }
}

function formattedCallSite(fn: Function): SourceLocation | undefined {
  const holder: { stack?: string } = {};
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 1;
  Error.captureStackTrace(holder, fn);
  Error.stackTraceLimit = previousLimit;
  const frame = holder.stack?.split('\n')[1];
  return frame ? parseFrame(frame) : undefined;
}

export function parseFrame(frame: string): SourceLocation | undefined {
  const match = FRAME.exec(frame.trim());
  if (!match) return undefined;
  const [, rawFile = '', line = '0', column = '0'] = match;
  const file = rawFile.startsWith('file://') ? decodeURIComponent(new URL(rawFile).pathname) : rawFile;
  return { file, line: Number(line), column: Number(column) };
}
