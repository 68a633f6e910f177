import type { LimitNode, LogicalPlan } from '../logical/plan.js';
import type { OptimizerRule } from './rule.js';
import { changedOrNull, transformPlanDown } from './utils.js';

/**
 * Limit pushdown: a Limit moves below a Projection (which maps rows 1:1), so the projection
 * computes only the rows that survive; two adjacent Limits merge into one.
 */
export const pushDownLimit: OptimizerRule = {
  name: 'push_down_limit',
  rewrite(plan) {
    return changedOrNull(plan, transformPlanDown(plan, pushOne));
  },
};

function pushOne(node: LogicalPlan): LogicalPlan {
  if (node.kind !== 'limit') return node;
  const child = node.input;
  if (child.kind === 'projection') {
    return { ...child, input: pushOne({ ...node, input: child.input }) };
  }
  if (child.kind === 'limit') return pushOne(mergeLimits(node, child));
  return node;
}

/** outer(skip a, fetch b) over inner(skip c, fetch d) = skip c + a, fetch min(b, d − a). */
export function mergeLimits(outer: LimitNode, inner: LimitNode): LimitNode {
  const skip = inner.skip + outer.skip;
  let fetch: number | null = outer.fetch;
  if (inner.fetch !== null) {
    const remaining = Math.max(0, inner.fetch - outer.skip);
    fetch = fetch === null ? remaining : Math.min(fetch, remaining);
  }
  return { kind: 'limit', input: inner.input, skip, fetch };
}
