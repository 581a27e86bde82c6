// @sluice/targets: one folder per engine, each a pure emit(ir, options) -> files.
export type { GeneratedFile, EmitResult, Target } from './types.js';
export { githubTarget, emitGithub, ACTION_PINS, SETUP_STEP_ID, githubPolicyViolations, type PolicyViolation, type PolicyRule } from './github/index.js';
export { snapshotPlainData, type PlainData } from './shared/plain-data.js';
export { argoTarget, emitArgo, ARGO_DEFAULTS, dnsLabel, escapeKubernetesExpansion } from './argo/index.js';
export { entrypointTarget, emitEntrypoint, ENTRYPOINT_DEFAULTS } from './entrypoint/index.js';
export { GENERATED_MARKER, GENERATED_NOTICE, isGenerated, readHeader, type FileHeader, headerLines, headerComment, commentLine, encodeCommentText, type HeaderOwner, type CommentLanguage } from './shared/header.js';
export { shellQuote, shellJoin } from './shared/shell.js';
export { describeCommand, inputEnvName, SELECTOR_PATTERN } from './shared/bash.js';
export { toYaml, toYamlDocuments, withComment } from './shared/yaml.js';

export { TARGET_REGISTRY, TARGET_NAMES, TARGET_TABLE_ROWS, isTargetName, loadTarget, targetTableMarkdown, type TargetEntry, type Refusal, type TargetTableRow } from './registry.js';
