/**
 * The container entrypoint: one bash script for every pipeline, `entrypoint.sh <pipeline>`: the
 * shared bash runner (shared/runner.ts) with Kubernetes' shutdown bound, and beside it the launcher
 * (launcher.ts) that runs it in the project's image.
 */
import type { EntrypointTargetConfig, SluiceIR } from '@sluice/sdk/ir';
import { commentLine, headerComment, headerLines } from '../shared/header.js';
import { githubOnlyRefusals } from '../shared/refusals.js';
import { renderRunner } from '../shared/runner.js';
import type { EmitResult, Target } from '../types.js';
import { launcherPath, renderLauncher } from './launcher.js';
import { ENTRYPOINT_DEFAULTS } from './options.js';

export { ENTRYPOINT_DEFAULTS };

/**
 * The shutdown defaults (seconds), overridable at run time by SLUICE_SHUTDOWN_GRACE and
 * SLUICE_KILL_AFTER. Kubernetes sends SIGKILL 30 s (terminationGracePeriodSeconds) after SIGTERM; the
 * script plans to be done 5 s before that. Of the 25 s, the running step gets KILL_AFTER between its
 * SIGINT and a SIGKILL (dbt cancels its warehouse queries in that time), and the always() steps
 * share the rest, each keeping KILL_AFTER for its own SIGKILL.
 */
const SHUTDOWN_DEFAULTS = { graceSeconds: 25, killAfterSeconds: 4 } as const;

export const entrypointTarget: Target<EntrypointTargetConfig> = {
  name: 'entrypoint',
  emit: emitEntrypoint,
  outputDirs: (options) => [parentDir(options.path ?? ENTRYPOINT_DEFAULTS.path)],
};

export function emitEntrypoint(ir: SluiceIR, options: EntrypointTargetConfig = {}): EmitResult {
  const refusals = githubOnlyRefusals(ir, 'entrypoint');
  if (refusals.length > 0) return { files: [], diagnostics: refusals };
  const path = options.path ?? ENTRYPOINT_DEFAULTS.path;
  const content = renderRunner(ir, {
    program: 'entrypoint.sh',
    secretHint: 'pass it in the environment (docker run -e $1, a Kubernetes Secret)',
    header: headerLines({ owner: 'entrypoint', source: ir.source, contents: 'all pipelines' }).map((line) => commentLine(line, 'bash')),
    shutdown: { ...SHUTDOWN_DEFAULTS, why: 'Kubernetes kills at 30' },
    defaultTrigger: 'entrypoint on $(hostname)',
  });
  const launcher = renderLauncher({ entrypointPath: path, dbtProjectDir: ir.dbtProjectDir, header: headerComment({ owner: 'entrypoint', source: ir.source, contents: 'the launcher' }, 'bash') });
  return {
    files: [
      { path, content, executable: true },
      { path: launcherPath(path), content: launcher, executable: true },
    ],
    diagnostics: [],
  };
}

function parentDir(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : path.slice(0, slash);
}
