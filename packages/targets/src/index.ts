// @sluice/targets: one folder per engine, each a pure emit(ir, options) -> files.
import { argoTarget } from './argo/index.js';
import { entrypointTarget } from './entrypoint/index.js';
import { githubTarget } from './github/index.js';

export type { GeneratedFile, EmitResult, Target } from './types.js';
export { githubTarget, emitGithub, ACTION_PINS, SETUP_STEP_ID } from './github/index.js';
export { argoTarget, emitArgo, ARGO_DEFAULTS, dnsLabel } from './argo/index.js';
export { entrypointTarget, emitEntrypoint, ENTRYPOINT_DEFAULTS } from './entrypoint/index.js';
export { GENERATED_MARKER, isGenerated } from './shared/header.js';
export { shellQuote, shellJoin } from './shared/shell.js';
export { describeCommand, inputEnvName } from './shared/bash.js';
export { toYaml } from './shared/yaml.js';

/** Every target, by the name used in the config and on the command line. */
export const TARGETS = { github: githubTarget, argo: argoTarget, entrypoint: entrypointTarget } as const;
export type TargetId = keyof typeof TARGETS;
