import type { AggregateExpr } from '../../logical/expr.js';
import type { NamedExpr } from '../../logical/plan.js';
import type { Batch, Field, Schema } from '../../types/batch.js';
import { makeBatch } from '../../types/batch.js';
import { allocValues, makeColumn, sliceColumn, type Column } from '../../types/column.js';
import { BOOL, typesEqual, type DataType } from '../../types/data-type.js';
import type { ExecContext, PhysicalOperator } from '../../physical/operator.js';
import { OperatorMetrics } from '../../physical/metrics.js';
import type { PhysicalExpr } from '../../expr/physical-expr.js';
import { compileExpr } from '../../expr/compile.js';
import { createAccumulator, stateFields, type GroupsAccumulator } from './accumulators/index.js';
import { summarize, type ColumnSummary } from './accumulators/summary.js';
import { DictionaryGroupValues } from './group_values/dictionary.js';
import { PerfectHashGroupValues } from './group_values/perfect.js';
import { PrimitiveGroupValues } from './group_values/primitive.js';
import { NoGroupValues, type GroupValues } from './group_values/types.js';

/**
 * Single: input rows → final values. Partial: input rows → group keys + accumulator state columns.
 * Final: Partial's output (keys, then each aggregate's state columns in order) → final values.
 */
export type AggregateMode = 'Single' | 'Partial' | 'Final';

export interface AggregateSpec {
  readonly id: number;
  readonly name: string;
  readonly agg: AggregateExpr;
}

export interface HashAggregateOptions {
  readonly input: PhysicalOperator;
  readonly mode: AggregateMode;
  readonly groupBy: readonly NamedExpr[];
  readonly aggregates: readonly AggregateSpec[];
  /**
   * Partial mode only: after `probeRows` input rows, if groups/rows exceeds `ratio` the partial
   * step is not reducing anything (high-cardinality keys), so it stops building one big table and
   * passes each batch on aggregated alone (DataFusion's skip_partial_aggregation_probe_*).
   */
  readonly skipPartial?: { readonly probeRows: number; readonly ratio: number };
  /** Single mode planned where partitions were on offer: why it runs on one thread (for EXPLAIN). */
  readonly serialReason?: string;
  /**
   * Single mode: asked at the first input batch; true when every input row is known to be a
   * group of its own (aggregate_before_join's upper aggregate over a join whose build keys turned
   * out distinct). Then rows pass on, each aggregate's value its argument's, with no hashing.
   */
  readonly oneRowPerGroup?: () => boolean;
}

/** How group keys of these types are mapped to group indexes. */
export function groupValuesKind(types: readonly DataType[]): 'none' | 'dictionary' | 'primitive' | 'perfect_hash' {
  if (types.length === 0) return 'none';
  // Several keys start on the perfect hash; it moves to the general hash path when the domain is too large.
  if (types.length > 1) return 'perfect_hash';
  return types[0].kind === 'utf8' ? 'dictionary' : 'primitive';
}

export function createGroupValues(types: readonly DataType[]): GroupValues {
  switch (groupValuesKind(types)) {
    case 'none': return new NoGroupValues();
    case 'dictionary': return new DictionaryGroupValues(types[0]);
    case 'primitive': return new PrimitiveGroupValues(types[0]);
    case 'perfect_hash': return new PerfectHashGroupValues(types);
  }
}

function emptyColumn(type: DataType): Column {
  return makeColumn(type, allocValues(type, 0), null, type.kind === 'utf8' ? [] : undefined);
}

/**
 * Hash aggregation in DataFusion's layout: GroupValues maps keys to dense group indexes
 * (group_values/), then one vectorized GroupsAccumulator per aggregate updates typed-array
 * state for the whole batch (accumulators/). Output: one row per group, keys then aggregates
 * (or state columns in Partial mode); without GROUP BY exactly one row, even for empty input.
 */
