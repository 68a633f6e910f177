/**
 * When an aggregate runs partitioned. Its input must be a pipeline each partition can run alone:
 * scans (of files or in-memory tables workers can open), filters, projections, and broadcast
 * hash joins whose build side every partition reads whole. Below a row count the single-thread
 * plan is kept (hand-offs between threads would cost more than they save).
 */
import fs from 'node:fs';
import type { AggregateNode, LogicalPlan, ScanNode } from '../logical/plan.js';
import { stateFields } from '../operators/aggregate/accumulators/index.js';
import type { PhysicalOperator } from '../physical/operator.js';
import type { ParallelConfig } from './config.js';
import { describeSource, type SourceDescriptor } from './fragment.js';
import { ParallelAggregateExec } from './parallel-aggregate.js';

/** Rows the partitioned side reads, or null when the input is not a partitionable pipeline. */
function pipelineRows(plan: LogicalPlan, replicated: boolean): number | null {
  switch (plan.kind) {
    case 'scan': {
      if (plan.source.kind === 'csv') return null;
      if (plan.source.kind !== 'memory' && plan.source.location === undefined) return null;
      if (replicated) return 0;
      return plan.source.statistics().numRows ?? null;
    }
    case 'filter':
    case 'projection':
      return pipelineRows(plan.input, replicated);
    case 'join': {
      if (plan.strategy !== 'broadcast' || plan.on.length === 0 || (plan.joinType !== 'inner' && plan.joinType !== 'left')) return null;
      const left = pipelineRows(plan.left, replicated);
      const right = pipelineRows(plan.right, true);
      return left === null || right === null ? null : left;
    }
    default:
      return null;
  }
}

function mtimeOf(location: string | undefined): number {
  try {
    return location === undefined ? 0 : fs.statSync(location).mtimeMs;
  } catch {
    return 0;
  }
}

/** Scans under a broadcast join's build side are read whole by every partition. */
function replicatedScans(plan: LogicalPlan, inBuild: boolean, out: Set<ScanNode>): Set<ScanNode> {
  if (plan.kind === 'scan') {
    if (inBuild) out.add(plan);
    return out;
  }
  if (plan.kind === 'join') {
    replicatedScans(plan.left, inBuild, out);
    replicatedScans(plan.right, true, out);
    return out;
  }
  if ('input' in plan) replicatedScans(plan.input, inBuild, out);
  return out;
}

function describeScan(replicated: Set<ScanNode>) {
  return (scan: ScanNode): SourceDescriptor | null => {
    const d = describeSource(scan.source, () => mtimeOf(scan.source.location));
    if (d === null || !replicated.has(scan)) return d;
    return { ...d, replicated: true };
  };
}

/** The partitioned plan of this aggregate, or null to keep the single-thread one. */
export function planParallelAggregate(
  node: AggregateNode,
  config: ParallelConfig | undefined,
  displayInput: () => PhysicalOperator,
): PhysicalOperator | null {
  if (config === undefined || config.partitions <= 1) return null;
  const rows = pipelineRows(node.input, false);
  if (rows === null || rows < config.minRows) return null;
  let stage1: 'Partial' | 'Raw' = 'Partial';
  for (const a of node.aggregates) {
    try {
      stateFields(a.agg);
    } catch {
      stage1 = 'Raw'; // DISTINCT, string_agg: no mergeable partial state
    }
  }
  if (stage1 === 'Raw' && node.groupBy.length === 0) return null;
  return new ParallelAggregateExec({
    displayInput: displayInput(),
    input: node.input,
    groupBy: node.groupBy,
    aggregates: node.aggregates,
    stage1,
    config,
    describe: describeScan(replicatedScans(node.input, false, new Set())),
    reason: `input ~${rows} rows ≥ ${config.minRows}`,
  });
}
