/**
 * GitHub `if:` conditions (job and step level) as Sluice conditions with the same meaning.
 *
 * Every imported step sits in one DAG: the steps of a job form a chain, and a job's first step
 * needs the last step of each job it needs. A condition is built as a formula over the statuses of
 * upstream steps ("not cancelled" is implied: Sluice evaluates conditions without `always()` only
 * while the run is not cancelled, like GitHub's status functions):
 * - step level: success() = no earlier step of the job failed (`continue-on-error` aside), which is
 *   "the previous step succeeded" when no earlier step has its own `if` or `continue-on-error`;
 *   failure() = some earlier step of the job failed (GitHub's meaning, not Sluice's upstream one);
 * - job level: success() = every ancestor job succeeded; failure() = some ancestor job failed;
 *   `needs.<job>.result` and `contains(needs.*.result, '<result>')` are read from those jobs' steps;
 * - every step of a job also carries the job's own condition (unless its condition already implies
 *   that the job ran).
 * What has no Sluice equivalent (event names, inputs, `cancelled()` after a cancellation, ...) is
 * returned as `opaque` for a TODO; import then also checks every imported pipeline against the
 * GitHub model (verify.ts) and reports any difference that remains.
 */
import type { Condition } from '@sluice/sdk/ir';
import type { Expr } from '@actions/expressions';
import { hasStatusFunction, node, parseCondition } from './expressions.js';

export type Formula =
  | { k: 'true' }
  | { k: 'false' }
  | { k: 'always' }
  | { k: 'opaque'; text: string }
  | { k: 'status'; step: string; status: 'succeeded' | 'failed' | 'skipped' }
  | { k: 'and' | 'or'; args: Formula[] }
  | { k: 'not'; arg: Formula };

const TRUE: Formula = { k: 'true' };
const FALSE: Formula = { k: 'false' };
const status = (step: string, value: 'succeeded' | 'failed' | 'skipped'): Formula => ({ k: 'status', step, status: value });
const and = (...args: Formula[]): Formula => simplify({ k: 'and', args });
const or = (...args: Formula[]): Formula => simplify({ k: 'or', args });
const not = (arg: Formula): Formula => simplify({ k: 'not', arg });

export interface StepInfo {
  key: string;
  ghId?: string;
  if?: string;
  continueOnError: boolean;
  /** False when the step is left out (a TODO): it has no Sluice status to look at. */
  imported: boolean;
}
export interface JobInfo {
  name: string;
  needs: string[];
  if?: string;
  steps: StepInfo[];
}

export interface Translation {
  condition: Formula;
  /** Parts of the expression Sluice cannot express (kept out of the condition; each becomes a TODO). */
  opaque: string[];
  /** Known mistakes, with what was probably meant (import keeps what the workflow does). */
  notes: string[];
}

export class ConditionTranslator {
  private readonly jobs: Map<string, JobInfo>;
  private readonly gates = new Map<string, Translation>();

  constructor(jobs: readonly JobInfo[]) {
    this.jobs = new Map(jobs.map((job) => [job.name, job]));
  }

  /** The condition of an imported step, complete with its job's condition. */
  step(jobName: string, key: string, ifText?: string): Translation {
    const job = this.jobs.get(jobName) as JobInfo;
    const position = job.steps.findIndex((step) => step.key === key);
    const step = job.steps[position] as StepInfo;
    const earlier = job.steps.slice(0, position);
    const opaque: string[] = [];
    const notes: string[] = [];
    const gate = this.gate(job);
    // A job with always() also starts after a cancellation, and then runs its steps normally.
    const runsAfterCancel = containsAlways(gate.condition);
    const scope: Scope = { level: 'step', job, earlier, opaque, notes, runsAfterCancel };
    const own = this.translate(ifText ?? step.if, scope);
    opaque.push(...gate.opaque);
    notes.push(...gate.notes);
    const jobCondition = containsAlways(own) || (runsAfterCancel && !explicitlyCancelAware(ifText ?? step.if)) ? gate.condition : replaceAlways(gate.condition);
    return { condition: impliesRan(own, job) && !containsAlways(jobCondition) ? own : and(jobCondition, own), opaque, notes };
  }

  /** When job `job` runs (at all), as a formula over upstream steps. */
  gate(job: JobInfo): Translation {
    const cached = this.gates.get(job.name);
    if (cached) return cached;
    const opaque: string[] = [];
    const notes: string[] = [];
    const translation = { condition: this.translate(job.if, { level: 'job', job, earlier: [], opaque, notes }), opaque, notes };
    this.gates.set(job.name, translation);
    return translation;
  }

