import type { Expr } from '../../logical/expr.js';
import { batchBytes, makeBatch, type Batch, type Schema } from '../../types/batch.js';
import { allocValues, makeColumn, nullColumn, takeColumn, type Column } from '../../types/column.js';
import type { ExecContext, PhysicalOperator } from '../../physical/operator.js';
import { OperatorMetrics } from '../../physical/metrics.js';
import type { PhysicalExpr } from '../../expr/physical-expr.js';
import { compileExpr } from '../../expr/compile.js';
import { selectionFromBool } from '../../expr/selection.js';
import { joinSchema, joinTypeName, rowsWhere } from './hash-join.js';
import { concatBatches } from './util.js';

export type NestedLoopJoinType = 'inner' | 'left' | 'full' | 'semi' | 'anti' | 'cross';

export interface NestedLoopJoinOptions {
  readonly left: PhysicalOperator;
  readonly right: PhysicalOperator;
  readonly joinType: NestedLoopJoinType;
  readonly filter: Expr | null;
}

/**
 * Cross joins and joins without equi-keys: the RIGHT input is collected, every left batch is
 * paired with all right rows in chunks of ≤ batchSize pairs, and the filter (if any) is
 * evaluated vectorized over each chunk. LEFT keeps unmatched left rows with NULL right columns,
 * FULL also the unmatched right rows (left columns NULL, at the end); SEMI / ANTI emit the left
 * rows with / without a matching right row.
 */
export class NestedLoopJoinExec implements PhysicalOperator {
  readonly name = 'NestedLoopJoinExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();
  readonly left: PhysicalOperator;
  readonly right: PhysicalOperator;
  readonly joinType: NestedLoopJoinType;
  readonly filter: Expr | null;
  private readonly filterExpr: PhysicalExpr | null;
  private readonly pairSchema: Schema;

  constructor(opts: NestedLoopJoinOptions) {
    this.left = opts.left;
    this.right = opts.right;
    this.joinType = opts.joinType;
    this.filter = opts.filter;
    this.children = [opts.left, opts.right];
    this.schema = joinSchema(opts.left.schema, opts.right.schema, opts.joinType);
    this.pairSchema = opts.joinType === 'semi' || opts.joinType === 'anti' ? joinSchema(opts.left.schema, opts.right.schema, 'inner') : this.schema;
    this.filterExpr = opts.filter === null ? null : compileExpr(opts.filter, [...opts.left.schema, ...opts.right.schema]);
  }

