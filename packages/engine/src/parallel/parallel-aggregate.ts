/**
 * Parallel hash aggregation, DataFusion's plan shapes (seed 004) on worker threads:
 *
 *   HashAggregateExec mode=FinalPartitioned | Final          ← main thread (this operator)
 *     RepartitionExec hash(keys) → N | CoalescePartitionsExec ← chosen at run time
 *       HashAggregateExec mode=Partial (per partition, skips itself on high cardinality)
 *         … the pipeline over partition i of the scans …      ← worker i
 *
 * Stage 1 runs the input pipeline and the partial aggregate in every partition and hash-splits
 * its output on the group keys. Then, if the partial output is small (few groups), the main
 * thread merges it all (CoalescePartitions + Final); otherwise bucket j of every partition goes
 * to worker j, which finishes its disjoint share of the groups (FinalPartitioned). DISTINCT
 * aggregates have no partial state: their rows are hash-partitioned raw and aggregated whole in
 * each partition (SinglePartitioned).
 */
import type { LogicalPlan, NamedExpr } from '../logical/plan.js';
import { HashAggregateExec, type AggregateSpec } from '../operators/aggregate/hash-aggregate.js';
import type { PhysicalPlanJson } from '../physical/display.js';
import { OperatorMetrics } from '../physical/metrics.js';
import type { ExecContext, PhysicalOperator } from '../physical/operator.js';
import type { Batch, Schema } from '../types/batch.js';
import { batchBytes } from '../types/batch.js';
import { BatchSourceExec } from './batch-source.js';
import type { ParallelConfig } from './config.js';
import { fragmentToWire, type SourceDescriptor } from './fragment.js';
import type { ScanNode } from '../logical/plan.js';
import { partitionRunner } from './pool.js';
import type { FinalTask, PartialTask, TaskResult } from './tasks.js';

export interface ParallelAggregateOptions {
  /** The aggregate's input, planned for display (EXPLAIN) and to know its schema; workers plan their own. */
  readonly displayInput: PhysicalOperator;
  readonly input: LogicalPlan;
  readonly groupBy: readonly NamedExpr[];
  readonly aggregates: readonly AggregateSpec[];
  /** 'Partial': partial/final; 'Raw': rows hash-partitioned, aggregated whole per partition (DISTINCT). */
  readonly stage1: 'Partial' | 'Raw';
  readonly config: ParallelConfig;
  /** Scan → descriptor a worker can open (called at execution). */
  readonly describe: (scan: ScanNode) => SourceDescriptor | null;
  /** Why the planner went parallel, for EXPLAIN. */
  readonly reason: string;
}

/** Folds per-partition metric trees into the display operators (sums; peaks summed: partitions run at once). */
function mergeMetrics(op: PhysicalOperator, trees: readonly PhysicalPlanJson[]): void {
  const m = op.metrics;
  for (const t of trees) {
    m.outputRows += t.metrics.outputRows;
    m.outputBatches += t.metrics.outputBatches;
    m.elapsedComputeMs += t.metrics.elapsedComputeMs;
    m.peakMemoryBytes += t.metrics.peakMemoryBytes;
    for (const [k, v] of Object.entries(t.metrics.extra ?? {})) {
      const cur = m.extra[k];
      m.extra[k] = typeof v === 'number' && (cur === undefined || typeof cur === 'number') ? (cur ?? 0) + v : v;
    }
  }
  if (trees.length > 1) m.extra.rowsPerPartition = `[${trees.map((t) => t.metrics.outputRows).join(' ')}]`;
  op.children.forEach((c, i) => mergeMetrics(c, trees.map((t) => t.children[i]).filter((x): x is PhysicalPlanJson => x !== undefined)));
}

/** The exchange between the stages, as EXPLAIN shows it (it does no work of its own). */
export class ExchangeExec implements PhysicalOperator {
  name = 'RepartitionExec';
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();
  readonly schema: Schema;
  detail: string;

  constructor(readonly input: PhysicalOperator, detail: string) {
    this.children = [input];
    this.schema = input.schema;
    this.detail = detail;
  }

