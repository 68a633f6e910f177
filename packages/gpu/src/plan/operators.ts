/**
 * Plan nodes in the engine's operator shape ({name, description, metrics, children}), so PostgreSQL
 * and PG-Strom runs land in the same OperatorMetric rows as the engine's and the dashboard compares
 * them node by node.
 */
import type { PlanNode, PlanSummary } from './classify.js';

export interface OperatorJson {
  name: string;
  description: string;
  metrics: { outputRows: number; outputBatches: number; elapsedComputeMs: number; peakMemoryBytes: number; extra?: Record<string, number | string> };
  children: OperatorJson[];
}

function toOperator(n: PlanNode, all: PlanNode[]): OperatorJson {
  const extra: Record<string, number | string> = { device: n.device };
  if (n.loops !== null) extra.loops = n.loops;
  if (n.sharedHitBlocks !== null) extra.sharedHitBlocks = n.sharedHitBlocks;
  if (n.sharedReadBlocks !== null) extra.sharedReadBlocks = n.sharedReadBlocks;
  if (n.totalTimeMs !== null) extra.inclusiveMs = n.totalTimeMs;
  if (n.provider) extra.provider = n.provider;
  if (n.fallback) extra.fallback = n.fallback;
  if (n.gpuSort.length) extra.gpuSort = n.gpuSort.join('; ');
  for (const [k, v] of Object.entries(n.pgStrom)) if (!(k in extra)) extra[k] = v;
  return {
    name: n.label,
    description: n.description,
    metrics: {
      outputRows: n.actualRows ?? 0,
      // PostgreSQL has no batches; 0 says "not measured" rather than inventing a number.
      outputBatches: 0,
      elapsedComputeMs: n.selfTimeMs ?? 0,
      peakMemoryBytes: (n.memoryKb ?? 0) * 1024,
      extra,
    },
    children: all.filter((c) => c.parentIndex === n.index).map((c) => toOperator(c, all)),
  };
}

export function planToOperators(summary: PlanSummary): OperatorJson | null {
  const root = summary.nodes[0];
  return root ? toOperator(root, summary.nodes) : null;
}