export class HashAggregateExec implements PhysicalOperator {
  readonly name = 'HashAggregateExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();
  readonly input: PhysicalOperator;
  readonly mode: AggregateMode;
  readonly groupBy: readonly NamedExpr[];
  readonly aggregates: readonly AggregateSpec[];
  private readonly keyTypes: DataType[];
  /** Single/Partial: compiled group keys, arguments and filters over the input schema. */
  private readonly keyExprs: PhysicalExpr[];
  private readonly argExprs: (PhysicalExpr | null)[];
  private readonly filterExprs: (PhysicalExpr | null)[];
  /** Final: number of state columns per aggregate. */
  private readonly stateWidths: number[];
  private keysName: string;
  private readonly skipPartial: { readonly probeRows: number; readonly ratio: number } | null;
  private readonly serialReason: string | undefined;
  private readonly oneRowPerGroup: (() => boolean) | null;

  constructor(opts: HashAggregateOptions) {
    this.input = opts.input;
    this.mode = opts.mode;
    this.groupBy = opts.groupBy;
    this.aggregates = opts.aggregates;
    this.children = [opts.input];
    this.skipPartial = opts.mode === 'Partial' && opts.skipPartial !== undefined ? opts.skipPartial : null;
    this.serialReason = opts.serialReason;
    // one row's aggregate is its argument only for these, with the argument of the result's type
    const identity = opts.aggregates.every((a) =>
      (a.agg.fn === 'sum' || a.agg.fn === 'min' || a.agg.fn === 'max' || a.agg.fn === 'bool_and' || a.agg.fn === 'bool_or') &&
      !a.agg.distinct && a.agg.filter === null && a.agg.arg !== null && typesEqual(a.agg.arg.type, a.agg.type));
    this.oneRowPerGroup = opts.mode === 'Single' && opts.groupBy.length > 0 && identity && opts.oneRowPerGroup !== undefined ? opts.oneRowPerGroup : null;
    this.keyTypes = opts.groupBy.map((g) => g.expr.type);
    const inSchema = opts.input.schema;
    const raw = opts.mode === 'Final';
    this.keyExprs = raw ? [] : opts.groupBy.map((g) => compileExpr(g.expr, inSchema));
    this.argExprs = raw ? [] : opts.aggregates.map((a) => (a.agg.arg === null ? null : compileExpr(a.agg.arg, inSchema)));
    this.filterExprs = raw ? [] : opts.aggregates.map((a) => (a.agg.filter === null ? null : compileExpr(a.agg.filter, inSchema)));
    this.stateWidths = opts.mode === 'Single' ? [] : opts.aggregates.map((a) => stateFields(a.agg).length);
    const keyFields: Field[] = opts.groupBy.map((g) => ({ id: g.id, name: g.name, type: g.expr.type, nullable: true }));
    if (opts.mode === 'Partial') {
      const st: Field[] = [];
      for (const a of opts.aggregates) for (const s of stateFields(a.agg)) st.push({ name: `${a.name}[${s.name}]`, type: s.type, nullable: true });
      this.schema = [...keyFields, ...st];
    } else {
      this.schema = [...keyFields, ...opts.aggregates.map((a) => ({ id: a.id, name: a.name, type: a.agg.type, nullable: true }))];
    }
    const kind = groupValuesKind(this.keyTypes);
    this.keysName = kind === 'primitive' ? (this.keyTypes[0].kind === 'float64' ? 'primitive(hash)' : 'primitive(direct)') : kind;
  }

