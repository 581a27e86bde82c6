/**
 * A validation rule: one check, one code. Rules read the IR (plus what lowering saw in the DSL and
 * the IR does not carry, `StepFacts`) and report findings; the runner (validate.ts) gives each
 * finding the rule's code, the pipeline/step path and the pipeline.ts location.
 */
import type { DiagnosticCode, PipelineIR, SluiceIR, SourceLocation, StepIR, UserString } from '@sluice/sdk/ir';

/**
 * What lowering saw in a DSL step that the IR flattens away: the selection as the user typed it
 * (the IR holds it inside argv, next to fallbacks for a first run), the dbt features the step needs,
 * and the shape of a state save/load. Rules about those read these facts.
 */
export interface StepFacts {
  /** Literal selectors (select, exclude, selector) as written. */
  selectors: readonly string[];
  /** Selection items that are neither a string, a selector nor an input (`select: ['a', 42]` from plain JavaScript), described. */
  selectorsOfWrongType: readonly string[];
  /** Literal selectors that read state (state:, result:, source_status:) on a step without state. */
  statefulSelectorsWithoutState: readonly string[];
  /** `defer: true` without state. */
  defersWithoutState: boolean;
  /** dbt features the step needs that the dbt version it runs lacks (with no older equivalent). */
  missingDbtFeatures: readonly { feature: string; since: string; what: string }[];
  /** The dbt version the step runs, and where it was learnt, for messages. */
  dbtVersion?: string;
  dbtVersionSource?: string;
}

export interface RuleContext {
  ir: SluiceIR;
  /** The pipeline's `steps` could not be read (it threw or returned no object): its steps are missing, not absent. */
  incomplete: boolean;
  facts(step: StepIR): StepFacts | undefined;
  /** Every string the user wrote in this pipeline (sdk strings.ts), walked once per validation. */
  userStrings(): readonly UserString[];
}

export interface Finding {
  message: string;
  hint: string;
  /** The step it is about; its location and path are used. */
  step?: StepIR;
  /** A location more precise than the step's or the pipeline's (a trigger's). */
  location?: SourceLocation;
  /** A logical path other than pipeline > step. */
  path?: string[];
}

export interface Rule {
  /** The one code this rule reports (no two rules share one: test/diagnostic-codes.test.ts). */
  code: DiagnosticCode;
  /**
   * 'values' rules read user values as `unknown` and run before the IR's type check, so a value the
   * schema would only call "a wrong type" (retries: 11, timeoutMinutes: 'soon') gets the rule's own
   * code and hint. 'typed' rules assume a well-typed IR: they run only when the type check passed.
   */
  tier: 'values' | 'typed';
  check(pipeline: PipelineIR, context: RuleContext): Iterable<Finding>;
}

/** Shows invisible characters in messages instead of printing them. */
export function printable(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