  describe(): string {
    return this.detail;
  }

  execute(): AsyncIterable<Batch> {
    throw new Error('ExchangeExec is executed by ParallelAggregateExec');
  }
}

export class ParallelAggregateExec implements PhysicalOperator {
  readonly name = 'HashAggregateExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();
  private readonly stage1Display: PhysicalOperator;
  private readonly exchange: ExchangeExec;
  private chosen: string | null = null;
  private readonly keyNames: string;

  constructor(private readonly opts: ParallelAggregateOptions) {
    const n = opts.config.partitions;
    this.stage1Display = opts.stage1 === 'Partial'
      ? new HashAggregateExec({
        input: opts.displayInput,
        mode: 'Partial',
        groupBy: opts.groupBy,
        aggregates: opts.aggregates,
        ...(opts.groupBy.length > 0 ? { skipPartial: { probeRows: opts.config.skipPartialProbeRows, ratio: opts.config.skipPartialRatio } } : {}),
      })
      : opts.displayInput;
    this.keyNames = opts.groupBy.map((g) => g.name).join(', ');
    const exchangeDetail = opts.groupBy.length === 0
      ? `partitioning=UnknownPartitioning(${n}) → CoalescePartitions`
      : `partitioning=Hash([${this.keyNames}], ${n}), input_partitions=${n}; at run time: CoalescePartitions when stage 1 emits ≤ ${opts.config.coalesceMaxRows} rows`;
    this.exchange = new ExchangeExec(this.stage1Display, exchangeDetail);
    this.children = [this.exchange];
    const final = new HashAggregateExec({ input: this.stage1Display, mode: opts.stage1 === 'Partial' ? 'Final' : 'Single', groupBy: opts.groupBy, aggregates: opts.aggregates });
    this.schema = final.schema;
  }

