/**
 * Turning generated files into changes on disk, safely. Rule "output confinement" (docs/security.md):
 * - every output path resolves inside the project: no absolute path, no `..`, and no existing
 *   component (directory or file) is a symbolic link, so realpath(output) is inside realpath(root);
 *   and nothing goes inside `.git/`;
 * - a file is replaced or deleted only when it starts with our exact header (`readHeader`) and that
 *   header names the owner being written (`compile --target argo` never touches a GitHub file);
 * - every conflict (a directory where a file goes, two outputs on one path, a foreign file) is
 *   found while planning, before the first write; a plan with refusals writes nothing;
 * - every write is atomic (temp file in the same directory, then rename);
 * - `--check` computes the same changes and writes nothing.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { DIAGNOSTIC_CODES, type Diagnostic } from '@sluice/sdk/ir';
import { readHeader, type GeneratedFile, type HeaderOwner } from '@sluice/targets';

const TEMP_SUFFIX = /\.sluice-tmp-\d+$/;

export interface FileChange {
  path: string;
  /** A leftover temp file to remove (not reported as a change of generated output). */
  stale?: true;
  before?: string;
  after?: string;
  executable?: boolean;
}

export interface ChangePlan {
  changes: FileChange[];
  refusals: Diagnostic[];
}

export interface PlanOptions {
  /**
   * The owners being written (the compiled targets, plus `docs` for the pipelines page): only their
   * generated files that are no longer produced are deleted. Default: the owners of `files`.
   */
  owners?: readonly HeaderOwner[];
}

export function planChanges(root: string, files: readonly GeneratedFile[], outputDirs: readonly string[], options: PlanOptions = {}): ChangePlan {
  const changes: FileChange[] = [];
  const refusals: Diagnostic[] = [];
  const realRoot = safeRealpath(root) ?? root;
  const owners = new Set<HeaderOwner>(options.owners ?? files.flatMap((file) => readHeader(file.content)?.owner ?? []));
  const produced = new Set<string>();
  for (const file of files) {
    const path = normalise(file.path);
    const unsafe = confinementProblem(realRoot, path);
    if (unsafe) {
      refusals.push(outside(file.path, unsafe));
      continue;
    }
    if (produced.has(path)) {
      refusals.push(conflict(file.path, 'two generated files have this path', 'Give the targets different directories in sluice.config.ts.'));
      continue;
    }
    produced.add(path);
    const existing = statIfExists(join(realRoot, path));
    if (existing?.isDirectory()) {
      refusals.push(conflict(file.path, 'a directory is in the way of this generated file', 'Move that directory, or point the target elsewhere in sluice.config.ts.'));
      continue;
    }
    const parentProblem = parentNotDirectory(realRoot, path);
    if (parentProblem) {
      refusals.push(conflict(file.path, `${parentProblem} is a file, not a directory`, 'Move that file, or point the target elsewhere in sluice.config.ts.'));
      continue;
    }
    const before = existing ? readIfExists(join(realRoot, path)) : undefined;
    if (before === file.content) continue;
    if (before !== undefined) {
      const header = readHeader(before);
      const owner = header?.owner;
      const newOwner = readHeader(file.content)?.owner;
      if (header === undefined || (!header.legacy && owner !== newOwner)) {
        refusals.push({
          code: DIAGNOSTIC_CODES.NOT_GENERATED,
          message: owner === undefined
            ? `${file.path} exists and does not start with Sluice's header; it was left as it is.`
            : `${file.path} was generated for ${owner}, not for ${newOwner ?? 'this output'}; it was left as it is.`,
          hint: 'Move or delete that file (or point the target at another directory in sluice.config.ts), then compile again.',
          path: [file.path],
        });
        continue;
      }
    }
    changes.push({ path, ...(before !== undefined ? { before } : {}), after: file.content, ...(file.executable ? { executable: true } : {}) });
  }
  for (const dir of [...new Set(outputDirs.map(normalise))].sort()) {
    const unsafe = confinementProblem(realRoot, dir);
    if (unsafe) {
      refusals.push(outside(dir, unsafe));
      continue;
    }
    if (!statIfExists(join(realRoot, dir))?.isDirectory()) continue;
    for (const name of readdirSync(join(realRoot, dir)).sort()) {
      const path = dir === '.' ? name : join(dir, name);
      if (produced.has(path)) continue;
      const stat = statIfExists(join(realRoot, path));
      if (!stat?.isFile()) continue; // directories and symbolic links are never ours to delete
      // A temp file left by a compile that was killed mid-write: never a complete file, always ours.
      if (TEMP_SUFFIX.test(name)) {
        changes.push({ path, stale: true });
        continue;
      }
      const content = readIfExists(join(realRoot, path));
      const owner = content === undefined ? undefined : readHeader(content)?.owner;
      if (content !== undefined && owner !== undefined && owners.has(owner)) changes.push({ path, before: content });
    }
  }
  return { changes, refusals };
}

