/**
 * The container entrypoint: one bash script for every pipeline, `entrypoint.sh <pipeline>`: the
 * shared bash runner (shared/runner.ts) with nothing added.
 */
import type { EntrypointTargetConfig, SluiceIR } from '@sluice/sdk';
import { commentLine, headerLines } from '../shared/header.js';
import { githubOnlyRefusals } from '../shared/refusals.js';
import { renderRunner } from '../shared/runner.js';
import type { EmitResult, Target } from '../types.js';
import { ENTRYPOINT_DEFAULTS } from './options.js';

export { ENTRYPOINT_DEFAULTS };

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
  });
  return { files: [{ path, content, executable: true }], diagnostics: [] };
}

function parentDir(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : path.slice(0, slash);
}
