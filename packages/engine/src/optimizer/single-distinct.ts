import { col, type AggregateExpr, type Expr } from '../logical/expr.js';
import type { AggregateNode, LogicalPlan } from '../logical/plan.js';
import { INT64 } from '../types/data-type.js';
import type { OptimizerRule } from './rule.js';
import { rewriteAggregates } from './utils.js';

/** Aggregates whose value over a group is the same aggregate over its sub-groups' values. */
export const REAGGREGATED: ReadonlySet<AggregateExpr['fn']> = new Set<AggregateExpr['fn']>(['count_star', 'count', 'sum', 'min', 'max', 'bool_and', 'bool_or']);

/**
 * DataFusion's single_distinct_to_group_by. A grouped aggregate whose DISTINCT aggregates all
 * read the same argument x (COUNT/SUM(DISTINCT x)), beside plain COUNT/SUM/MIN/MAX/BOOL_*:
 *
 *   SELECT g, count(*), sum(m), count(DISTINCT x) FROM t GROUP BY g
 *   → SELECT g, sum(c), sum(s), count(x) FROM (SELECT g, x, count(*) c, sum(m) s FROM t GROUP BY g, x) GROUP BY g
 *
 * The inner aggregate has mergeable state, so it runs partial/final across partitions instead of
 * shipping every row to one place (a DISTINCT has no partial state), and its hash table replaces
 * the (group, value) set. Not without GROUP BY (one group: the DISTINCT accumulator's bitmap is
 * faster there), nor with FILTER, AVG, STDDEV and the like.
 */
export const singleDistinctToGroupBy: OptimizerRule = {
  name: 'single_distinct_to_group_by',
  rewrite(plan) {
    return rewriteAggregates(plan, rewriteAggregate);
  },
};

function rewriteAggregate(node: AggregateNode, fresh: () => number): LogicalPlan {
  if (node.groupBy.length === 0) return node;
  const distinct = node.aggregates.filter((a) => a.agg.distinct);
  if (distinct.length === 0) return node;
  const arg = distinct[0]!.agg.arg;
  if (arg === null) return node;
  const argKey = JSON.stringify(arg);
  for (const a of node.aggregates) {
    if (a.agg.filter !== null) return node;
    if (a.agg.distinct) {
      if ((a.agg.fn !== 'count' && a.agg.fn !== 'sum') || JSON.stringify(a.agg.arg) !== argKey) return node;
    } else if (!REAGGREGATED.has(a.agg.fn)) return node;
  }
  const keys = node.groupBy.map((g) => ({ id: fresh(), name: g.name, expr: g.expr }));
  const x = { id: fresh(), name: 'distinct_arg', expr: arg };
  const partials = node.aggregates
    .filter((a) => !a.agg.distinct)
    .map((a) => ({ outer: a, inner: { id: fresh(), name: a.name, agg: { ...a.agg } } }));
  const inner: AggregateNode = { kind: 'aggregate', input: node.input, groupBy: [...keys, x], aggregates: partials.map((p) => p.inner) };
  const reagg = (fn: AggregateExpr['fn']): AggregateExpr['fn'] => (fn === 'count_star' || fn === 'count' ? 'sum' : fn);
  const byOuter = new Map(partials.map((p) => [p.outer.id, p.inner]));
  return {
    kind: 'aggregate',
    input: inner,
    groupBy: node.groupBy.map((g, i) => ({ id: g.id, name: g.name, expr: col(keys[i]!.id, g.name, g.expr.type) as Expr })),
    aggregates: node.aggregates.map((a) => {
      if (a.agg.distinct) {
        // the sub-groups hold each x once (NULL too, which COUNT and SUM skip)
        return { id: a.id, name: a.name, agg: { ...a.agg, distinct: false, arg: col(x.id, x.name, arg.type) } };
      }
      const p = byOuter.get(a.id)!;
      const partialType = p.agg.type;
      // a sum of counts is a count: int64, never NULL (every group has a sub-group)
      const type = a.agg.fn === 'count_star' || a.agg.fn === 'count' ? INT64 : a.agg.type;
      return { id: a.id, name: a.name, agg: { fn: reagg(a.agg.fn), arg: col(p.id, p.name, partialType), distinct: false, filter: null, type } };
    }),
  };
}