/** Applies a plan that has no refusals. Paths were confined while planning. */
export function applyChanges(root: string, changes: readonly FileChange[]): void {
  for (const change of changes) {
    const absolute = join(root, change.path);
    if (change.after === undefined) {
      rmSync(absolute, { force: true });
      continue;
    }
    mkdirSync(dirname(absolute), { recursive: true });
    const temporary = `${absolute}.sluice-tmp-${process.pid}`;
    writeFileSync(temporary, change.after, { mode: change.executable ? 0o755 : 0o644 });
    renameSync(temporary, absolute);
  }
}

/** A unified diff of one change (the diff library is loaded only when a diff is printed). */
export async function unifiedDiff(change: FileChange): Promise<string> {
  const { createTwoFilesPatch } = await import('diff');
  return createTwoFilesPatch(`a/${change.path}`, `b/${change.path}`, change.before ?? '', change.after ?? '', undefined, undefined, { context: 3 });
}

/**
 * Why `path` (relative to the real root) is not confined to the project, or undefined. Lexical
 * first (absolute, `..`, empty), then on disk: no existing component may be a symbolic link, and
 * the realpath of the deepest existing ancestor must be inside the root.
 */
function confinementProblem(realRoot: string, path: string): string | undefined {
  if (path === '' || isAbsolute(path) || /^[A-Za-z]:/.test(path)) return 'it is not a path relative to the project';
  const parts = path.split(/[\\/]+/);
  if (parts.includes('..')) return 'it climbs out of the project with ..';
  // Git's own directory holds hooks and config git runs or reads: never ours to write (any case,
  // for case-insensitive file systems).
  if (parts.some((part) => part.toLowerCase() === '.git')) return "it is inside the repository's .git directory";
  let current = realRoot;
  for (const part of parts) {
    if (part === '.' || part === '') continue;
    current = join(current, part);
    const stat = lstatIfExists(current);
    if (!stat) break;
    if (stat.isSymbolicLink()) return `${relative(realRoot, current)} is a symbolic link`;
  }
  const real = safeRealpath(deepestExisting(join(realRoot, path), realRoot));
  if (real === undefined || (real !== realRoot && !real.startsWith(realRoot + sep))) return 'it resolves outside the project';
  return undefined;
}

function deepestExisting(absolute: string, stop: string): string {
  let current = absolute;
  while (current !== stop && lstatIfExists(current) === undefined) {
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return current;
}

function parentNotDirectory(realRoot: string, path: string): string | undefined {
  let current = dirname(path);
  while (current !== '.' && current !== '') {
    const stat = statIfExists(join(realRoot, current));
    if (stat && !stat.isDirectory()) return current;
    current = dirname(current);
  }
  return undefined;
}

function outside(path: string, why: string): Diagnostic {
  return {
    code: DIAGNOSTIC_CODES.OUTPUT_OUTSIDE_PROJECT,
    message: `Refusing to write ${JSON.stringify(path)}: ${why}.`,
    hint: 'Generated files stay inside the project: give a relative path without `..` or symbolic links in sluice.config.ts.',
    path: [path],
  };
}

function conflict(path: string, why: string, hint: string): Diagnostic {
  return { code: DIAGNOSTIC_CODES.OUTPUT_CONFLICT, message: `Cannot write ${path}: ${why}.`, hint, path: [path] };
}

function normalise(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '') || '.';
}

function safeRealpath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function lstatIfExists(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function statIfExists(path: string): Stats | undefined {
  return lstatIfExists(path);
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
