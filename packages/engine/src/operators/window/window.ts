import { columnsOf, type WindowExpr } from '../../logical/expr.js';
import { makeBatch, type Batch, type Field, type Schema } from '../../types/batch.js';
import { takeColumn, type Column } from '../../types/column.js';
import type { ExecContext, PhysicalOperator } from '../../physical/operator.js';
import { OperatorMetrics } from '../../physical/metrics.js';
import type { PhysicalExpr } from '../../expr/physical-expr.js';
import { compileExpr } from '../../expr/compile.js';
import { MemoryReservation, concatBatches, slices } from '../batch-utils.js';
import { combineOrdinals, keyOrdinals, sortOrdinals, sortPermutation, type KeyOrdinals } from '../sort-keys.js';
import { compileSortKeys, formatSortKeys, type CompiledSortKey } from '../sort.js';
import { buildLayout, buildLayoutSorted, computeFrames, SortedLayout } from './frames.js';
import { aggregateColumn, distributionColumn, gatherWithDefault, rankingColumn, valueSourceRows } from './functions.js';
import { COUNTING_FNS, countingRanks } from './counting-ranks.js';

export interface WindowSpec {
  readonly id: number;
  readonly name: string;
  readonly window: WindowExpr;
}

export interface WindowOptions {
  readonly input: PhysicalOperator;
  readonly windows: readonly WindowSpec[];
  /**
   * Ids of the input columns passed on (default: all). A projection above that reads only some
   * of them spares the others' copy, and in sorted output their gather.
   */
  readonly passOn?: ReadonlySet<number>;
}

interface CompiledWindow {
  readonly spec: WindowSpec;
  readonly arg: PhysicalExpr | null;
  /** lag/lead default (evaluated per row). */
  readonly dflt: PhysicalExpr | null;
  /** Index into `groups`. */
  readonly group: number;
}

/** Window expressions sharing PARTITION BY / ORDER BY share one sort. */
interface SortGroup {
  readonly partitionBy: PhysicalExpr[];
  readonly orderBy: CompiledSortKey[];
}

/**
 * Window functions. Collects its input, sorts once per distinct (PARTITION BY, ORDER BY)
 * specification, finds partitions and peer groups from ordinal-encoded keys, and computes each
 * function over its frame (ranking by position; count/sum/avg by prefix sums or running sums;
 * min/max by running best or a monotonic deque). Output: the input rows plus one column per
 * window expression, in input order, or in the sort's order when that needs fewer random
 * accesses (one shared sort, more window columns and arguments than input columns).
 */
export class WindowExec implements PhysicalOperator {
  readonly name = 'WindowExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();
  readonly input: PhysicalOperator;
  readonly windows: readonly WindowSpec[];
  private readonly compiled: CompiledWindow[];
  private readonly groups: SortGroup[];
  /** Positions of the input columns passed on. */
  private readonly passed: readonly number[];
  /** Positions of the input columns read after the sort (passed on, or window arguments). */
  private readonly sortedReads: readonly number[];

  constructor(opts: WindowOptions) {
    this.input = opts.input;
    this.windows = opts.windows;
    this.children = [opts.input];
    const inSchema = opts.input.schema;
    this.passed = inSchema.map((f, i) => (opts.passOn === undefined || opts.passOn.has(f.id!) ? i : -1)).filter((i) => i >= 0);
    const argIds = new Set<number>();
    for (const w of opts.windows) {
      if (w.window.arg) columnsOf(w.window.arg, argIds);
      if (w.window.defaultValue) columnsOf(w.window.defaultValue, argIds);
    }
    const reads = new Set(this.passed);
    inSchema.forEach((f, i) => { if (argIds.has(f.id!)) reads.add(i); });
    this.sortedReads = [...reads].sort((a, b) => a - b);
    this.schema = [
      ...this.passed.map((i) => inSchema[i]!),
      ...opts.windows.map((w): Field => ({ id: w.id, name: w.name, type: w.window.type, nullable: true })),
    ];
    this.groups = [];
    const keyOf = new Map<string, number>();
    this.compiled = opts.windows.map((spec) => {
      const w = spec.window;
      const key = JSON.stringify([w.partitionBy, w.orderBy]);
      let group = keyOf.get(key);
      if (group === undefined) {
        group = this.groups.length;
        keyOf.set(key, group);
        this.groups.push({
          partitionBy: w.partitionBy.map((e) => compileExpr(e, inSchema)),
          orderBy: compileSortKeys(w.orderBy, inSchema),
        });
      }
      return {
        spec,
        arg: w.arg === null ? null : compileExpr(w.arg, inSchema),
        dflt: w.defaultValue ? compileExpr(w.defaultValue, inSchema) : null,
        group,
      };
    });
  }