  describe(): string {
    const gby =
      this.mode === 'Final'
        ? this.groupBy.map((g, i) => `${g.name}@${i} as ${g.name}`)
        : this.groupBy.map((g, i) => `${this.keyExprs[i].toString()} as ${g.name}`);
    const aggr = this.aggregates.map((a, i) => {
      const { fn, distinct } = a.agg;
      if (this.mode === 'Final') return `${fn === 'count_star' ? 'count' : fn}(${a.name})`;
      const arg = this.argExprs[i];
      let s = fn === 'count_star' ? 'count(*)' : `${fn}(${distinct ? 'DISTINCT ' : ''}${arg === null ? '' : arg.toString()})`;
      const f = this.filterExprs[i];
      if (f !== null) s += ` FILTER (WHERE ${f.toString()})`;
      return s;
    });
    const skip = this.skipPartial === null ? '' : `, skip_partial=[probe_rows=${this.skipPartial.probeRows}, ratio=${this.skipPartial.ratio}]`;
    const serial = this.serialReason === undefined ? '' : `, partitions=1 (${this.serialReason})`;
    return `mode=${this.mode}${serial}, gby=[${gby.join(', ')}], aggr=[${aggr.join(', ')}], keys=${this.keysName}${skip}`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    const metrics = this.metrics;
    let gv = createGroupValues(this.keyTypes);
    let accs: GroupsAccumulator[] = this.aggregates.map((a) => createAccumulator(a.agg));
    const numKeys = this.groupBy.length;
    const final = this.mode === 'Final';
    const skip = this.skipPartial;
    let skipping = false;
    let rowsSeen = 0;
    let skippedRows = 0;
    let groupIdx = new Int32Array(0);
    let reserved = 0;
    let passOn: boolean | null = this.oneRowPerGroup === null ? false : null;
    const account = (size: number): void => {
      if (size !== reserved) {
        ctx.reserve(this.name, size - reserved);
        metrics.trackMemory(size - reserved);
        reserved = size;
      }
    };
    try {
      for await (const batch of this.input.execute(ctx)) {
        ctx.checkCancelled();
        const t0 = performance.now();
        const n = batch.numRows;
        if (n > 0 && passOn === null) {
          passOn = this.oneRowPerGroup!();
          if (passOn) metrics.extra.groups = 'one per input row (distinct build keys)';
        }
        if (n > 0 && passOn) {
          const columns = [...this.keyExprs.map((e) => e.evaluate(batch)), ...this.argExprs.map((e) => e!.evaluate(batch))];
          metrics.elapsedComputeMs += performance.now() - t0;
          metrics.outputRows += n;
          metrics.outputBatches++;
          yield makeBatch(this.schema, columns, n);
          continue;
        }
        if (n > 0 && skipping) {
          // Skipping: every row is its own group (DataFusion's convert_to_state) — no interning;
          // the final aggregate merges rows of equal keys.
          skippedRows += n;
          metrics.extra.skippedAggregationRows = skippedRows;
          yield* this.rowsAsStates(batch); // times its own compute, not the consumer's
          continue;
        }
        if (n > 0) {
          if (groupIdx.length < n) groupIdx = new Int32Array(Math.max(n, ctx.config.batchSize));
          const gi = groupIdx.length === n ? groupIdx : groupIdx.subarray(0, n);
          const keys = final ? batch.columns.slice(0, numKeys) : this.keyExprs.map((e) => e.evaluate(batch));
          gv.intern(keys, n, gi);
          const numGroups = gv.numGroups();
          if (final) {
            let off = numKeys;
            for (let a = 0; a < accs.length; a++) {
              const w = this.stateWidths[a];
              accs[a].merge(batch.columns.slice(off, off + w), gi, numGroups);
              off += w;
            }
          } else if (numKeys === 0) {
            this.updateUngrouped(batch, accs, gi);
          } else {
            for (let a = 0; a < accs.length; a++) {
              const arg = this.argExprs[a];
              const filter = this.filterExprs[a];
              accs[a].update(arg === null ? null : arg.evaluate(batch), gi, numGroups, filter === null ? null : filter.evaluate(batch));
            }
          }
          let size = gv.size() + groupIdx.byteLength;
          for (const acc of accs) size += acc.size();
          account(size);
          rowsSeen += n;
          if (skipping) skippedRows += n;
          else if (skip !== null && rowsSeen >= skip.probeRows && numGroups > skip.ratio * rowsSeen) {
            skipping = true;
            metrics.extra.skippedAfterRows = rowsSeen;
          }
        }
        metrics.elapsedComputeMs += performance.now() - t0;
        if (skipping) {
          // pass the groups on and start afresh: no table grows with the input any more
          yield* this.emit(ctx, gv, accs);
          gv = createGroupValues(this.keyTypes);
          accs = this.aggregates.map((a) => createAccumulator(a.agg));
          account(groupIdx.byteLength);
          metrics.extra.skippedAggregationRows = skippedRows;
        }
      }
      if (passOn !== true && (!skipping || gv.numGroups() > 0)) yield* this.emit(ctx, gv, accs);
    } finally {
      if (reserved !== 0) {
        ctx.reserve(this.name, -reserved);
        metrics.trackMemory(-reserved);
      }
    }
  }

