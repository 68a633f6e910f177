import type { SortNode } from '../logical/plan.js';
import type { OptimizerRule } from './rule.js';
import { changedOrNull, transformPlanUp } from './utils.js';

/**
 * Top-k: a Limit directly over a Sort (or over a Projection over a Sort) tells the sort it only
 * needs its first skip + fetch rows (Sort.fetch), so it can keep a bounded heap instead of
 * sorting everything. The Limit stays (it applies the skip and is cheap).
 */
export const topK: OptimizerRule = {
  name: 'topk',
  rewrite(plan) {
    return changedOrNull(
      plan,
      transformPlanUp(plan, (node) => {
        if (node.kind !== 'limit' || node.fetch === null) return node;
        const n = node.skip + node.fetch;
        const withFetch = (s: SortNode): SortNode | null =>
          s.fetch !== null && s.fetch <= n ? null : { ...s, fetch: n };
        const child = node.input;
        if (child.kind === 'sort') {
          const s = withFetch(child);
          return s ? { ...node, input: s } : node;
        }
        if (child.kind === 'projection' && child.input.kind === 'sort') {
          const s = withFetch(child.input);
          return s ? { ...node, input: { ...child, input: s } } : node;
        }
        return node;
      }),
    );
  },
};
