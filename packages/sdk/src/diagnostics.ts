/**
 * Errors as data. Every user mistake has a stable code (tests match codes, never message text), the
 * logical path (`pipeline full > step upload`), the pipeline.ts location when known, and a hint that
 * says what to do.
 */
import type { SourceLocation } from './ir.js';

export const DIAGNOSTIC_CODES = {
  // Loading
  CONFIG_NOT_FOUND: 'SLUICE_E_CONFIG_NOT_FOUND',
  CONFIG_INVALID: 'SLUICE_E_CONFIG_INVALID',
  ENTRY_NOT_FOUND: 'SLUICE_E_ENTRY_NOT_FOUND',
  SYNTAX: 'SLUICE_E_SYNTAX',
  TYPE_ERROR: 'SLUICE_E_TYPE_ERROR',
  MODULE_THREW: 'SLUICE_E_MODULE_THREW',
  NO_PIPELINES: 'SLUICE_E_NO_PIPELINES',
  NOT_A_DBT_PROJECT: 'SLUICE_E_NOT_A_DBT_PROJECT',
  MANIFEST_UNREADABLE: 'SLUICE_E_MANIFEST_UNREADABLE',
  IMPORT_UNREADABLE: 'SLUICE_E_IMPORT_UNREADABLE',
  /** A `todo(...)` left by `sluice import`: something the workflow did that the pipeline does not yet. */
  IMPORT_TODO: 'SLUICE_E_IMPORT_TODO',
  MISSING_DEPENDENCY: 'SLUICE_E_MISSING_DEPENDENCY',
  // Pipelines
  DUPLICATE_PIPELINE: 'SLUICE_E_DUPLICATE_PIPELINE',
  INVALID_NAME: 'SLUICE_E_INVALID_NAME',
  EMPTY_PIPELINE: 'SLUICE_E_EMPTY_PIPELINE',
  NO_TRIGGERS: 'SLUICE_E_NO_TRIGGERS',
  INVALID_CRON: 'SLUICE_E_INVALID_CRON',
  INVALID_TIMEZONE: 'SLUICE_E_INVALID_TIMEZONE',
  // These were one code, SLUICE_E_INVALID_VALUE, up to 0.1.0 (CHANGELOG.md lists the split).
  /** A value of the wrong type reached the IR (its schema refused it): JavaScript passing what the types forbid. */
  WRONG_TYPE: 'SLUICE_E_WRONG_TYPE',
  /** Lowering a pipeline threw on an option of the wrong type (`needs: 5`, `shell(42)`). */
  UNREADABLE_PIPELINE: 'SLUICE_E_UNREADABLE_PIPELINE',
  /** An env value that is not a string, secret(...) or an input. */
  INVALID_ENV_VALUE: 'SLUICE_E_INVALID_ENV_VALUE',
  INVALID_RETRIES: 'SLUICE_E_INVALID_RETRIES',
  INVALID_TIMEOUT: 'SLUICE_E_INVALID_TIMEOUT',
  /** An input's default is not of its type, or not one of its choices. */
  INVALID_INPUT_DEFAULT: 'SLUICE_E_INVALID_INPUT_DEFAULT',
  CHOICE_WITHOUT_OPTIONS: 'SLUICE_E_CHOICE_WITHOUT_OPTIONS',
  INVALID_REGISTRY_CREDENTIALS: 'SLUICE_E_INVALID_REGISTRY_CREDENTIALS',
  /** A notification's webhook, URL or SMTP login given as a plain string instead of secret(...). */
  NOTIFY_SECRET_REQUIRED: 'SLUICE_E_NOTIFY_SECRET_REQUIRED',
  /** SMTP settings of notify.email that cannot work (host, port, security, addresses, login). */
  INVALID_EMAIL_SETTINGS: 'SLUICE_E_INVALID_EMAIL_SETTINGS',
  INVALID_ENV_NAME: 'SLUICE_E_INVALID_ENV_NAME',
  INVALID_SECRET_NAME: 'SLUICE_E_INVALID_SECRET_NAME',
  UNSAFE_STRING: 'SLUICE_E_UNSAFE_STRING',
  EXPRESSION_IN_STRING: 'SLUICE_E_EXPRESSION_IN_STRING',
  LITERAL_SECRET: 'SLUICE_E_LITERAL_SECRET',
  INVALID_SELECTOR: 'SLUICE_E_INVALID_SELECTOR',
  UNKNOWN_INPUT: 'SLUICE_E_UNKNOWN_INPUT',
  REQUIRED_INPUT_WITHOUT_DEFAULT: 'SLUICE_E_REQUIRED_INPUT_UNREACHABLE',
  // Steps
  DUPLICATE_STEP: 'SLUICE_E_DUPLICATE_STEP',
  UNKNOWN_STEP: 'SLUICE_E_UNKNOWN_STEP',
  SELF_REFERENCE: 'SLUICE_E_SELF_REFERENCE',
  CYCLE: 'SLUICE_E_CYCLE',
  CONDITION_NOT_UPSTREAM: 'SLUICE_E_CONDITION_NOT_UPSTREAM',
  STEPS_THREW: 'SLUICE_E_STEPS_THREW',
  STEPS_NOT_AN_OBJECT: 'SLUICE_E_STEPS_NOT_AN_OBJECT',
  /** `steps` returned a value under an id that is not a step. */
  NOT_A_STEP: 'SLUICE_E_NOT_A_STEP',
  /** A condition not built with when.* (an unknown `op`). */
  UNKNOWN_CONDITION: 'SLUICE_E_UNKNOWN_CONDITION',
  /** A condition nested too deep, too large, or containing itself (docs/security.md, bounded shapes). */
  CONDITION_TOO_LARGE: 'SLUICE_E_CONDITION_TOO_LARGE',
  // dbt capabilities (state, retry, versions, selections built from inputs)
  STATE_SELECTOR_WITHOUT_STATE: 'SLUICE_E_STATE_SELECTOR_WITHOUT_STATE',
  DBT_VERSION_TOO_OLD: 'SLUICE_E_DBT_VERSION_TOO_OLD',
  INPUT_IN_STRING: 'SLUICE_E_INPUT_IN_STRING',
  STATE_SOURCE: 'SLUICE_E_STATE_SOURCE',
  /** A state directory (`state: '...'`, `load({ into })`) that is dbt's `target/`, absolute, or climbs out with `..`. */
  STATE_DIRECTORY: 'SLUICE_E_STATE_DIRECTORY',
  // Targets
  UNKNOWN_TARGET: 'SLUICE_E_UNKNOWN_TARGET',
  TARGET_UNSUPPORTED: 'SLUICE_E_TARGET_UNSUPPORTED',
  NAME_COLLISION: 'SLUICE_E_NAME_COLLISION',
  OVERRIDE_UNSAFE: 'SLUICE_E_OVERRIDE_UNSAFE',
  /** An override returned something other than plain data (a getter, Proxy, class instance, function). */
  OVERRIDE_NOT_PLAIN: 'SLUICE_E_OVERRIDE_NOT_PLAIN',
  OVERRIDE_THREW: 'SLUICE_E_OVERRIDE_THREW',
  /** A generated workflow breaks the GitHub workflow policy (a config value became a hole). */
  UNSAFE_WORKFLOW: 'SLUICE_E_UNSAFE_WORKFLOW',
  /** A pipeline a pull request starts would write to a trusted place (GitHub Pages, production state). */
  PULL_REQUEST_WRITE: 'SLUICE_E_PULL_REQUEST_WRITE',
  // Output
  NOT_GENERATED: 'SLUICE_E_NOT_GENERATED',
  STALE_OUTPUT: 'SLUICE_E_STALE_OUTPUT',
  UNKNOWN_PIPELINE: 'SLUICE_E_UNKNOWN_PIPELINE',
  // Trust: hostile input (issue 11, compiler side; docs/security.md names the rule behind each)
  EVALUATION_TIMEOUT: 'SLUICE_E_EVALUATION_TIMEOUT',
  RESERVED_NAME: 'SLUICE_E_RESERVED_NAME',
  CASE_COLLISION: 'SLUICE_E_CASE_COLLISION',
  OUTPUT_OUTSIDE_PROJECT: 'SLUICE_E_OUTPUT_OUTSIDE_PROJECT',
  OUTPUT_CONFLICT: 'SLUICE_E_OUTPUT_CONFLICT',
  // The dbt project around the pipelines (sluice check)
  NO_DBT_RUNTIME: 'SLUICE_E_NO_DBT_RUNTIME',
} as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[keyof typeof DIAGNOSTIC_CODES];

export interface Diagnostic {
  code: DiagnosticCode;
  message: string;
  /** What the user should do about it. */
  hint?: string;
  /** Logical path, outermost first: `['pipeline full', 'step upload']`. */
  path: string[];
  location?: SourceLocation;
}

/** True when the problem is the user's invocation rather than their pipeline (exit code 2). */
export function isUsageError(d: Diagnostic): boolean {
  return d.code === DIAGNOSTIC_CODES.UNKNOWN_TARGET || d.code === DIAGNOSTIC_CODES.UNKNOWN_PIPELINE || d.code === DIAGNOSTIC_CODES.NOT_A_DBT_PROJECT;
}