  private translate(raw: string | undefined, scope: Scope): Formula {
    let expr: Expr;
    try {
      expr = parseCondition(raw ?? 'success()');
    } catch {
      scope.opaque.push(raw ?? '');
      return TRUE;
    }
    const guarded = this.expr(expr, scope);
    const formula = scope.guardsCancel ? replaceAlways(guarded) : guarded;
    const withImplicit = raw === undefined || hasStatusFunction(expr) ? formula : and(this.statusFunction('success', scope), formula);
    return dropOpaque(withImplicit);
  }

  private expr(expr: Expr, scope: Scope): Formula {
    const n = node(expr);
    const opaque = (): Formula => {
      const text = printExpr(expr);
      scope.opaque.push(text);
      return { k: 'opaque', text };
    };
    switch (n.kind) {
      case 'literal':
        if (typeof n.value === 'string') {
          if (/\w\(\)/.test(n.value)) scope.notes.push(`'${n.value}' is a string, not a status function: a non-empty string is always true, so this part of the condition changes nothing`);
          return n.value === '' ? FALSE : TRUE;
        }
        return n.value === null || n.value === false || n.value === 0 ? FALSE : TRUE;
      case 'group':
        return this.expr(n.expr, scope);
      case 'not': {
        const inner = node(n.expr);
        if (inner.kind === 'call' && inner.name === 'cancelled' && inner.args.length === 0) {
          // `!cancelled()` is true until a cancellation, and says: not after one (even with always()).
          scope.guardsCancel = true;
          return TRUE;
        }
        return not(this.expr(n.expr, scope));
      }
      case 'logical':
        return (n.op === '&&' ? and : or)(...n.args.map((arg) => this.expr(arg, scope)));
      case 'call': {
        if (n.args.length === 0 && ['success', 'failure', 'always', 'cancelled'].includes(n.name)) return this.statusFunction(n.name, scope);
        // contains(needs.*.result, 'failure'): some directly needed job has that result.
        const [list, value] = n.args.map(node);
        if (n.name === 'contains' && list?.kind === 'path' && list.path.join('.') === 'needs.*.result' && value?.kind === 'literal' && typeof value.value === 'string') {
          const checks = scope.job.needs.map((need) => this.contextCheck(['needs', need, 'result'], (value.value as string).toLowerCase(), scope));
          if (checks.every((check): check is Formula => check !== undefined)) return or(...checks);
        }
        return opaque();
      }
      case 'compare': {
        if (n.op !== '==' && n.op !== '!=') return opaque();
        const left = node(n.left);
        const right = node(n.right);
        const [path, literal] = left.kind === 'path' && right.kind === 'literal' ? [left.path, right.value] : right.kind === 'path' && left.kind === 'literal' ? [right.path, left.value] : [];
        if (!path || typeof literal !== 'string') return opaque();
        const atom = this.contextCheck(path, literal.toLowerCase(), scope);
        if (!atom) return opaque();
        return n.op === '==' ? atom : not(atom);
      }
      default:
        return opaque();
    }
  }

  /** `steps.<id>.outcome == '<value>'`, `needs.<job>.result == '<value>'`. */
  private contextCheck(path: (string | '*')[], value: string, scope: Scope): Formula | undefined {
    const [context, name, field] = path;
    if (path.length !== 3 || typeof name !== 'string') return undefined;
    if (context === 'steps' && scope.level === 'step' && (field === 'outcome' || field === 'conclusion')) {
      const step = scope.earlier.find((candidate) => candidate.ghId === name);
      if (!step?.imported) return undefined;
      const coe = step.continueOnError && field === 'conclusion';
      if (value === 'success') return coe ? or(status(step.key, 'succeeded'), status(step.key, 'failed')) : status(step.key, 'succeeded');
      if (value === 'failure') return coe ? FALSE : status(step.key, 'failed');
      if (value === 'skipped') return status(step.key, 'skipped');
      if (value === 'cancelled') return FALSE;
      return FALSE;
    }
    if (context === 'needs' && field === 'result' && scope.job.needs.includes(name)) {
      const needed = this.jobs.get(name);
      if (!needed) return undefined;
      if (value === 'success') return this.succeeded(needed);
      if (value === 'failure') return this.failed(needed);
      if (value === 'skipped') return not(this.ran(needed));
      return FALSE;
    }
    return undefined;
  }

