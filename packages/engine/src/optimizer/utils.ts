import { BOOL } from '../types/data-type.js';
import { call, columnsOf, lit, transformExpr, type Expr } from '../logical/expr.js';
import { childrenOf, outputFields, type AggregateNode, type LogicalPlan } from '../logical/plan.js';

/** Structural equality of plain data (objects, arrays, primitives); class instances compare by reference. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const pa = Object.getPrototypeOf(a);
  const pb = Object.getPrototypeOf(b);
  if ((pa !== Object.prototype && pa !== null) || (pb !== Object.prototype && pb !== null)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

export const exprEquals = (a: Expr, b: Expr): boolean => deepEqual(a, b);
export const planEquals = (a: LogicalPlan, b: LogicalPlan): boolean => deepEqual(a, b);

/** `next`, or null when it is structurally the same plan as `prev` (the rule contract). */
export function changedOrNull(prev: LogicalPlan, next: LogicalPlan): LogicalPlan | null {
  return next === prev || planEquals(prev, next) ? null : next;
}

export const TRUE_LIT = lit(true, BOOL);
export const FALSE_LIT = lit(false, BOOL);

/** Left-deep binary AND of the conjuncts (TRUE when empty). */
export function conjunction(exprs: readonly Expr[]): Expr {
  if (exprs.length === 0) return TRUE_LIT;
  return exprs.reduce((acc, e) => call('and', [acc, e], BOOL));
}

/** Left-deep binary OR of the disjuncts (FALSE when empty). */
export function disjunction(exprs: readonly Expr[]): Expr {
  if (exprs.length === 0) return FALSE_LIT;
  return exprs.reduce((acc, e) => call('or', [acc, e], BOOL));
}

/** Replaces column references by id with the mapped expression. */
export function substituteColumns(e: Expr, map: ReadonlyMap<number, Expr>): Expr {
  return transformExpr(e, (x) => (x.kind === 'column' ? map.get(x.id) ?? x : x));
}

export function isSubset(cols: ReadonlySet<number>, of: ReadonlySet<number>): boolean {
  for (const c of cols) if (!of.has(c)) return false;
  return true;
}

export function exprColumns(exprs: readonly (Expr | null)[], out: Set<number> = new Set()): Set<number> {
  for (const e of exprs) if (e) columnsOf(e, out);
  return out;
}

/** Applies `f` to every node bottom-up (children first), rebuilding only where something changed. */
export function transformPlanUp(plan: LogicalPlan, f: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  let node = plan;
  switch (plan.kind) {
    case 'scan':
    case 'values':
    case 'work_table':
      break;
    case 'recursive_cte': {
      const st = transformPlanUp(plan.static, f);
      const rec = transformPlanUp(plan.recursive, f);
      if (st !== plan.static || rec !== plan.recursive) node = { ...plan, static: st, recursive: rec };
      break;
    }
    case 'join': {
      const left = transformPlanUp(plan.left, f);
      const right = transformPlanUp(plan.right, f);
      if (left !== plan.left || right !== plan.right) node = { ...plan, left, right };
      break;
    }
    case 'set_op': {
      const inputs = plan.inputs.map((i) => transformPlanUp(i, f));
      if (inputs.some((x, i) => x !== plan.inputs[i])) node = { ...plan, inputs };
      break;
    }
    default: {
      const input = transformPlanUp(plan.input, f);
      if (input !== plan.input) node = { ...plan, input } as LogicalPlan;
    }
  }
  return f(node);
}

/** Applies `f` top-down: `f` returns a replacement for the node, whose children are then visited. */
export function transformPlanDown(plan: LogicalPlan, f: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  const node = f(plan);
  switch (node.kind) {
    case 'scan':
    case 'values':
    case 'work_table':
      return node;
    case 'recursive_cte': {
      const st = transformPlanDown(node.static, f);
      const rec = transformPlanDown(node.recursive, f);
      return st === node.static && rec === node.recursive ? node : { ...node, static: st, recursive: rec };
    }
    case 'join': {
      const left = transformPlanDown(node.left, f);
      const right = transformPlanDown(node.right, f);
      return left === node.left && right === node.right ? node : { ...node, left, right };
    }
    case 'set_op': {
      const inputs = node.inputs.map((i) => transformPlanDown(i, f));
      return inputs.every((x, i) => x === node.inputs[i]) ? node : { ...node, inputs };
    }
    default: {
      const input = transformPlanDown(node.input, f);
      return input === node.input ? node : ({ ...node, input } as LogicalPlan);
    }
  }
}

/** Approximate in-memory bytes per value of a type (utf8: dictionary code plus a share of the string). */
export function typeWidth(kind: string): number {
  switch (kind) {
    case 'null': return 1;
    case 'bool': return 1;
    case 'int32':
    case 'date': return 4;
    case 'utf8': return 20;
    default: return 8;
  }
}

/** The largest column id a plan's nodes output (fresh ids for a rewrite start above it). */
export function maxId(plan: LogicalPlan): number {
  let max = 0;
  const visit = (p: LogicalPlan): void => {
    for (const f of outputFields(p)) if (f.id !== undefined && f.id > max) max = f.id;
    for (const c of childrenOf(p)) visit(c);
  };
  visit(plan);
  return max;
}

/**
 * Applies `rewrite` to every Aggregate node bottom-up, handing it `fresh()` for new column ids
 * (above every id of the plan); null when nothing changed (the rule contract).
 */
export function rewriteAggregates(plan: LogicalPlan, rewrite: (node: AggregateNode, fresh: () => number) => LogicalPlan): LogicalPlan | null {
  let next = maxId(plan) + 1;
  const fresh = () => next++;
  return changedOrNull(plan, transformPlanUp(plan, (node) => (node.kind === 'aggregate' ? rewrite(node, fresh) : node)));
}
