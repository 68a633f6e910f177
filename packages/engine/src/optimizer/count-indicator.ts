import { call, col, lit, type AggregateExpr, type Expr } from '../logical/expr.js';
import type { AggregateNode, LogicalPlan, NamedExpr } from '../logical/plan.js';
import { BOOL, INT64 } from '../types/data-type.js';
import type { OptimizerRule } from './rule.js';
import { rewriteAggregates } from './utils.js';

/**
 * `SUM(CASE WHEN c THEN 1 ELSE 0 END)` — the data-quality idiom of seed 000, counting the rows a
 * rule flags — becomes `COUNT(*) FILTER (WHERE c)`: the predicate is counted where it holds
 * instead of being turned into a column of ones and zeros and summed (six such checks over 10M
 * rows: 200 → 140 ms). A NULL condition counts as 0 either way. The two differ only over no rows
 * (SUM is NULL, COUNT 0), which only an aggregate without GROUP BY can see: there a projection
 * above keeps NULL when the aggregate's COUNT(*) is 0.
 */
export const countIndicator: OptimizerRule = {
  name: 'count_indicator',
  rewrite(plan) {
    return rewriteAggregates(plan, rewriteAggregate);
  },
};

/** The condition of `CASE WHEN c THEN 1 ELSE 0 END` (int32 literals), or null. */
function indicatorOf(e: Expr | null): Expr | null {
  if (e === null || e.kind !== 'case' || e.type.kind !== 'int32' || e.whens.length !== 1) return null;
  const { when, then } = e.whens[0]!;
  const other = e.otherwise;
  if (then.kind !== 'literal' || then.value !== 1 || other === null || other.kind !== 'literal' || other.value !== 0) return null;
  return when;
}

function rewriteAggregate(node: AggregateNode, fresh: () => number): LogicalPlan {
  const targets = node.aggregates.filter((a) => a.agg.fn === 'sum' && !a.agg.distinct && indicatorOf(a.agg.arg) !== null);
  if (targets.length === 0) return node;
  const counted = (a: AggregateNode['aggregates'][number], id: number) => {
    const c = indicatorOf(a.agg.arg)!;
    const agg: AggregateExpr = { fn: 'count_star', arg: null, distinct: false, filter: a.agg.filter === null ? c : call('and', [a.agg.filter, c], BOOL), type: INT64 };
    return { id, name: a.name, agg };
  };
  if (node.groupBy.length > 0) {
    // every group has a row: the counts are the sums
    return { ...node, aggregates: node.aggregates.map((a) => (targets.includes(a) ? counted(a, a.id) : a)) };
  }
  // one group, possibly of no rows: NULL when there are none, as SUM gives
  let rows = node.aggregates.find((a) => a.agg.fn === 'count_star' && a.agg.filter === null && !a.agg.distinct);
  const aggregates = node.aggregates.map((a) => (targets.includes(a) ? counted(a, fresh()) : a));
  if (rows === undefined) {
    rows = { id: fresh(), name: 'rows', agg: { fn: 'count_star', arg: null, distinct: false, filter: null, type: INT64 } };
    aggregates.push(rows);
  }
  const n = col(rows.id, rows.name, INT64);
  const exprs: NamedExpr[] = node.aggregates.map((a, i) => {
    const now = aggregates[i]!;
    if (!targets.includes(a)) return { id: a.id, name: a.name, expr: col(a.id, a.name, a.agg.type) };
    const expr: Expr = {
      kind: 'case',
      whens: [{ when: call('eq', [n, lit(0, INT64)], BOOL), then: lit(null, INT64) }],
      otherwise: col(now.id, now.name, INT64),
      type: INT64,
    };
    return { id: a.id, name: a.name, expr };
  });
  return { kind: 'projection', input: { ...node, aggregates }, exprs };
}