  private statusFunction(name: string, scope: Scope): Formula {
    if (name === 'always') return { k: 'always' };
    if (name === 'cancelled') {
      scope.opaque.push('cancelled()');
      return FALSE;
    }
    if (scope.level === 'step') {
      const counted = scope.earlier.filter((step) => step.imported && !step.continueOnError);
      if (name === 'failure') return or(...counted.map((step) => status(step.key, 'failed')));
      const previous = [...scope.earlier].reverse().find((step) => step.imported);
      const plainChain = scope.earlier.every((step) => step.if === undefined && !step.continueOnError);
      if (previous && plainChain && !scope.runsAfterCancel) return status(previous.key, 'succeeded');
      return and(...counted.map((step) => not(status(step.key, 'failed'))));
    }
    const ancestors = this.ancestors(scope.job).map((job) => this.jobs.get(job) as JobInfo);
    if (name === 'failure') return or(...ancestors.map((job) => this.failed(job)));
    const direct = scope.job.needs.map((job) => this.jobs.get(job)).filter((job): job is JobInfo => job !== undefined);
    if (direct.every((job) => this.isPlain(job))) return and(...direct.map((job) => this.succeeded(job)));
    return and(...ancestors.map((job) => this.succeeded(job)));
  }

  /** Job ran and no step of it failed. */
  private succeeded(job: JobInfo): Formula {
    const imported = job.steps.filter((step) => step.imported);
    const last = imported[imported.length - 1];
    if (last && this.isPlain(job)) return status(last.key, 'succeeded');
    return and(this.ran(job), ...imported.filter((step) => !step.continueOnError).map((step) => not(status(step.key, 'failed'))));
  }

  private failed(job: JobInfo): Formula {
    return or(...job.steps.filter((step) => step.imported && !step.continueOnError).map((step) => status(step.key, 'failed')));
  }

  private ran(job: JobInfo): Formula {
    return replaceAlways(this.gate(job).condition);
  }

  /** Default job condition, plain steps, and only plain jobs above: "succeeded" is "its last step succeeded". */
  private isPlain(job: JobInfo, seen = new Set<string>()): boolean {
    if (seen.has(job.name)) return false;
    seen.add(job.name);
    if (job.if !== undefined || !job.steps.some((step) => step.imported)) return false;
    if (job.steps.some((step) => step.if !== undefined || step.continueOnError)) return false;
    return job.needs.every((need) => {
      const needed = this.jobs.get(need);
      return needed !== undefined && this.isPlain(needed, seen);
    });
  }

  ancestors(job: JobInfo, seen = new Set<string>()): string[] {
    for (const need of job.needs) {
      const needed = this.jobs.get(need);
      if (!needed || seen.has(need)) continue;
      seen.add(need);
      this.ancestors(needed, seen);
    }
    return [...this.jobs.keys()].filter((name) => seen.has(name));
  }
}

interface Scope {
  level: 'job' | 'step';
  job: JobInfo;
  earlier: StepInfo[];
  opaque: string[];
  notes: string[];
  runsAfterCancel?: boolean;
  guardsCancel?: boolean;
}

