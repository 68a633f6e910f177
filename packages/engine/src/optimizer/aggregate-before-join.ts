import { col, columnsOf, type AggregateExpr, type Expr } from '../logical/expr.js';
import { outputFields, type AggregateNode, type JoinNode, type LogicalPlan, type NamedExpr } from '../logical/plan.js';
import { INT64 } from '../types/data-type.js';
import type { OptimizerRule } from './rule.js';
import { exprEquals, isSubset, rewriteAggregates } from './utils.js';
import { REAGGREGATED } from './single-distinct.js';

/**
 * Eager aggregation (Yan & Larson's group-by push-down) for the "group by the foreign key, show
 * the dimension's attributes" shape:
 *
 *   SELECT p.track_id, t.title, count(*) FROM plays p JOIN tracks t ON t.track_id = p.track_id
 *   GROUP BY p.track_id, t.title
 *   → SELECT k, t.title, sum(c) FROM (SELECT p.track_id k, count(*) c FROM plays p GROUP BY p.track_id) a
 *     JOIN tracks t ON t.track_id = a.k GROUP BY k, t.title
 *
 * The big side is grouped on its own keys before the join, so the join and the dimension's
 * (string) keys see one row per group instead of one per fact row. It applies to an inner join
 * without a residual filter when every group key reads one side only, every aggregate is
 * re-aggregatable (COUNT, SUM, MIN, MAX, BOOL_AND/OR, no DISTINCT; a FILTER on the grouped side)
 * and reads the grouped side, at least one group key comes from the other side, and — the
 * condition that makes it never worse — every join key of the grouped side is itself a group
 * key. Then the inner aggregate has at most as many groups as the original one over fewer key
 * columns, and the join and the outer aggregate read at most as many rows as the original join
 * produced. Duplicate keys on the other side are fine: each sub-group joins every match and the
 * outer SUM of counts adds them up as the original COUNT did.
 */
export const aggregateBeforeJoin: OptimizerRule = {
  name: 'aggregate_before_join',
  rewrite(plan) {
    return rewriteAggregates(plan, rewriteAggregate);
  },
};

function rewriteAggregate(node: AggregateNode, fresh: () => number): LogicalPlan {
  const join = node.input;
  if (join.kind !== 'join' || join.joinType !== 'inner' || join.filter !== null || join.on.length === 0) return node;
  if (node.groupBy.length === 0) return node;
  return pushInto(node, join, 'left', fresh) ?? pushInto(node, join, 'right', fresh) ?? node;
}

function pushInto(node: AggregateNode, join: JoinNode, side: 'left' | 'right', fresh: () => number): LogicalPlan | null {
  const grouped = join[side];
  const other = side === 'left' ? join.right : join.left;
  // already grouped (this rule's own output, or a subquery's GROUP BY): nothing to gain
  if (grouped.kind === 'aggregate') return null;
  const groupedIds = new Set(outputFields(grouped).map((f) => f.id!));
  const otherIds = new Set(outputFields(other).map((f) => f.id!));

  const inner: NamedExpr[] = [];
  const innerOf = new Map<number, NamedExpr>();
  let fromOther = 0;
  for (const g of node.groupBy) {
    const cols = columnsOf(g.expr);
    if (isSubset(cols, groupedIds)) {
      const k = { id: fresh(), name: g.name, expr: g.expr };
      inner.push(k);
      innerOf.set(g.id, k);
    } else if (isSubset(cols, otherIds)) {
      fromOther++;
    } else return null;
  }
  if (fromOther === 0 || inner.length === 0) return null;

  for (const a of node.aggregates) {
    if (a.agg.distinct || !REAGGREGATED.has(a.agg.fn)) return null;
    if (a.agg.arg !== null && !isSubset(columnsOf(a.agg.arg), groupedIds)) return null;
    if (a.agg.filter !== null && !isSubset(columnsOf(a.agg.filter), groupedIds)) return null;
  }

  // every join key of the grouped side must be a group key: the inner groups then never outnumber the original's
  const on: { left: Expr; right: Expr }[] = [];
  for (const k of join.on) {
    const key = side === 'left' ? k.left : k.right;
    const match = inner.find((g) => exprEquals(g.expr, key));
    if (!match) return null;
    const ref = col(match.id, match.name, match.expr.type);
    on.push(side === 'left' ? { left: ref, right: k.right } : { left: k.left, right: ref });
  }

  const partials = node.aggregates.map((a) => ({ outer: a, inner: { id: fresh(), name: a.name, agg: { ...a.agg } } }));
  const lower: AggregateNode = { kind: 'aggregate', input: grouped, groupBy: inner, aggregates: partials.map((p) => p.inner) };
  const joined: JoinNode = { ...join, [side]: lower, on };
  return {
    kind: 'aggregate',
    input: joined,
    // grouped side probing: with distinct build keys each of its groups meets at most one row
    ...(side === 'left' ? { oneRowPerGroupIfBuildUnique: true } : {}),
    groupBy: node.groupBy.map((g) => {
      const k = innerOf.get(g.id);
      return k ? { id: g.id, name: g.name, expr: col(k.id, k.name, g.expr.type) } : g;
    }),
    aggregates: partials.map(({ outer: a, inner: p }) => {
      const counts = a.agg.fn === 'count_star' || a.agg.fn === 'count';
      // a sum of counts is a count: int64, never NULL (every outer group has a sub-group)
      const agg: AggregateExpr = {
        fn: counts ? 'sum' : a.agg.fn,
        arg: col(p.id, p.name, p.agg.type),
        distinct: false,
        filter: null,
        type: counts ? INT64 : a.agg.type,
      };
      return { id: a.id, name: a.name, agg };
    }),
  };
}
