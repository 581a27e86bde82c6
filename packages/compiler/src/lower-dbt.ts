/**
 * dbt-specific rules applied while lowering (they need the DSL objects, which the IR no longer has):
 * where each dbt step keeps its artifacts, the project's dbt version against the features a step
 * uses, state selectors without state, and input references that became text in a template string.
 */
import { DBT_FEATURES, inputsInString, STATEFUL_SELECTOR, type Artifact, type DbtFeature, type Step } from '@sluice/sdk/ir';

/** Each dbt step's own target directory (dbt's --target-path), relative to the dbt project. */
export function stepTargetDir(stepId: string): string {
  // Valid ids are kept as they are; an invalid id is reported once, by validation, not again here.
  return `target/sluice/${stepId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** An artifact's path once its producer's id is known. */
export function artifactPath(artifact: Artifact, producerId: string | undefined): string {
  if (!artifact.inTargetDir) return artifact.path;
  const dir = stepTargetDir(producerId ?? '?');
  return artifact.path === '' ? dir : `${dir}/${artifact.path}`;
}

/** `1.10.2`, `1.8`, `~=1.7.0` -> [1, 10] (major, minor); undefined when not a version. */
function parseVersion(version: string): [number, number] | undefined {
  const match = /(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

function atLeast(version: string, since: string): boolean {
  const have = parseVersion(version);
  const need = parseVersion(since);
  if (!have || !need) return true;
  return have[0] > need[0] || (have[0] === need[0] && have[1] >= need[1]);
}

export interface DbtStepShape {
  features: DbtFeature[];
  olderEquivalent?: { below: string; argv: readonly unknown[]; label: string };
  dbtVersion?: string;
}

/** The DSL step as a dbt step, when it is one (recognised by shape: another SDK copy may have made it). */
export function asDbtStep(step: Step): DbtStepShape | undefined {
  const features = (step as unknown as Partial<DbtStepShape>).features;
  return Array.isArray(features) ? (step as unknown as DbtStepShape) : undefined;
}

export interface VersionVerdict {
  /** Use the older equivalent command (dbt retry before 1.6). */
  useOlder: boolean;
  /** Features the version lacks, with no older equivalent. */
  missing: { feature: DbtFeature; since: string; what: string }[];
}

export function checkVersion(step: DbtStepShape, projectVersion: string | undefined): VersionVerdict {
  const version = step.dbtVersion ?? projectVersion;
  if (version === undefined) return { useOlder: false, missing: [] };
  const useOlder = step.olderEquivalent !== undefined && !atLeast(version, step.olderEquivalent.below);
  const missing = step.features
    .filter((feature) => !(useOlder && feature === 'retry'))
    .filter((feature) => !atLeast(version, DBT_FEATURES[feature].since))
    .map((feature) => ({ feature, ...DBT_FEATURES[feature] }));
  return { useOlder, missing };
}

/** Literal selectors of a dbt step that read state (`state:`, `result:`, `source_status:`) while the step has no state. */
export function statefulSelectorsWithoutState(options: object): string[] {
  const selection = options as { select?: unknown; exclude?: unknown; state?: unknown };
  if (selection.state !== undefined) return [];
  const text = (item: unknown): string[] => (typeof item === 'string' ? [item] : typeof item === 'object' && item !== null && 'plus' in item ? [String(item)] : []);
  return [selection.select, selection.exclude].flatMap((value) => (Array.isArray(value) ? value.flatMap(text) : text(value))).filter((selector) => STATEFUL_SELECTOR.test(selector));
}

/** `defer: true` without state: dbt has nothing to defer to. */
export function deferWithoutState(options: object): boolean {
  const selection = options as { defer?: unknown; state?: unknown };
  return selection.defer === true && selection.state === undefined;
}

/** Every string inside a value (plain data), with where it was found. */
export function inputMarkersIn(value: unknown, where: string): { input: string; where: string }[] {
  if (typeof value === 'string') return inputsInString(value).map((input) => ({ input, where }));
  if (Array.isArray(value)) return value.flatMap((item) => inputMarkersIn(item, where));
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap((item) => inputMarkersIn(item, where));
  return [];
}
