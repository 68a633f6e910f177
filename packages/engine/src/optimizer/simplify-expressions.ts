import { evaluateConstant } from '../expr/constant.js';
import { columnsOf, lit, splitConjunction, transformExpr, type Expr, type LiteralExpr } from '../logical/expr.js';
import type { LogicalPlan } from '../logical/plan.js';
import { outputFields } from '../logical/plan.js';
import { typesEqual } from '../types/data-type.js';
import type { OptimizerRule } from './rule.js';
import { changedOrNull, conjunction, disjunction, FALSE_LIT, TRUE_LIT, transformPlanUp } from './utils.js';

/**
 * Constant folding and boolean simplification (DataFusion's SimplifyExpressions):
 *  - column-free sub-expressions are evaluated once at plan time (expr/constant.ts; errors such as
 *    division by zero are left to run time);
 *  - x AND TRUE → x, x AND FALSE → FALSE, x OR FALSE → x, x OR TRUE → TRUE, NOT NOT x → x,
 *    CASE arms with constant conditions, casts to the same type;
 *  - Filter TRUE is removed, Filter FALSE/NULL becomes an empty Values node, TRUE conjuncts are
 *    dropped from scan filters, join filters and aggregate FILTER clauses.
 * All rewrites are valid under three-valued logic.
 */
export const simplifyExpressions: OptimizerRule = {
  name: 'simplify_expressions',
  rewrite(plan) {
    return changedOrNull(plan, transformPlanUp(plan, simplifyNode));
  },
};

const isTrue = (e: Expr): boolean => e.kind === 'literal' && e.value === true;
const isFalse = (e: Expr): boolean => e.kind === 'literal' && e.value === false;
const isNullLit = (e: Expr): boolean => e.kind === 'literal' && e.value === null;

/** Folds a column-free expression to a literal of the same type, or returns null. */
function fold(e: Expr): LiteralExpr | null {
  if (e.kind === 'literal' || e.kind === 'column') return null;
  if (columnsOf(e).size > 0) return null;
  const v = evaluateConstant(e);
  if (v === null) return null;
  if (typesEqual(v.type, e.type)) return v;
  if (v.value === null) return lit(null, e.type);
  return null;
}

function simplifyNodeExpr(e: Expr): Expr {
  switch (e.kind) {
    case 'call': {
      if (e.fn === 'and' || e.fn === 'or') {
        const isAnd = e.fn === 'and';
        // Flatten nested chains of the same operator.
        const parts: Expr[] = [];
        const flatten = (x: Expr): void => {
          if (x.kind === 'call' && x.fn === e.fn) x.args.forEach(flatten);
          else parts.push(x);
        };
        flatten(e);
        const absorbing = isAnd ? isFalse : isTrue;
        const neutral = isAnd ? isTrue : isFalse;
        if (parts.some(absorbing)) return isAnd ? FALSE_LIT : TRUE_LIT;
        const kept = parts.filter((p) => !neutral(p));
        if (kept.length === parts.length) return e;
        return isAnd ? conjunction(kept) : disjunction(kept);
      }
      if (e.fn === 'not' && e.args.length === 1) {
        const a = e.args[0];
        if (a.kind === 'call' && a.fn === 'not' && a.args.length === 1) return a.args[0];
        if (isTrue(a)) return FALSE_LIT;
        if (isFalse(a)) return TRUE_LIT;
      }
      return fold(e) ?? e;
    }
    case 'cast':
      if (typesEqual(e.expr.type, e.type)) return e.expr;
      return fold(e) ?? e;
    case 'case': {
      // Drop WHENs that can never fire; a leading always-true WHEN decides the result.
      const whens = e.whens.filter((w) => !isFalse(w.when) && !isNullLit(w.when));
      if (whens.length > 0 && isTrue(whens[0].when)) return whens[0].then;
      if (whens.length === 0) return e.otherwise ?? lit(null, e.type);
      const next = whens.length === e.whens.length ? e : { ...e, whens };
      return fold(next) ?? next;
    }
    case 'in_list':
      return fold(e) ?? e;
    default:
      return e;
  }
}

export function simplifyExpr(e: Expr): Expr {
  return transformExpr(e, simplifyNodeExpr);
}

/** Simplifies a list of conjuncts: drops TRUE ones; returns [FALSE] if any is FALSE. */
function simplifyConjuncts(exprs: readonly Expr[]): Expr[] {
  const out: Expr[] = [];
  for (const e of exprs) {
    for (const c of splitConjunction(simplifyExpr(e))) {
      if (isTrue(c)) continue;
      out.push(c);
    }
  }
  return out;
}

function simplifyNode(plan: LogicalPlan): LogicalPlan {
  switch (plan.kind) {
    case 'scan': {
      if (plan.filters.length === 0) return plan;
      return { ...plan, filters: simplifyConjuncts(plan.filters) };
    }
    case 'values':
      return { ...plan, rows: plan.rows.map((r) => r.map(simplifyExpr)) };
    case 'projection':
      return { ...plan, exprs: plan.exprs.map((n) => ({ ...n, expr: simplifyExpr(n.expr) })) };
    case 'filter': {
      const p = simplifyExpr(plan.predicate);
      if (isTrue(p)) return plan.input;
      if (isFalse(p) || isNullLit(p)) return { kind: 'values', fields: outputFields(plan.input), rows: [] };
      return { ...plan, predicate: p };
    }
    case 'aggregate':
      return {
        ...plan,
        groupBy: plan.groupBy.map((g) => ({ ...g, expr: simplifyExpr(g.expr) })),
        aggregates: plan.aggregates.map((a) => {
          const f = a.agg.filter ? simplifyExpr(a.agg.filter) : null;
          return {
            ...a,
            agg: { ...a.agg, arg: a.agg.arg ? simplifyExpr(a.agg.arg) : null, filter: f && isTrue(f) ? null : f },
          };
        }),
      };
    case 'join': {
      const f = plan.filter ? simplifyExpr(plan.filter) : null;
      return {
        ...plan,
        on: plan.on.map((k) => ({ left: simplifyExpr(k.left), right: simplifyExpr(k.right) })),
        filter: f && isTrue(f) ? null : f,
      };
    }
    case 'sort':
      return { ...plan, keys: plan.keys.map((k) => ({ ...k, expr: simplifyExpr(k.expr) })) };
    case 'limit':
    case 'set_op':
    case 'max_one_row':
    case 'recursive_cte':
    case 'work_table':
      return plan;
    case 'window':
      return {
        ...plan,
        windows: plan.windows.map((w) => ({
          ...w,
          window: {
            ...w.window,
            arg: w.window.arg ? simplifyExpr(w.window.arg) : null,
            ...(w.window.defaultValue ? { defaultValue: simplifyExpr(w.window.defaultValue) } : {}),
            partitionBy: w.window.partitionBy.map(simplifyExpr),
            orderBy: w.window.orderBy.map((k) => ({ ...k, expr: simplifyExpr(k.expr) })),
          },
        })),
      };
  }
}
