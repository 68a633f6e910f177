import { makeBatch, type Batch, type Field, type Schema } from '../types/batch.js';
import { takeColumn, type Column } from '../types/column.js';
import type { ExecContext, PhysicalOperator } from '../physical/operator.js';
import { OperatorMetrics } from '../physical/metrics.js';
import { createGroupValues } from './aggregate/hash-aggregate.js';
import { MemoryReservation } from './batch-utils.js';

export interface UnionOptions {
  readonly inputs: readonly PhysicalOperator[];
  /** Output fields (positionally matching every input's columns). */
  readonly fields: readonly Field[];
}

/**
 * UNION ALL: streams its inputs one after the other, relabelling their batches with its own
 * schema (columns are matched by position; dictionaries are kept).
 */
export class UnionExec implements PhysicalOperator {
  readonly name = 'UnionExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();

  constructor(opts: UnionOptions) {
    this.schema = opts.fields;
    this.children = opts.inputs;
  }

  describe(): string {
    return `inputs=${this.children.length}`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    const m = this.metrics;
    for (const input of this.children) {
      for await (const b of input.execute(ctx)) {
        ctx.checkCancelled();
        if (b.numRows === 0) continue;
        m.outputRows += b.numRows;
        m.outputBatches++;
        yield makeBatch(this.schema, b.columns, b.numRows);
      }
    }
  }
}

export type SetOpKind = 'union' | 'intersect' | 'except';

export interface SetOpOptions {
  readonly op: SetOpKind;
  readonly all: boolean;
  /** UNION: any number of inputs; INTERSECT / EXCEPT: exactly two (left, right). */
  readonly inputs: readonly PhysicalOperator[];
  readonly fields: readonly Field[];
}

/**
 * UNION (distinct), INTERSECT [ALL] and EXCEPT [ALL] on the hash aggregate's GroupValues
 * (operators/aggregate/group_values): every input row is interned as a group key over all columns
 * (NULLs equal, as PostgreSQL's set operations), per-group row counts are kept per side in typed
 * arrays, and each group is emitted 0, 1 or (ALL) min(l, r) / max(l − r, 0) times, in first-seen
 * order.
 */
export class SetOpExec implements PhysicalOperator {
  readonly name = 'SetOpExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();
  readonly op: SetOpKind;
  readonly all: boolean;
  private keysName = '';

  constructor(opts: SetOpOptions) {
    if (opts.op !== 'union' && opts.inputs.length !== 2) throw new Error(`SetOpExec: ${opts.op} needs two inputs`);
    this.schema = opts.fields;
    this.children = opts.inputs;
    this.op = opts.op;
    this.all = opts.all;
  }

  describe(): string {
    const op = `${this.op.toUpperCase()}${this.all ? ' ALL' : ''}`;
    return `op=${op}, keys=[${this.schema.map((f) => f.name).join(', ')}]${this.keysName ? `, key_path=${this.keysName}` : ''}`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    const m = this.metrics;
    const mem = new MemoryReservation(ctx, this.name, m);
    try {
      const gv = createGroupValues(this.schema.map((f) => f.type));
      const counting = this.op !== 'union';
      // counts[0]: rows per group from the left input, counts[1]: from the right input
      let counts: [Int32Array, Int32Array] = [new Int32Array(1024), new Int32Array(1024)];
      let groupIdx = new Int32Array(0);
      for (let side = 0; side < this.children.length; side++) {
        for await (const b of this.children[side].execute(ctx)) {
          ctx.checkCancelled();
          const n = b.numRows;
          if (n === 0) continue;
          const t0 = performance.now();
          if (groupIdx.length < n) groupIdx = new Int32Array(Math.max(n, ctx.config.batchSize));
          const gi = groupIdx.length === n ? groupIdx : groupIdx.subarray(0, n);
          gv.intern(b.columns, n, gi);
          if (counting) {
            const groups = gv.numGroups();
            if (groups > counts[0].length) {
              const cap = Math.max(groups, counts[0].length * 2);
              const grow = (a: Int32Array): Int32Array => { const x = new Int32Array(cap); x.set(a); return x; };
              counts = [grow(counts[0]), grow(counts[1])];
            }
            const c = counts[side];
            for (let i = 0; i < n; i++) c[gi[i]]++;
          }
          mem.resize(gv.size() + groupIdx.byteLength + (counting ? counts[0].byteLength * 2 : 0));
          m.elapsedComputeMs += performance.now() - t0;
        }
      }
      const t1 = performance.now();
      this.keysName = gv.name;
      const numGroups = gv.numGroups();
      m.extra.groups = numGroups;
      const keys: Column[] = gv.emit();
      // output rows: group indexes, repeated for ALL
      let total = 0;
      const copies = new Int32Array(numGroups);
      const [l, r] = counts;
      for (let g = 0; g < numGroups; g++) {
        let k: number;
        if (this.op === 'union') k = 1;
        else if (this.op === 'intersect') k = this.all ? Math.min(l[g], r[g]) : l[g] > 0 && r[g] > 0 ? 1 : 0;
        else k = this.all ? Math.max(l[g] - r[g], 0) : l[g] > 0 && r[g] === 0 ? 1 : 0;
        copies[g] = k;
        total += k;
      }
      const idx = new Int32Array(total);
      let o = 0;
      for (let g = 0; g < numGroups; g++) for (let k = copies[g]; k > 0; k--) idx[o++] = g;
      m.elapsedComputeMs += performance.now() - t1;
      const step = Math.max(1, ctx.config.batchSize);
      for (let off = 0; off < total; off += step) {
        ctx.checkCancelled();
        const len = Math.min(step, total - off);
        const sel = idx.subarray(off, off + len);
        const out = makeBatch(this.schema, keys.map((c) => takeColumn(c, sel, len)), len);
        m.outputRows += len;
        m.outputBatches++;
        yield out;
      }
    } finally {
      mem.release();
    }
  }
}
