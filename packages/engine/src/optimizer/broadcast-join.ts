import { col } from '../logical/expr.js';
import { childrenOf, outputFields, type JoinNode, type LogicalPlan } from '../logical/plan.js';
import { estimateBytes, estimateRows } from './estimate.js';
import type { OptimizerConfig, OptimizerRule } from './rule.js';
import { changedOrNull, transformPlanUp } from './utils.js';

/** The left side of an inner join must be at most this fraction of the right for a swap. */
export const SWAP_RATIO = 0.5;

/**
 * Join strategy selection. The hash join builds from the right input, so for INNER joins whose
 * left input is estimated much smaller than the right (≤ SWAP_RATIO ×), the inputs are swapped
 * (keys swapped too) and a Projection restores the original output column order. LEFT joins
 * never swap (the left side is the preserved one). Then every join gets
 * strategy 'broadcast' when the right (build) side is estimated at ≤ broadcastThresholdRows rows
 * and ≤ broadcastThresholdBytes bytes, else 'partitioned' (also when the size is unknown),
 * with a strategyReason for EXPLAIN.
 */
export const broadcastJoin: OptimizerRule = {
  name: 'broadcast_join',
  rewrite(plan, config) {
    return changedOrNull(
      plan,
      transformPlanUp(plan, (node) => (node.kind === 'join' ? planJoin(node, config) : node)),
    );
  },
};

function planJoin(join: JoinNode, config: OptimizerConfig): LogicalPlan {
  if (join.joinType === 'inner') {
    const l = estimateRows(join.left);
    const r = estimateRows(join.right);
    if (l !== undefined && r !== undefined && l <= r * SWAP_RATIO) {
      const swapped: JoinNode = withStrategy(
        {
          ...join,
          left: join.right,
          right: join.left,
          on: join.on.map((k) => ({ left: k.right, right: k.left })),
        },
        config,
      );
      const shown = displayNames(join);
      return {
        kind: 'projection',
        input: swapped,
        exprs: outputFields(join).map((f) => ({ id: f.id!, name: f.name, expr: col(f.id!, shown.get(f.id!) ?? f.name, f.type) })),
      };
    }
  }
  return withStrategy(join, config);
}

/** Display names for column references to a plan's columns: `alias.column` for scan columns. */
function displayNames(plan: LogicalPlan, out: Map<number, string> = new Map()): Map<number, string> {
  if (plan.kind === 'scan') {
    for (const f of plan.fields) out.set(f.id!, `${plan.alias || plan.table}.${f.name}`);
    return out;
  }
  for (const child of childrenOf(plan)) displayNames(child, out);
  return out;
}

function formatRows(n: number): string {
  return String(Math.round(n));
}

function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function withStrategy(join: JoinNode, config: OptimizerConfig): JoinNode {
  const rows = estimateRows(join.right);
  const bytes = estimateBytes(join.right);
  let strategy: JoinNode['strategy'];
  let reason: string;
  if (rows === undefined || bytes === undefined) {
    strategy = 'partitioned';
    reason = 'right side size unknown';
  } else if (rows > config.broadcastThresholdRows) {
    strategy = 'partitioned';
    reason = `right side ~${formatRows(rows)} rows > ${config.broadcastThresholdRows}`;
  } else if (bytes > config.broadcastThresholdBytes) {
    strategy = 'partitioned';
    reason = `right side ~${formatMiB(bytes)} > ${formatMiB(config.broadcastThresholdBytes)}`;
  } else {
    strategy = 'broadcast';
    reason = `right side ~${formatRows(rows)} rows ≤ ${config.broadcastThresholdRows}`;
  }
  if (join.strategy === strategy && join.strategyReason === reason) return join;
  return { ...join, strategy, strategyReason: reason };
}
