import type { SortKey } from '../logical/expr.js';
import { takeBatch, type Batch, type Schema } from '../types/batch.js';
import type { ExecContext, PhysicalOperator } from '../physical/operator.js';
import { OperatorMetrics } from '../physical/metrics.js';
import type { PhysicalExpr } from '../expr/physical-expr.js';
import { compileExpr } from '../expr/compile.js';
import { MemoryReservation, concatBatches } from './batch-utils.js';
import { keyOrdinals, sortPermutation } from './sort-keys.js';

export interface SortOptions {
  readonly input: PhysicalOperator;
  readonly keys: readonly SortKey[];
  /** Only the first `fetch` rows are needed (TopKExec is the streaming alternative). */
  readonly fetch: number | null;
}

/** A compiled sort key. */
export interface CompiledSortKey {
  readonly expr: PhysicalExpr;
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

export function compileSortKeys(keys: readonly SortKey[], schema: Schema): CompiledSortKey[] {
  return keys.map((k) => ({ expr: compileExpr(k.expr, schema), ascending: k.ascending, nullsFirst: k.nullsFirst }));
}

export function formatSortKeys(keys: readonly CompiledSortKey[]): string {
  return keys
    .map((k) => {
      let s = `${k.expr.toString()} ${k.ascending ? 'ASC' : 'DESC'}`;
      if (k.nullsFirst !== !k.ascending) s += k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
      return s;
    })
    .join(', ');
}

/** Permutation sorting `batch` by the keys (first `limit` entries only). */
export function sortBatchPermutation(batch: Batch, keys: readonly CompiledSortKey[], limit = batch.numRows): Int32Array {
  const n = batch.numRows;
  const ords = keys.map((k) => keyOrdinals(k.expr.evaluate(batch), k.ascending, k.nullsFirst));
  return sortPermutation(ords, n, limit);
}

/**
 * Full sort: collects its input (accounted against the memory limit), computes one permutation
 * over ordinal-encoded keys (sort-keys.ts) and emits the gathered rows in batches.
 */
export class SortExec implements PhysicalOperator {
  readonly name = 'SortExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();
  readonly input: PhysicalOperator;
  readonly keys: readonly SortKey[];
  readonly fetch: number | null;
  private readonly compiled: CompiledSortKey[];

  constructor(opts: SortOptions) {
    this.input = opts.input;
    this.keys = opts.keys;
    this.fetch = opts.fetch;
    this.schema = opts.input.schema;
    this.children = [opts.input];
    this.compiled = compileSortKeys(opts.keys, opts.input.schema);
  }

  describe(): string {
    return `expr=[${formatSortKeys(this.compiled)}]${this.fetch !== null ? `, fetch=${this.fetch}` : ''}`;
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
      let t0 = performance.now();
      const all = concatBatches(this.schema, batches);
      batches.length = 0;
      if (all.numRows > 0) mem.grow(all.numRows * 8 * 2); // ordinals + packed keys
      const perm = sortBatchPermutation(all, this.compiled, this.fetch ?? all.numRows);
      m.elapsedComputeMs += performance.now() - t0;
      const size = Math.max(1, ctx.config.batchSize);
      for (let off = 0; off < perm.length; off += size) {
        ctx.checkCancelled();
        t0 = performance.now();
        const idx = perm.subarray(off, Math.min(off + size, perm.length));
        const out = takeBatch(all, idx);
        m.elapsedComputeMs += performance.now() - t0;
        m.outputRows += out.numRows;
        m.outputBatches++;
        yield out;
      }
    } finally {
      mem.release();
    }
  }
}
