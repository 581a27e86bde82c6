/**
 * Validation: every rule about a lowered pipeline, in one list, each with its own code. Lowering
 * only translates (lower.ts); the few problems it reports are those the IR cannot carry at all.
 * Within a stage every problem is collected, none stops the others; the result is sorted by
 * location so the report reads top to bottom.
 *
 * Stages: the 'values' rules first (they read user values as unknown, so retries: 11 is reported as
 * retries, not as "a wrong type"); then, only when those pass, the IR's type check; then, only on a
 * well-typed IR, the 'typed' rules (which may then assume the IR's types).
 */
import { userStrings, type Diagnostic, type PipelineIR, type SluiceIR, type StepIR, type UserString } from '@sluice/sdk/ir';
import { cycle, conditionNotUpstream, idsDifferOnlyInCase, selfReference } from './checks/graph.js';
import { invalidEmailSettings } from './checks/notify.js';
import { choiceWithoutOptions, invalidInputDefault, requiredInputUnreachable } from './checks/inputs.js';
import { caseCollision, invalidEnvName, invalidName, invalidSecretName, reservedStepId } from './checks/names.js';
import { duplicatePipeline, emptyPipeline, invalidCron, invalidTimezone, noTriggers } from './checks/pipelines.js';
import type { Finding, Rule, RuleContext, StepFacts } from './checks/rule.js';
import { dbtVersionTooOld, inputInString, invalidRetries, invalidSelector, invalidTimeout, stateDirectory, stateSelectorWithoutState, stateSource } from './checks/steps.js';
import { expressionInString, literalSecret, unsafeString } from './checks/strings.js';


/** Every rule, in the order their findings are listed at one location. */
export const RULES: readonly Rule[] = [
  invalidRetries,
  invalidTimeout,
  invalidEmailSettings,
  duplicatePipeline,
  invalidName,
  emptyPipeline,
  noTriggers,
  invalidCron,
  invalidTimezone,
  requiredInputUnreachable,
  invalidInputDefault,
  choiceWithoutOptions,
  invalidEnvName,
  invalidSecretName,
  caseCollision,
  reservedStepId,
  idsDifferOnlyInCase,
  selfReference,
  cycle,
  conditionNotUpstream,
  invalidSelector,
  stateSelectorWithoutState,
  dbtVersionTooOld,
  stateSource,
  stateDirectory,
  inputInString,
  unsafeString,
  expressionInString,
  literalSecret,
];

export interface ValidateOptions {
  /** Pipelines whose steps could not be read; their (missing) steps are not reported again. */
  incomplete?: ReadonlySet<string>;
  /** What lowering saw in each DSL step that the IR does not carry (lower.ts). */
  facts?: ReadonlyMap<StepIR, StepFacts>;
  /** The IR's type check (its schema), run between the two tiers; none when the caller has none. */
  checkTypes?: (ir: SluiceIR) => Diagnostic[];
}

export function validate(ir: SluiceIR, options: ValidateOptions = {}): Diagnostic[] {
  const contexts = new Map(ir.pipelines.map((pipeline) => [pipeline, ruleContext(ir, pipeline, options)]));
  const run = (tier: Rule['tier']): Diagnostic[] =>
    ir.pipelines.flatMap((pipeline) => RULES.filter((rule) => rule.tier === tier).flatMap((rule) => [...rule.check(pipeline, contexts.get(pipeline) as RuleContext)].map((finding) => diagnostic(rule, pipeline, finding))));
  const values = run('values');
  if (values.length > 0) return sortDiagnostics(values);
  const types = options.checkTypes?.(ir) ?? [];
  if (types.length > 0) return sortDiagnostics(types);
  return sortDiagnostics(run('typed'));
}

function ruleContext(ir: SluiceIR, pipeline: PipelineIR, options: ValidateOptions): RuleContext {
  let strings: UserString[] | undefined;
  return {
    ir,
    incomplete: options.incomplete?.has(pipeline.name) ?? false,
    facts: (step) => options.facts?.get(step),
    // Walked once, for the three string rules (typed tier only: it reads every string).
    userStrings: () => (strings ??= userStrings(pipeline)),
  };
}

function diagnostic(rule: Rule, pipeline: PipelineIR, finding: Finding): Diagnostic {
  const location = finding.location ?? finding.step?.source ?? pipeline.source;
  return {
    code: rule.code,
    message: finding.message,
    hint: finding.hint,
    path: finding.path ?? (finding.step ? [`pipeline ${pipeline.name}`, `step ${finding.step.id}`] : [`pipeline ${pipeline.name}`]),
    ...(location ? { location } : {}),
  };
}

export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fileOrder = (a.location?.file ?? '').localeCompare(b.location?.file ?? '');
    if (fileOrder !== 0) return fileOrder;
    return (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0);
  });
}