  /**
   * No GROUP BY: aggregates over the same argument column share one pass over it (summary.ts);
   * FILTERed aggregates, count(*) and those a summary cannot serve take their own `update`.
   */
  private updateUngrouped(batch: Batch, accs: GroupsAccumulator[], gi: Int32Array): void {
    let summaries: Map<Column, ColumnSummary> | null = null;
    const cols = this.argExprs.map((arg) => (arg === null ? null : arg.evaluate(batch)));
    const summarized = cols.map((col, a) => col !== null && this.filterExprs[a] === null && accs[a].updateSummary !== undefined && col.type.kind !== 'utf8');
    for (let a = 0; a < accs.length; a++) {
      const acc = accs[a];
      const filter = this.filterExprs[a];
      const col = cols[a];
      if (summarized[a]) {
        summaries ??= new Map();
        let s = summaries.get(col!);
        if (s === undefined) {
          // extremes only when some MIN/MAX over this column will read them
          const withRange = accs.some((b, j) => b.summaryNeedsRange === true && cols[j] === col && summarized[j]);
          summaries.set(col!, (s = summarize(col!, withRange)));
        }
        if (acc.updateSummary!(s)) continue;
      }
      acc.update(col, gi, 1, filter === null ? null : filter.evaluate(batch));
    }
  }

  /** Partial mode, skipping: the batch's keys and, per row, the accumulators' state of that row alone. */
  private *rowsAsStates(batch: Batch): Generator<Batch> {
    const n = batch.numRows;
    const t0 = performance.now();
    const ident = new Int32Array(n);
    for (let i = 0; i < n; i++) ident[i] = i;
    const columns: Column[] = this.keyExprs.map((e) => e.evaluate(batch));
    for (let a = 0; a < this.aggregates.length; a++) {
      const acc = createAccumulator(this.aggregates[a]!.agg);
      const arg = this.argExprs[a];
      const filter = this.filterExprs[a];
      acc.update(arg === null ? null : arg.evaluate(batch), ident, n, filter === null ? null : filter.evaluate(batch));
      columns.push(...acc.state());
    }
    this.metrics.elapsedComputeMs += performance.now() - t0;
    this.metrics.outputRows += n;
    this.metrics.outputBatches++;
    yield makeBatch(this.schema, columns, n);
  }

  /** One row per group of gv, keys then final values (or state columns in Partial mode). */
  private *emit(ctx: ExecContext, gv: GroupValues, accs: GroupsAccumulator[]): Generator<Batch> {
    const metrics = this.metrics;
    const final = this.mode === 'Final';
    const t1 = performance.now();
    this.keysName = gv.name;
    const numGroups = gv.numGroups();
    metrics.extra.groups = (typeof metrics.extra.groups === 'number' ? metrics.extra.groups : 0) + numGroups;
    // Groups no batch reached (no GROUP BY over empty input) still need accumulator slots.
    const noRows = new Int32Array(0);
    const noFilter = makeColumn(BOOL, new Uint8Array(0));
    this.aggregates.forEach((a, i) => {
      if (final) {
        accs[i].merge(stateFields(a.agg).map((f) => emptyColumn(f.type)), noRows, numGroups);
      } else {
        accs[i].update(a.agg.arg === null ? null : emptyColumn(a.agg.arg.type), noRows, numGroups, noFilter);
      }
    });
    const columns: Column[] = gv.emit();
    for (const acc of accs) {
      if (this.mode === 'Partial') columns.push(...acc.state());
      else columns.push(acc.evaluate());
    }
    metrics.elapsedComputeMs += performance.now() - t1;
    const step = Math.max(1, ctx.config.batchSize);
    for (let off = 0; off < numGroups; off += step) {
      const len = Math.min(step, numGroups - off);
      const out = off === 0 && len === numGroups ? makeBatch(this.schema, columns, len) : makeBatch(this.schema, columns.map((c) => sliceColumn(c, off, len)), len);
      metrics.outputRows += len;
      metrics.outputBatches++;
      yield out;
    }
  }
}
