/**
 * Rules about the strings the user wrote (docs/security.md): characters that break the generated
 * files or the terminal, engine expressions that would run, credentials written in clear. The
 * scanners live in the SDK (strings.ts), shared with the targets' own checks.
 */
import { checkLiteralSecrets, DIAGNOSTIC_CODES, stringProblems, type DiagnosticCode } from '@sluice/sdk/ir';
import type { Finding, Rule, RuleContext } from './rule.js';

function* stringRule(context: RuleContext, code: DiagnosticCode): Generator<Finding> {
  for (const string of context.userStrings()) {
    for (const problem of stringProblems(string)) {
      if (problem.code === code) yield { message: problem.message, hint: problem.hint, path: string.path, ...(string.location ? { location: string.location } : {}) };
    }
  }
}

export const unsafeString: Rule = {
  code: DIAGNOSTIC_CODES.UNSAFE_STRING,
  tier: 'typed',
  check: (_pipeline, context) => stringRule(context, DIAGNOSTIC_CODES.UNSAFE_STRING),
};

export const expressionInString: Rule = {
  code: DIAGNOSTIC_CODES.EXPRESSION_IN_STRING,
  tier: 'typed',
  check: (_pipeline, context) => stringRule(context, DIAGNOSTIC_CODES.EXPRESSION_IN_STRING),
};

export const literalSecret: Rule = {
  code: DIAGNOSTIC_CODES.LITERAL_SECRET,
  tier: 'typed',
  check: (pipeline, context) =>
    checkLiteralSecrets(pipeline, context.userStrings()).map((problem) => ({ message: problem.message, hint: problem.hint ?? '', path: problem.path, ...(problem.location ? { location: problem.location } : {}) })),
};