  describe(): string {
    const o = this.opts;
    const gby = o.groupBy.map((g) => g.name).join(', ');
    const aggr = o.aggregates.map((a) => a.name).join(', ');
    const partitioned = o.stage1 === 'Partial' ? 'FinalPartitioned' : 'SinglePartitioned';
    const coalesced = o.stage1 === 'Partial' ? 'Final' : 'Single';
    const mode = this.chosen ?? (o.groupBy.length === 0 ? coalesced : `${partitioned}|${coalesced}`);
    return `mode=${mode}, gby=[${gby}], aggr=[${aggr}], partitions=${o.config.partitions} (${o.reason})`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    const o = this.opts;
    const n = o.config.partitions;
    const wire = fragmentToWire(o.input, o.describe);
    if (wire === null) throw new Error('parallel aggregate over a source workers cannot open');
    const runner = await partitionRunner(n, { threads: o.config.threads });
    const memoryLimit = ctx.config.memoryLimit === Infinity ? Infinity : Math.floor(ctx.config.memoryLimit / n);
    const stage1Schema = this.stage1Display.schema;
    const keyed = o.groupBy.length > 0;
    const buckets: Batch[][] = Array.from({ length: keyed ? n : 1 }, () => []);
    let stage1Rows = 0;
    let held = 0;
    const hold = (bytes: number) => {
      ctx.reserve(this.name, bytes);
      held += bytes;
    };
    const t0 = performance.now();
    // one failing partition stops the others; so does the query's own cancellation
    const abort = new AbortController();
    const onCancel = () => abort.abort();
    ctx.signal?.addEventListener('abort', onCancel, { once: true });
    try {
      const stage1: TaskResult[] = await Promise.all(
        Array.from({ length: n }, (_, i) => {
          const task: PartialTask = {
            kind: 'partial',
            plan: wire.plan,
            tables: wire.tables,
            mode: o.stage1,
            partition: { index: i, count: n },
            outPartitions: keyed ? n : 1,
            skipPartial: o.stage1 === 'Partial' && keyed ? { probeRows: o.config.skipPartialProbeRows, ratio: o.config.skipPartialRatio } : null,
            groupBy: o.groupBy,
            aggregates: o.aggregates,
            batchSize: ctx.config.batchSize,
            memoryLimit,
          };
          return runner.run(i, task, {
            schema: stage1Schema,
            emit: (out, b) => {
              buckets[out].push(b);
              stage1Rows += b.numRows;
              hold(batchBytes(b));
            },
            progress: (rows, bytes) => ctx.reportRead(rows, bytes),
          }, abort.signal).catch((e: unknown) => {
            abort.abort();
            throw e;
          });
        }),
      );
      ctx.checkCancelled();
      mergeMetrics(this.stage1Display, stage1.map((r) => r.operators));
      this.exchange.metrics.outputRows = stage1Rows;
      this.exchange.metrics.extra.stage1PeakBytes = stage1.reduce((a, r) => a + r.peakMemoryBytes, 0);
      if (!runner.threads) this.exchange.metrics.extra.threads = `none (${runner.reason})`;

      const finalMode = o.stage1 === 'Partial' ? 'Final' : 'Single';
      if (!keyed || stage1Rows <= o.config.coalesceMaxRows) {
        this.chosen = `${finalMode} (CoalescePartitions: stage 1 emitted ${stage1Rows} rows)`;
        this.exchange.name = 'CoalescePartitionsExec';
        this.exchange.detail = `partitions=${n}`;
        const all = buckets.flat();
        const agg = new HashAggregateExec({ input: new BatchSourceExec(stage1Schema, all), mode: finalMode, groupBy: o.groupBy, aggregates: o.aggregates });
        const t1 = performance.now();
        for await (const b of agg.execute(ctx)) {
          this.metrics.outputRows += b.numRows;
          this.metrics.outputBatches++;
          yield b;
        }
        this.metrics.elapsedComputeMs += performance.now() - t1;
        this.metrics.peakMemoryBytes = Math.max(this.metrics.peakMemoryBytes, agg.metrics.peakMemoryBytes + held);
        return;
      }

      this.chosen = `${finalMode}Partitioned (stage 1 emitted ${stage1Rows} rows > ${o.config.coalesceMaxRows})`;
      this.exchange.metrics.extra.rowsPerBucket = `[${buckets.map((b) => b.reduce((a, x) => a + x.numRows, 0)).join(' ')}]`;
      const out: Batch[] = [];
      let wake: (() => void) | null = null;
      let remaining = n;
      let failure: unknown = null;
      const finals: TaskResult[] = new Array<TaskResult>(n);
      for (let j = 0; j < n; j++) {
        const task: FinalTask = {
          kind: 'final',
          mode: finalMode,
          inputSchema: stage1Schema,
          batches: buckets[j],
          groupBy: o.groupBy,
          aggregates: o.aggregates,
          batchSize: ctx.config.batchSize,
          memoryLimit,
        };
        buckets[j] = []; // transferred to the worker
        runner
          .run(j, task, { schema: this.schema, emit: (_o, b) => { out.push(b); wake?.(); }, progress: () => {} }, abort.signal)
          .then((r) => { finals[j] = r; }, (e: unknown) => { failure ??= e; abort.abort(); })
          .finally(() => { remaining--; wake?.(); });
      }
      hold(-held);
      for (;;) {
        while (out.length > 0) {
          const b = out.shift()!;
          this.metrics.outputRows += b.numRows;
          this.metrics.outputBatches++;
          yield b;
        }
        if (failure !== null) throw failure;
        if (remaining === 0) break;
        await new Promise<void>((r) => (wake = r));
        wake = null;
      }
      if (failure !== null) throw failure;
      this.metrics.peakMemoryBytes = finals.reduce((a, r) => a + r.peakMemoryBytes, 0);
      this.metrics.extra.rowsPerPartition = `[${finals.map((r) => r.rowsOut).join(' ')}]`;
    } finally {
      abort.abort(); // early exit (LIMIT above, error): stop whatever still runs
      ctx.signal?.removeEventListener('abort', onCancel);
      if (held !== 0) ctx.reserve(this.name, -held);
      this.metrics.extra.wallMs = Math.round(performance.now() - t0);
    }
  }
}
