/**
 * GitHub expressions (`if:` and `${{ }}`) parsed with GitHub's own engine, @actions/expressions, so
 * import reads them exactly as the runner does (operators, precedence, string truthiness).
 */
import { Lexer, Parser, type Expr } from '@actions/expressions';

const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled'] as const;
export const CONTEXTS = ['github', 'env', 'vars', 'job', 'jobs', 'steps', 'runner', 'secrets', 'strategy', 'matrix', 'needs', 'inputs'];
const STATUS_FUNCTION_DEFS = STATUS_FUNCTIONS.map((name) => ({ name, description: name, minArgs: 0, maxArgs: 0, call: () => undefined as never }));

/** Parses an `if:` value (with or without `${{ }}`); throws ExpressionError on a syntax error. */
export function parseCondition(raw: unknown): Expr {
  return parseExpression(stripDelimiters(String(raw)));
}

export function parseExpression(text: string): Expr {
  const lexed = new Lexer(text).lex();
  const parsed = new Parser(lexed.tokens, CONTEXTS, STATUS_FUNCTION_DEFS).parse();
  if (!parsed) throw new Error(`'${text}' is not an expression`);
  return parsed;
}

/** `${{ x }}` -> `x`; a bare `if:` is already an expression. */
export function stripDelimiters(raw: string): string {
  const trimmed = raw.trim();
  return trimmed.startsWith('${{') && trimmed.endsWith('}}') && trimmed.indexOf('${{', 3) === -1 ? trimmed.slice(3, -2).trim() : trimmed;
}

/** The node kinds of @actions/expressions' AST (its classes are not exported; their shapes are stable). */
export type Node =
  | { kind: 'literal'; value: unknown }
  | { kind: 'not'; expr: Expr }
  | { kind: 'logical'; op: '&&' | '||'; args: Expr[] }
  | { kind: 'compare'; op: string; left: Expr; right: Expr }
  | { kind: 'group'; expr: Expr }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'path'; path: (string | '*')[] }
  | { kind: 'other' };

export function node(expr: Expr): Node {
  const e = expr as unknown as Record<string, any>;
  if ('literal' in e && 'token' in e) return { kind: 'literal', value: e.literal?.value ?? null };
  if ('functionName' in e) return { kind: 'call', name: String(e.functionName.lexeme).toLowerCase(), args: e.args };
  if ('group' in e) return { kind: 'group', expr: e.group };
  if ('left' in e && 'right' in e) return { kind: 'compare', op: String(e.operator.lexeme), left: e.left, right: e.right };
  if ('args' in e && 'operator' in e) return { kind: 'logical', op: e.operator.lexeme === '||' ? '||' : '&&', args: e.args };
  if ('operator' in e && 'expr' in e) return e.operator.lexeme === '!' ? { kind: 'not', expr: e.expr } : { kind: 'other' };
  const path = pathOf(expr);
  return path ? { kind: 'path', path } : { kind: 'other' };
}

/** `steps.build.outcome` -> ['steps', 'build', 'outcome']; `needs.*.result` -> ['needs', '*', 'result']. */
function pathOf(expr: Expr): (string | '*')[] | undefined {
  const e = expr as unknown as Record<string, any>;
  if ('name' in e && !('expr' in e)) return [String(e.name.lexeme)];
  if ('expr' in e && 'index' in e) {
    const base = pathOf(e.expr);
    if (!base) return undefined;
    const index = e.index as Record<string, any>;
    if (Object.keys(index).length === 0) return [...base, '*'];
    if ('literal' in index && typeof index.literal?.value === 'string') return [...base, index.literal.value];
    return undefined;
  }
  return undefined;
}

/** Whether the expression calls a status function anywhere (else GitHub adds `success() &&`). */
export function hasStatusFunction(expr: Expr): boolean {
  const n = node(expr);
  switch (n.kind) {
    case 'call':
      return (STATUS_FUNCTIONS as readonly string[]).includes(n.name) || n.args.some(hasStatusFunction);
    case 'not':
    case 'group':
      return hasStatusFunction(n.expr);
    case 'logical':
      return n.args.some(hasStatusFunction);
    case 'compare':
      return hasStatusFunction(n.left) || hasStatusFunction(n.right);
    default:
      return false;
  }
}
