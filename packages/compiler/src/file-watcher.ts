/**
 * Watches a set of files for `compile --watch`, through the directories that hold them.
 *
 * Not the files themselves: an editor's atomic save writes a temporary file and renames it over the
 * original, which replaces the inode a file watch follows (the watch goes quiet after the first
 * save). A directory watch sees the rename, a delete, a create and vim's rename-to-backup.
 *
 * A file whose directory does not exist (yet, or any more) is watched through its nearest existing
 * ancestor: the event that creates the missing directory reports a change, and the next `watch()`
 * (after the compile it started) moves the watch down. A watched directory that was deleted or
 * replaced (another inode at the same path) is watched anew by the next `watch()`.
 */
import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface FileWatcher {
  /** Watches exactly these files (absolute paths) from now on; closes the watches no file needs. */
  watch(files: Iterable<string>): void;
  readonly files: ReadonlySet<string>;
  close(): void;
}

interface DirectoryWatch {
  watcher: FSWatcher;
  /**
   * Which directory is watched: a directory deleted and created again is another one, often with
   * the same inode number (Linux reuses it at once), so its birth time counts too.
   */
  identity: string;
}

/**
 * `onChange` runs on every event about a watched file, a directory on the way to one, or a path
 * `alsoWhen` accepts (an event in a watched directory, e.g. a new module while an import fails).
 */
export function createFileWatcher(onChange: () => void, alsoWhen: (path: string) => boolean = () => false): FileWatcher {
  const watches = new Map<string, DirectoryWatch>();
  let files = new Set<string>();
  let ancestors = new Set<string>();
  const relevant = (path: string): boolean => files.has(path) || ancestors.has(path) || alsoWhen(path);

  const open = (directory: string, identity: string): void => {
    try {
      const watcher = watch(directory, (_event, name) => {
        if (name === null) return onChange();
        // The directory itself deleted or moved (Linux names it by its base name): the watch is
        // dead, and the next watch() opens one on whatever is at that path then.
        if (name.toString() === basename(directory) && identityOf(directory) !== identity) {
          closeWatch(directory);
          return onChange();
        }
        if (relevant(join(directory, name.toString()))) onChange();
      });
      // An 'error' event nobody listens to would end the process (Windows reports a watched
      // directory's removal so); the next watch() opens it again if it is back.
      watcher.on('error', () => {
        closeWatch(directory);
        onChange();
      });
      watches.set(directory, { watcher, identity });
    } catch {
      // Gone between the stat and the watch: the event that removed it already reported a change.
    }
  };
  const closeWatch = (directory: string): void => {
    watches.get(directory)?.watcher.close();
    watches.delete(directory);
  };

  return {
    get files() {
      return files;
    },
    watch(next) {
      files = new Set(next);
      ancestors = new Set([...files].flatMap(directoriesAbove));
      const wanted = new Map<string, string>();
      for (const file of files) {
        const found = nearestExistingDirectory(dirname(file));
        if (found) wanted.set(found.path, found.identity);
      }
      for (const [directory, { identity }] of watches) if (wanted.get(directory) !== identity) closeWatch(directory);
      for (const [directory, identity] of wanted) if (!watches.has(directory)) open(directory, identity);
    },
    close() {
      for (const directory of [...watches.keys()]) closeWatch(directory);
    },
  };
}

/** Every directory above `file`, nearest first. */
function directoriesAbove(file: string): string[] {
  const found: string[] = [];
  for (let directory = dirname(file); !found.includes(directory); directory = dirname(directory)) found.push(directory);
  return found;
}

function nearestExistingDirectory(start: string): { path: string; identity: string } | undefined {
  for (const directory of directoriesAbove(join(start, 'x'))) {
    const identity = identityOf(directory);
    if (identity !== undefined) return { path: directory, identity };
  }
  return undefined;
}

/** The directory at `path` (device, inode, birth time), or undefined when there is none. */
function identityOf(path: string): string | undefined {
  try {
    const stats = statSync(path);
    return stats.isDirectory() ? `${stats.dev}:${stats.ino}:${stats.birthtimeMs}` : undefined;
  } catch {
    return undefined;
  }
}
