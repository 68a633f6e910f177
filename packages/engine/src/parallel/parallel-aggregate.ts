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
import type { FinalTask, PartialTask, TaskInput, TaskResult } from './tasks.js';
import type { ExchangePoint } from './plan.js';
import { compileExpr } from '../expr/compile.js';

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
  /** A window or partitioned join inside the input whose inputs are hash-partitioned first (stage 0). */
  readonly exchange?: ExchangePoint | null;
}

/** Folds per-partition metric trees into the display operators (sums; peaks summed: partitions run at once). */
function mergeMetrics(op: PhysicalOperator, trees: readonly PhysicalPlanJson[]): void {
  // an exchange inside the input: its side of the tree is stage 0's, merged apart
  if (op instanceof ExchangeExec && op.inner) return;
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
  if (trees.length > 1) {
    m.extra.rowsPerPartition = `[${trees.map((t) => t.metrics.outputRows).join(' ')}]`;
    m.extra.computePerPartition = `[${trees.map((t) => fmtMs(t.metrics.elapsedComputeMs)).join(' ')}]`;
    m.extra.peakMemPerPartition = `[${trees.map((t) => fmtBytes(t.metrics.peakMemoryBytes)).join(' ')}]`;
  }
  op.children.forEach((c, i) => mergeMetrics(c, trees.map((t) => t.children[i]).filter((x): x is PhysicalPlanJson => x !== undefined)));
}

/** The exchange between the stages, as EXPLAIN shows it (it does no work of its own). */
export class ExchangeExec implements PhysicalOperator {
  name = 'RepartitionExec';
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();
  readonly schema: Schema;
  detail: string;

  constructor(readonly input: PhysicalOperator, detail: string, readonly inner = false) {
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

  /** Display nodes of the inner exchange (one per exchanged input), when there is one. */
  private readonly innerExchanges: ExchangeExec[] = [];

  constructor(private readonly opts: ParallelAggregateOptions) {
    const n = opts.config.partitions;
    if (opts.exchange) this.innerExchanges = insertExchangeDisplay(opts.displayInput, opts.exchange, n);
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
    const ex = o.exchange ?? null;
    const describe = (scan: ScanNode) => {
      const index = ex === null ? -1 : ex.inputScans.indexOf(scan);
      return index >= 0 ? { kind: 'task-input' as const, index } : o.describe(scan);
    };
    const wire = fragmentToWire(ex === null ? o.input : ex.upper, describe);
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
      // Stage 0 (an exchange inside the input): each exchanged input, hash-partitioned on its keys.
      let stage1Inputs: TaskInput[][] | null = null;
      // bytes held for stage 0's output until stage 1 is done with it (the buffers are
      // transferred to the workers, so they cannot be measured afterwards)
      let stage0Bytes = 0;
      if (ex !== null) {
        stage1Inputs = Array.from({ length: n }, () => []);
        for (let k = 0; k < ex.inputs.length; k++) {
          const input = ex.inputs[k]!;
          const w = fragmentToWire(input.plan, o.describe);
          if (w === null) throw new Error('exchange over a source workers cannot open');
          const parts: Batch[][] = Array.from({ length: n }, () => []);
          const keys = input.keys.map((e, i) => ({ id: -1 - i, name: `k${i}`, expr: e }));
          const stage0: TaskResult[] = await Promise.all(
            Array.from({ length: n }, (_, i) => {
              const task: PartialTask = {
                kind: 'partial', plan: w.plan, tables: w.tables, mode: 'Raw', partition: { index: i, count: n }, outPartitions: n,
                skipPartial: null, groupBy: keys, aggregates: [], batchSize: ctx.config.batchSize, memoryLimit,
              };
              return runner.run(i, task, {
                schema: input.fields,
                emit: (out, b) => {
                  parts[out]!.push(b);
                  const bytes = batchBytes(b);
                  stage0Bytes += bytes;
                  hold(bytes);
                },
                progress: (rows, bytes) => ctx.reportRead(rows, bytes),
              }, abort.signal).catch((e: unknown) => { abort.abort(); throw e; });
            }),
          );
          ctx.checkCancelled();
          const display = this.innerExchanges[k];
          if (display !== undefined) {
            mergeMetrics(display.input, stage0.map((r) => r.operators));
            const bucketRows = parts.map((p) => p.reduce((x, b) => x + b.numRows, 0));
            display.metrics.outputRows = bucketRows.reduce((a, r) => a + r, 0);
            display.metrics.extra.rowsPerBucket = `[${bucketRows.join(' ')}]`;
          }
          for (let j = 0; j < n; j++) stage1Inputs[j]!.push({ fields: input.fields, batches: parts[j]! });
        }
      }
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
            ...(stage1Inputs !== null ? { inputs: stage1Inputs[i]! } : {}),
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
      if (stage1Inputs !== null) {
        // stage 1 has consumed stage 0's output: what stays held is stage 1's own
        hold(-stage0Bytes);
        stage1Inputs = null;
      }
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

/**
 * Puts a RepartitionExec above each exchanged input in the display tree: the first operator on the
 * pipeline path (probe sides) that is the exchange's window (WindowExec / PartitionFirstRowExec) or
 * partitioned hash join. Display only: the workers run their own plans.
 */
function insertExchangeDisplay(root: PhysicalOperator, ex: ExchangePoint, n: number): ExchangeExec[] {
  const want = ex.node.kind === 'window' ? ['WindowExec', 'PartitionFirstRowExec'] : ['HashJoinExec'];
  let op: PhysicalOperator | undefined = root;
  while (op !== undefined) {
    const isJoinTarget = op.name === 'HashJoinExec' && /mode=partitioned/.test(op.describe());
    if (want.includes(op.name) && (ex.node.kind === 'window' || isJoinTarget)) break;
    op = op.children[0];
  }
  if (op === undefined) return [];
  const target = op;
  const exchanges = target.children.map((c, k) => {
    const keys = ex.inputs[k]!.keys.map((e) => compileExpr(e, c.schema).toString()).join(', ');
    return new ExchangeExec(c, `partitioning=Hash([${keys}], ${n}), input_partitions=${n} (${ex.label})`, true);
  });
  (target as { children: readonly PhysicalOperator[] }).children = exchanges;
  return exchanges;
}

const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)}s` : `${ms.toFixed(ms >= 10 ? 0 : 1)}ms`);
const fmtBytes = (b: number) => (b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(1)}MiB` : b >= 1024 ? `${(b / 1024).toFixed(1)}KiB` : `${b}B`);