  describe(): string {
    const jt = joinTypeName(this.joinType);
    return `join_type=${jt}${this.filterExpr ? `, filter=${this.filterExpr.toString()}` : ''}`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    const metrics = this.metrics;
    let reserved = 0;
    try {
      const rightBatches: Batch[] = [];
      for await (const b of this.right.execute(ctx)) {
        ctx.checkCancelled();
        if (b.numRows === 0) continue;
        rightBatches.push(b);
        const bytes = batchBytes(b);
        ctx.reserve(this.name, bytes);
        metrics.trackMemory(bytes);
        reserved += bytes;
      }
      let t0 = performance.now();
      const right = rightBatches.length === 0 ? null : concatBatches(this.right.schema, rightBatches);
      const nRight = right === null ? 0 : right.numRows;
      metrics.extra.buildRows = nRight;
      metrics.elapsedComputeMs += performance.now() - t0;
      const cap = Math.max(1, ctx.config.batchSize);
      const li = new Int32Array(cap);
      const ri = new Int32Array(cap);
      const jt = this.joinType;
      const isLeft = jt === 'left' || jt === 'full';
      const semiAnti = jt === 'semi' || jt === 'anti';
      const rightMatched = jt === 'full' ? new Uint8Array(nRight) : null;
      for await (const lb of this.left.execute(ctx)) {
        ctx.checkCancelled();
        t0 = performance.now();
        const n = lb.numRows;
        if (n > 0 && nRight === 1 && this.filterExpr === null && (jt === 'inner' || jt === 'left' || jt === 'cross')) {
          // one right row (a scalar subquery's): every left row pairs with it; no index vectors
          const cols: Column[] = [...lb.columns, ...right!.columns.map((c) => repeatRow(c, n))];
          metrics.outputRows += n;
          metrics.outputBatches++;
          metrics.elapsedComputeMs += performance.now() - t0;
          yield makeBatch(this.schema, cols, n);
          continue;
        }
        const matched = isLeft || semiAnti ? new Uint8Array(n) : null;
        if (right !== null) {
          let i = 0;
          let j = 0;
          while (i < n) {
            let count = 0;
            while (i < n && count < cap) {
              const take = Math.min(cap - count, nRight - j);
              for (let k = 0; k < take; k++) { li[count] = i; ri[count] = j + k; count++; }
              j += take;
              if (j === nRight) { j = 0; i++; }
            }
            const cols: Column[] = [];
            for (const c of lb.columns) cols.push(takeColumn(c, li, count));
            for (const c of right.columns) cols.push(takeColumn(c, ri, count));
            let out = makeBatch(this.pairSchema, cols, count);
            if (this.filterExpr !== null) {
              const sel = selectionFromBool(this.filterExpr.evaluate(out));
              if (matched !== null) for (let k = 0; k < sel.length; k++) matched[li[sel[k]]] = 1;
              if (rightMatched !== null) for (let k = 0; k < sel.length; k++) rightMatched[ri[sel[k]]] = 1;
              if (sel.length !== count) out = makeBatch(this.pairSchema, out.columns.map((c) => takeColumn(c, sel)), sel.length);
            } else {
              if (matched !== null) for (let k = 0; k < count; k++) matched[li[k]] = 1;
              if (rightMatched !== null) for (let k = 0; k < count; k++) rightMatched[ri[k]] = 1;
            }
            if (!semiAnti && out.numRows > 0) {
              metrics.outputRows += out.numRows;
              metrics.outputBatches++;
              metrics.elapsedComputeMs += performance.now() - t0;
              yield out;
              t0 = performance.now();
            }
          }
        }
        if (semiAnti) {
          for (const sel of rowsWhere(matched!, n, jt === 'semi' ? 1 : 0, cap)) {
            const len = sel.length;
            metrics.outputRows += len;
            metrics.outputBatches++;
            metrics.elapsedComputeMs += performance.now() - t0;
            yield makeBatch(this.schema, len === n ? lb.columns : lb.columns.map((c) => takeColumn(c, sel, len)), len);
            t0 = performance.now();
          }
        } else if (matched !== null) {
          const idx = new Int32Array(n);
          let m = 0;
          for (let k = 0; k < n; k++) if (matched[k] === 0) idx[m++] = k;
          for (let off = 0; off < m; off += cap) {
            const len = Math.min(cap, m - off);
            const sel = idx.subarray(off, off + len);
            const cols: Column[] = lb.columns.map((c) => takeColumn(c, sel, len));
            for (const f of this.right.schema) cols.push(nullColumn(f.type, len));
            metrics.outputRows += len;
            metrics.outputBatches++;
            metrics.elapsedComputeMs += performance.now() - t0;
            yield makeBatch(this.schema, cols, len);
            t0 = performance.now();
          }
        }
        metrics.elapsedComputeMs += performance.now() - t0;
      }
      if (rightMatched !== null && right !== null) {
        for (const sel of rowsWhere(rightMatched, nRight, 0, cap)) {
          const len = sel.length;
          const cols: Column[] = this.left.schema.map((f) => nullColumn(f.type, len));
          for (const c of right.columns) cols.push(takeColumn(c, sel, len));
          metrics.outputRows += len;
          metrics.outputBatches++;
          yield makeBatch(this.schema, cols, len);
        }
      }
    } finally {
      if (reserved !== 0) {
        ctx.reserve(this.name, -reserved);
        metrics.trackMemory(-reserved);
      }
    }
  }
}

/** Row 0 of a one-row column repeated `n` times (dictionary kept). */
function repeatRow(c: Column, n: number): Column {
  const values = allocValues(c.type, n);
  values.fill(c.values[0]);
  const validity = c.validity !== null && c.validity[0] === 0 ? new Uint8Array(n) : null;
  return makeColumn(c.type, values, validity, c.dict);
}
