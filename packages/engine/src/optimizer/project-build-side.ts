import type { NumericRange } from '../catalog.js';
import { col, columnsOf, type Expr } from '../logical/expr.js';
import { outputFields, type AggregateNode, type LogicalPlan, type NamedExpr } from '../logical/plan.js';
import { cannotFail } from './cannot-fail.js';
import type { OptimizerRule } from './rule.js';
import { exprEquals, isSubset, rewriteAggregates } from './utils.js';

/**
 * Computes an aggregate's group key or argument that reads only a broadcast join's build side
 * on that side, once per build row, instead of once per joined row:
 *
 *   SELECT CASE WHEN 2024 - u.birth_year < 20 THEN '10s' … END, count(*) FROM plays p JOIN users u …
 *   → the CASE becomes a column of a Projection over `users` (100k rows, not 10M plays) and the
 *     join carries it like any other build column.
 *
 * Only into the build (right) side of INNER broadcast joins on the aggregate's input path
 * (through filters and the probe sides of joins), and only expressions that cannot fail
 * (cannot-fail.ts: the build side holds rows no probe row matches, which the original plan never
 * evaluated the expression on).
 */
export const projectBuildSide: OptimizerRule = {
  name: 'project_build_side',
  rewrite(plan) {
    return rewriteAggregates(plan, rewriteAggregate);
  },
};

const computed = (e: Expr | null): e is Expr => e !== null && e.kind !== 'column' && e.kind !== 'literal' && columnsOf(e).size > 0;

function rewriteAggregate(node: AggregateNode, fresh: () => number): LogicalPlan {
  let input = node.input;
  const placed: { expr: Expr; ref: Expr }[] = [];
  const refFor = (e: Expr, name: string): Expr | null => {
    const known = placed.find((p) => exprEquals(p.expr, e));
    if (known) return known.ref;
    const id = fresh();
    const next = place(input, { id, name, expr: e });
    if (next === null) return null;
    input = next;
    const ref = col(id, name, e.type);
    placed.push({ expr: e, ref });
    return ref;
  };
  const groupBy = node.groupBy.map((g) => {
    if (!computed(g.expr)) return g;
    const ref = refFor(g.expr, g.name);
    return ref === null ? g : { ...g, expr: ref };
  });
  const aggregates = node.aggregates.map((a) => {
    if (!computed(a.agg.arg)) return a;
    const ref = refFor(a.agg.arg, a.name);
    return ref === null ? a : { ...a, agg: { ...a.agg, arg: ref } };
  });
  return placed.length === 0 ? node : { ...node, input, groupBy, aggregates };
}

/** `plan` with `named` computed on the build side that holds all its columns, or null. */
function place(plan: LogicalPlan, named: NamedExpr): LogicalPlan | null {
  const cols = columnsOf(named.expr);
  switch (plan.kind) {
    case 'filter': {
      const input = place(plan.input, named);
      return input === null ? null : { ...plan, input };
    }
    case 'join': {
      if (plan.on.length === 0) return null;
      const rightIds = new Set(outputFields(plan.right).map((f) => f.id!));
      if (isSubset(cols, rightIds)) {
        if (plan.joinType !== 'inner' || plan.strategy !== 'broadcast') return null;
        if (!cannotFail(named.expr, rangesOf(plan.right))) return null;
        const passed: NamedExpr[] = outputFields(plan.right).map((f) => ({ id: f.id!, name: f.name, expr: col(f.id!, f.name, f.type) }));
        return { ...plan, right: { kind: 'projection', input: plan.right, exprs: [...passed, named] } };
      }
      if (plan.joinType === 'full') return null;
      const leftIds = new Set(outputFields(plan.left).map((f) => f.id!));
      if (!isSubset(cols, leftIds)) return null;
      const left = place(plan.left, named);
      return left === null ? null : { ...plan, left };
    }
    default:
      return null;
  }
}

/**
 * Known value ranges of a plan's columns: those of the scanned columns, followed through column
 * renames. Asked per column, so an in-memory source computes only the ranges an expression reads.
 */
function rangesOf(plan: LogicalPlan): (id: number) => NumericRange | undefined {
  const known = new Map<number, () => NumericRange | undefined>();
  const visit = (p: LogicalPlan): void => {
    switch (p.kind) {
      case 'scan':
        for (const f of p.fields) known.set(f.id!, () => p.source.columnRange?.(f.name));
        return;
      case 'projection':
        visit(p.input);
        for (const e of p.exprs) {
          const inner = e.expr.kind === 'column' ? known.get(e.expr.id) : undefined;
          if (inner !== undefined && !known.has(e.id)) known.set(e.id, inner);
        }
        return;
      case 'filter':
      case 'sort':
      case 'limit':
        visit(p.input);
        return;
      case 'join':
        visit(p.left);
        visit(p.right);
        return;
      default:
        return;
    }
  };
  visit(plan);
  return (id) => known.get(id)?.();
}