  describe(): string {
    const parts = this.compiled.map((c) => {
      const w = c.spec.window;
      const g = this.groups[c.group];
      const over: string[] = [];
      if (g.partitionBy.length) over.push(`PARTITION BY [${g.partitionBy.map((e) => e.toString()).join(', ')}]`);
      if (g.orderBy.length) over.push(`ORDER BY [${formatSortKeys(g.orderBy)}]`);
      const f = w.frame;
      const frame = f.mode === 'rows'
        ? `ROWS BETWEEN ${f.preceding === null ? 'UNBOUNDED' : f.preceding} PRECEDING AND ${f.following === 0 ? 'CURRENT ROW' : `${f.following} FOLLOWING`}`
        : f.mode === 'range' ? 'RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW' : 'ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING';
      const args = c.arg === null ? [] : [c.arg.toString()];
      if (w.offset !== undefined) args.push(String(w.offset));
      if (c.dflt !== null) args.push(c.dflt.toString());
      const fn = w.fn === 'count_star' ? 'count(*)' : `${w.fn}(${args.join(', ')})`;
      return `${fn} OVER (${[...over, frame].join(' ')}) as ${c.spec.name}`;
    });
    return `wdw=[${parts.join(', ')}]${this.groups.length > 1 ? `, sorts=${this.groups.length}` : ''}`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    const m = this.metrics;
    const mem = new MemoryReservation(ctx, this.name, m);
    try {
      const batches: Batch[] = [];
      for await (const b of this.input.execute(ctx)) {
        ctx.checkCancelled();
        if (b.numRows === 0) continue;
        const t0 = performance.now();
        mem.growBatch(b);
        batches.push(b);
        m.elapsedComputeMs += performance.now() - t0;
      }
      if (batches.length === 0) return;
      const t0 = performance.now();
      let all = concatBatches(this.input.schema, batches);
      batches.length = 0;
      const n = all.numRows;
      const outCols: Column[] = new Array(this.compiled.length);
      let sortedOutput = false;
      for (let gi = 0; gi < this.groups.length; gi++) {
        ctx.checkCancelled();
        const g = this.groups[gi]!;
        const keys = this.sortKeys(g, all);
        const mine = this.compiled.map((c, wi) => ({ c, wi })).filter((x) => x.c.group === gi);
        if (keys.kind === 'exact' && mine.every((x) => COUNTING_FNS.has(x.c.spec.window.fn))) {
          const cols = countingRanks(keys.key, keys.orderRange, mine.map((x) => ({ fn: x.c.spec.window.fn, type: x.c.spec.window.type })), n);
          if (cols !== null) {
            mine.forEach((x, k) => { outCols[x.wi] = cols[k]!; });
            mem.grow(n * 8 * cols.length);
            m.extra.ranks = 'counted';
            continue;
          }
        }
        let layout = this.layoutOf(all, keys);
        if (this.groups.length === 1 && this.emitsSorted()) {
          // Rows leave in sorted order: the input columns are gathered through the permutation
          // once, and every window column is then written (and its argument read) in sequence
          // instead of scattered back to input order.
          all = this.sortedColumns(all, layout.perm);
          layout = new SortedLayout(n, identity(n), layout.partStart, layout.peerStart);
          sortedOutput = true;
        }
        mem.grow(n * 4 * 5);
        for (let wi = 0; wi < this.compiled.length; wi++) {
          const c = this.compiled[wi];
          if (c.group !== gi) continue;
          const w = c.spec.window;
          if (w.fn === 'row_number' || w.fn === 'rank' || w.fn === 'dense_rank') {
            outCols[wi] = rankingColumn(w.fn, w.type, layout);
          } else if (w.fn === 'ntile' || w.fn === 'percent_rank' || w.fn === 'cume_dist') {
            outCols[wi] = distributionColumn(w.fn, w.type, layout, w.offset ?? 1);
          } else if (w.fn === 'lag' || w.fn === 'lead' || w.fn === 'first_value' || w.fn === 'last_value' || w.fn === 'nth_value') {
            const frames = w.fn === 'lag' || w.fn === 'lead' ? null : computeFrames(layout, w.frame);
            const src = valueSourceRows(w.fn, layout, frames, w.offset ?? 1);
            outCols[wi] = gatherWithDefault(c.arg!.evaluate(all), src, c.dflt === null ? null : c.dflt.evaluate(all), w.type);
          } else {
            const frames = computeFrames(layout, w.frame);
            outCols[wi] = aggregateColumn(w.fn, c.arg === null ? null : c.arg.evaluate(all), w.type, layout, frames);
          }
          mem.grow(n * 8);
        }
      }
      const out = makeBatch(this.schema, [...this.passed.map((i) => all.columns[i]!), ...outCols], n);
      m.extra.sorts = this.groups.length;
      if (sortedOutput) m.extra.output_order = 'sorted';
      m.elapsedComputeMs += performance.now() - t0;
      for (const b of slices(out, ctx.config.batchSize)) {
        ctx.checkCancelled();
        m.outputRows += b.numRows;
        m.outputBatches++;
        yield b;
      }
    } finally {
      mem.release();
    }
  }