/** A step `if` that says itself what happens after a cancellation (cancelled() or !cancelled()). */
function explicitlyCancelAware(raw: string | undefined): boolean {
  return raw !== undefined && /cancelled\s*\(/.test(raw);
}

/** A readable rendering of an expression, for TODO texts (never code). */
function printExpr(expr: Expr): string {
  const n = node(expr);
  switch (n.kind) {
    case 'literal':
      return typeof n.value === 'string' ? `'${n.value}'` : String(n.value);
    case 'group':
      return `(${printExpr(n.expr)})`;
    case 'not':
      return `!${printExpr(n.expr)}`;
    case 'logical':
      return n.args.map(printExpr).join(` ${n.op} `);
    case 'call':
      return `${n.name}(${n.args.map(printExpr).join(', ')})`;
    case 'compare':
      return `${printExpr(n.left)} ${n.op} ${printExpr(n.right)}`;
    case 'path':
      return n.path.join('.');
    default:
      return '?';
  }
}

function containsAlways(formula: Formula): boolean {
  if (formula.k === 'always') return true;
  if (formula.k === 'and' || formula.k === 'or') return formula.args.some(containsAlways);
  if (formula.k === 'not') return containsAlways(formula.arg);
  return false;
}

/** Before a cancellation `always()` is just true. */
function replaceAlways(formula: Formula): Formula {
  if (formula.k === 'always') return TRUE;
  if (formula.k === 'and' || formula.k === 'or') return simplify({ k: formula.k, args: formula.args.map(replaceAlways) });
  if (formula.k === 'not') return not(replaceAlways(formula.arg));
  return formula;
}

/** Opaque parts leave the condition: dropped from an `and`, and anything they decide becomes true. */
function dropOpaque(formula: Formula): Formula {
  if (formula.k === 'opaque') return TRUE;
  if (formula.k === 'and') return and(...formula.args.map(dropOpaque));
  if (formula.k === 'or') return formula.args.some(hasOpaque) ? TRUE : formula;
  if (formula.k === 'not') return hasOpaque(formula.arg) ? TRUE : formula;
  return formula;
}

function hasOpaque(formula: Formula): boolean {
  if (formula.k === 'opaque') return true;
  if (formula.k === 'and' || formula.k === 'or') return formula.args.some(hasOpaque);
  if (formula.k === 'not') return hasOpaque(formula.arg);
  return false;
}

/** Whether the condition can only hold when some step of `job` ran (so the job's own condition held). */
function impliesRan(formula: Formula, job: JobInfo): boolean {
  const keys = new Set(job.steps.map((step) => step.key));
  const check = (f: Formula): boolean => {
    if (f.k === 'status') return f.status !== 'skipped' && keys.has(f.step);
    if (f.k === 'and') return f.args.some(check);
    if (f.k === 'or') return f.args.length > 0 && f.args.every(check);
    return f.k === 'false';
  };
  return check(formula);
}

function simplify(formula: Formula): Formula {
  if (formula.k === 'not') {
    const arg = formula.arg;
    if (arg.k === 'true') return FALSE;
    if (arg.k === 'false') return TRUE;
    if (arg.k === 'not') return arg.arg;
    return formula;
  }
  if (formula.k !== 'and' && formula.k !== 'or') return formula;
  const unit = formula.k === 'and' ? 'true' : 'false';
  const zero = formula.k === 'and' ? 'false' : 'true';
  const args: Formula[] = [];
  const seen = new Set<string>();
  for (const arg of formula.args.flatMap((a) => (a.k === formula.k ? a.args : [a]))) {
    if (arg.k === zero) return arg;
    if (arg.k === unit) continue;
    const key = JSON.stringify(arg);
    if (seen.has(key)) continue;
    seen.add(key);
    args.push(arg);
  }
  if (formula.k === 'and') {
    // A step has one status: succeeded(x) and failed(x) together can never hold.
    const statuses = new Map<string, string>();
    for (const arg of args) {
      if (arg.k !== 'status') continue;
      if (statuses.has(arg.step) && statuses.get(arg.step) !== arg.status) return FALSE;
      statuses.set(arg.step, arg.status);
    }
  }
  if (args.length === 0) return formula.k === 'and' ? TRUE : FALSE;
  if (args.length === 1) return args[0] as Formula;
  return { k: formula.k, args };
}

/** The IR condition for a step with these needs (`success()` when the formula is the default). */
export function toCondition(formula: Formula, needs: readonly string[]): Condition {
  if (isDefault(formula, needs)) return { op: 'success' };
  const convert = (f: Formula): Condition => {
    switch (f.k) {
      case 'true':
        return needs.length === 0 ? { op: 'success' } : { op: 'or', args: (['succeeded', 'failed', 'skipped'] as const).map((s) => ({ op: 'status' as const, step: needs[0] as string, status: s })) };
      case 'false':
        return { op: 'not', arg: { op: 'always' } };
      case 'opaque':
        return convert(TRUE);
      case 'always':
        return { op: 'always' };
      case 'status':
        return { op: 'status', step: f.step, status: f.status };
      case 'and':
      case 'or':
        return { op: f.k, args: f.args.map(convert) };
      case 'not':
        return { op: 'not', arg: convert(f.arg) };
    }
  };
  return convert(formula);
}

export function isDefault(formula: Formula, needs: readonly string[]): boolean {
  if (needs.length === 0) return formula.k === 'true';
  const conjuncts = formula.k === 'and' ? formula.args : [formula];
  const wanted = new Set(needs.map((need) => JSON.stringify(status(need, 'succeeded'))));
  return conjuncts.length === wanted.size && conjuncts.every((c) => wanted.has(JSON.stringify(c)));
}
