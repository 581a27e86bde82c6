/**
 * Rule "bounded shapes" (docs/security.md, class 11): a condition is a small tree. One built by a
 * loop 20,000 levels deep, or one that contains itself, would overflow every recursive reader
 * (lowering, the schema, the emitters), so it is refused before any of them sees it. Iterative.
 */
const MAX_CONDITION_DEPTH = 64;
const MAX_CONDITION_NODES = 1000;

interface ConditionLike {
  op?: unknown;
  args?: unknown;
  arg?: unknown;
}

/** Why this DSL condition cannot be lowered, or undefined when it is a small finite tree. */
export function conditionShapeProblem(condition: unknown): string | undefined {
  const stack: { node: unknown; depth: number; path: readonly object[] }[] = [{ node: condition, depth: 1, path: [] }];
  let nodes = 0;
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop() as (typeof stack)[number];
    if (typeof node !== 'object' || node === null) continue;
    if (path.includes(node)) return 'it contains itself';
    if (depth > MAX_CONDITION_DEPTH) return `it is nested more than ${MAX_CONDITION_DEPTH} levels deep`;
    if (++nodes > MAX_CONDITION_NODES) return `it has more than ${MAX_CONDITION_NODES} parts`;
    const { op, args, arg } = node as ConditionLike;
    const children = (op === 'and' || op === 'or') && Array.isArray(args) ? args : op === 'not' ? [arg] : [];
    for (const child of children) stack.push({ node: child, depth: depth + 1, path: [...path, node] });
  }
  return undefined;
}
