/**
 * The work a partition does, identical in a worker thread and in the main thread (the fallback
 * when worker threads are unavailable): run the fragment over one partition of its sources,
 * aggregate partially and hash-split the output; or aggregate received batches finally.
 */
import type { ScanPartition } from '../catalog.js';
import { compileExpr } from '../expr/compile.js';
import type { NamedExpr } from '../logical/plan.js';
import { HashAggregateExec, type AggregateSpec } from '../operators/aggregate/hash-aggregate.js';
import { createExecContext } from '../physical/context.js';
import { physicalPlanToJson, type PhysicalPlanJson } from '../physical/display.js';
import type { PhysicalOperator } from '../physical/operator.js';
import { createPhysicalPlan } from '../physical/planner.js';
import type { Batch, Field } from '../types/batch.js';
import { BatchSourceExec } from './batch-source.js';
import type { SourceCache, WirePlan } from './fragment.js';
import type { SharedTableDescriptor } from './shared-table.js';
import { hashSplit } from './hash-partition.js';

export interface TaskCommon {
  readonly groupBy: readonly NamedExpr[];
  readonly aggregates: readonly AggregateSpec[];
  readonly batchSize: number;
  /** Per-partition share of the query's memory limit (bytes; Infinity: none). */
  readonly memoryLimit: number;
}

/**
 * Rows another stage hash-partitioned for this task: the plan reads them through scans whose
 * source is `{ kind: 'task-input', index }` (an exchange below a window or a partitioned join).
 */
export interface TaskInput {
  readonly fields: readonly Field[];
  readonly batches: readonly Batch[];
}

/** Stage 1: the aggregate's input over one partition; 'Partial' aggregates it, 'Raw' passes rows on. */
export interface PartialTask extends TaskCommon {
  /** Rows received from an exchange below this plan (see TaskInput). */
  readonly inputs?: readonly TaskInput[];
  readonly kind: 'partial';
  readonly plan: WirePlan;
  /** Shared tables the plan references (a worker keeps them; the pool sends each once). */
  readonly tables: readonly SharedTableDescriptor[];
  readonly mode: 'Partial' | 'Raw';
  readonly partition: ScanPartition;
  /** Output hash-split on the group keys into this many buckets (1: no split). */
  readonly outPartitions: number;
  readonly skipPartial: { readonly probeRows: number; readonly ratio: number } | null;
}

/** Stage 2: one bucket of stage 1's output, aggregated to final values. */
export interface FinalTask extends TaskCommon {
  readonly kind: 'final';
  readonly mode: 'Final' | 'Single';
  readonly inputSchema: readonly Field[];
  readonly batches: readonly Batch[];
}

export type PartitionTask = PartialTask | FinalTask;

export interface TaskCallbacks {
  readonly signal: AbortSignal;
  /** An output batch for bucket `out`. */
  emit(out: number, batch: Batch): void;
  progress(rows: number, bytes: number): void;
}

export interface TaskResult {
  readonly operators: PhysicalPlanJson;
  readonly peakMemoryBytes: number;
  readonly rowsOut: number;
}

export async function runTask(task: PartitionTask, sources: SourceCache, cb: TaskCallbacks): Promise<TaskResult> {
  let root: PhysicalOperator;
  let keysOf: (b: Batch) => Batch['columns'];
  let outPartitions = 1;
  if (task.kind === 'partial') {
    for (const t of task.tables) sources.addShared(t);
    const plan = await sources.planFromWire(task.plan, task.inputs ?? []);
    const input = createPhysicalPlan(plan, { batchSize: task.batchSize });
    if (task.mode === 'Partial') {
      root = new HashAggregateExec({
        input,
        mode: 'Partial',
        groupBy: task.groupBy,
        aggregates: task.aggregates,
        ...(task.skipPartial !== null ? { skipPartial: task.skipPartial } : {}),
      });
      const k = task.groupBy.length;
      keysOf = (b) => b.columns.slice(0, k);
    } else {
      root = input;
      const keyExprs = task.groupBy.map((g) => compileExpr(g.expr, input.schema));
      keysOf = (b) => keyExprs.map((e) => e.evaluate(b));
    }
    outPartitions = task.outPartitions;
  } else {
    root = new HashAggregateExec({ input: new BatchSourceExec(task.inputSchema, task.batches), mode: task.mode, groupBy: task.groupBy, aggregates: task.aggregates });
    keysOf = () => [];
  }
  const ctx = createExecContext({
    config: { batchSize: task.batchSize, memoryLimit: task.memoryLimit },
    signal: cb.signal,
    ...(task.kind === 'partial' ? { partition: task.partition } : {}),
    onRead: (rows, bytes) => cb.progress(rows, bytes),
  });
  let rowsOut = 0;
  for await (const b of root.execute(ctx)) {
    if (b.numRows === 0) continue;
    rowsOut += b.numRows;
    if (outPartitions <= 1) {
      cb.emit(0, b);
      continue;
    }
    const parts = hashSplit(b, keysOf(b), outPartitions);
    for (let j = 0; j < parts.length; j++) {
      const p = parts[j];
      if (p !== null) cb.emit(j, p);
    }
  }
  return { operators: physicalPlanToJson(root), peakMemoryBytes: ctx.peakReservedBytes, rowsOut };
}
