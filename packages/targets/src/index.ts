// @sluice/targets: one folder per engine, each a pure emit(ir, options) -> files.
import type { Target } from './types.js';

export type { GeneratedFile, EmitResult, Target } from './types.js';
export { githubTarget, emitGithub, ACTION_PINS, SETUP_STEP_ID, githubPolicyViolations, type PolicyViolation, type PolicyRule } from './github/index.js';
export { snapshotPlainData, type PlainData } from './shared/plain-data.js';
export { argoTarget, emitArgo, ARGO_DEFAULTS, dnsLabel, escapeKubernetesExpansion } from './argo/index.js';
export { entrypointTarget, emitEntrypoint, ENTRYPOINT_DEFAULTS } from './entrypoint/index.js';
export { GENERATED_MARKER, GENERATED_NOTICE, isGenerated, readHeader, type FileHeader, headerLines, headerComment, commentLine, encodeCommentText, type HeaderOwner, type CommentLanguage } from './shared/header.js';
export { shellQuote, shellJoin } from './shared/shell.js';
export { describeCommand, inputEnvName, SELECTOR_PATTERN } from './shared/bash.js';
export { toYaml, toYamlDocuments, withComment } from './shared/yaml.js';

/**
 * Every target, by the name used in the config and on the command line, loaded on demand: a compile
 * for GitHub never loads the entrypoint's template engine.
 */
export const TARGETS = {
  github: async (): Promise<Target<object>> => (await import('./github/index.js')).githubTarget as Target<object>,
  argo: async (): Promise<Target<object>> => (await import('./argo/index.js')).argoTarget as Target<object>,
  entrypoint: async (): Promise<Target<object>> => (await import('./entrypoint/index.js')).entrypointTarget as Target<object>,
} as const;
export type TargetId = keyof typeof TARGETS;
