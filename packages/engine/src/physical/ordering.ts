/**
 * Is an aggregate's input already sorted (clustered) on its group keys? Then the aggregate can
 * stream (operators/aggregate/streaming-aggregate.ts). Known orderings come from a Sort below,
 * seen through filters and column-passing projections; all group keys must be plain columns and
 * form the sort's leading keys in any order.
 */
import type { AggregateNode, LogicalPlan } from '../logical/plan.js';
import { stateFields } from '../operators/aggregate/accumulators/index.js';

/** All aggregates have a mergeable partial state (not DISTINCT, not string_agg). */
export function hasPartialState(node: AggregateNode): boolean {
  try {
    for (const a of node.aggregates) stateFields(a.agg);
    return true;
  } catch {
    return false;
  }
}

export function sortedOnGroupKeys(node: AggregateNode): string | null {
  if (node.groupBy.length === 0) return null;
  const ids: number[] = [];
  for (const g of node.groupBy) {
    if (g.expr.kind !== 'column') return null;
    ids.push(g.expr.id);
  }
  let want = new Set(ids);
  let plan: LogicalPlan = node.input;
  for (;;) {
    switch (plan.kind) {
      case 'filter':
      case 'limit':
        plan = plan.input;
        continue;
      case 'projection': {
        // follow the keys through columns the projection passes on
        const next = new Set<number>();
        for (const id of want) {
          const e = plan.exprs.find((x) => x.id === id);
          if (e === undefined || e.expr.kind !== 'column') return null;
          next.add(e.expr.id);
        }
        want = next;
        plan = plan.input;
        continue;
      }
      case 'sort': {
        const lead = plan.keys.slice(0, want.size);
        if (lead.length < want.size) return null;
        for (const k of lead) if (k.expr.kind !== 'column' || !want.has(k.expr.id)) return null;
        return lead.map((k) => (k.expr.kind === 'column' ? k.expr.name : '?')).join(', ');
      }
      default:
        return null;
    }
  }
}