  /**
   * Sorted output pays one random gather per input column; input order pays one random scatter
   * per window column and one random gather per argument. Emit sorted when that is cheaper
   * (seed 003's w4: RANK and DENSE_RANK over one ORDER BY column).
   */
  private emitsSorted(): boolean {
    let inputOrder = 0;
    for (const c of this.compiled) inputOrder += 1 + (c.arg !== null ? 1 : 0);
    return this.sortedReads.length < inputOrder;
  }

  /** The batch in sorted order, as far as it is read afterwards (passed-on and argument columns). */
  private sortedColumns(all: Batch, perm: Int32Array): Batch {
    const cols = all.columns.slice();
    for (const i of this.sortedReads) cols[i] = takeColumn(all.columns[i]!, perm);
    return makeBatch(all.schema, cols, all.numRows);
  }

  /**
   * The window specification's keys as ordinals: one exact key for partition and order
   * (partition · orderRange + order) when the product stays under 2^53, else the parts.
   */
  private sortKeys(g: SortGroup, all: Batch): SortKeys {
    const n = all.numRows;
    if (g.partitionBy.length === 0 && g.orderBy.length === 0) return { kind: 'none' };
    const part: KeyOrdinals[] = g.partitionBy.map((e) => keyOrdinals(e.evaluate(all), true, false));
    const order: KeyOrdinals[] = g.orderBy.map((k) => keyOrdinals(k.expr.evaluate(all), k.ascending, k.nullsFirst));
    const partK = part.length === 0 ? null : combineOrdinals(part, n);
    const orderK = order.length === 0 ? null : combineOrdinals(order, n);
    const orderRange = orderK?.range ?? 1;
    if ((partK?.range ?? 1) * orderRange > 2 ** 53) return { kind: 'wide', keys: [...part, ...order], partK, orderK };
    const key = partK === null ? orderK! : orderK === null ? partK : combineOrdinals([partK, orderK], n);
    return { kind: 'exact', key, orderRange };
  }

  private layoutOf(all: Batch, keys: SortKeys): SortedLayout {
    const n = all.numRows;
    switch (keys.kind) {
      case 'none':
        return buildLayout(identity(n), null, null);
      case 'exact': {
        // sort the one key, then find partitions and peers walking the sorted keys
        const sorted = sortOrdinals(keys.key);
        return buildLayoutSorted(sorted.perm, sorted.lo, sorted.hi, keys.orderRange);
      }
      case 'wide':
        return buildLayout(sortPermutation(keys.keys, n), keys.partK?.ord ?? null, keys.orderK?.ord ?? null);
    }
  }
}

type SortKeys =
  | { readonly kind: 'none' }
  | { readonly kind: 'exact'; readonly key: KeyOrdinals; readonly orderRange: number }
  | { readonly kind: 'wide'; readonly keys: readonly KeyOrdinals[]; readonly partK: KeyOrdinals | null; readonly orderK: KeyOrdinals | null };

function identity(n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return p;
}
