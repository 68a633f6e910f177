import { makeBatch, type Batch, type Field, type Schema } from '../types/batch.js';
import { takeColumn } from '../types/column.js';
import { EngineError } from '../errors.js';
import type { ExecContext, PhysicalOperator } from '../physical/operator.js';
import { OperatorMetrics } from '../physical/metrics.js';
import { createGroupValues } from './aggregate/hash-aggregate.js';
import { MemoryReservation } from './batch-utils.js';

/** Steps a recursive CTE may take before the query fails (PostgreSQL would loop forever); tests lower it. */
export const recursionLimit = { steps: 100_000 };

/** The rows of the previous step, shared by a RecursiveCteExec and its WorkTableExecs. */
export class WorkTable {
  batches: Batch[] = [];
}

/** Reads the previous step's rows of the enclosing recursive CTE. */
export class WorkTableExec implements PhysicalOperator {
  readonly name = 'WorkTableExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[] = [];
  readonly metrics = new OperatorMetrics();

  constructor(readonly table: WorkTable, readonly cteName: string, fields: readonly Field[]) {
    this.schema = fields;
  }

  describe(): string {
    return `name=${this.cteName}`;
  }

  async *execute(): AsyncGenerator<Batch> {
    for (const b of this.table.batches) {
      this.metrics.outputRows += b.numRows;
      this.metrics.outputBatches++;
      yield makeBatch(this.schema, b.columns, b.numRows);
    }
  }
}

export interface RecursiveCteOptions {
  readonly name: string;
  readonly all: boolean;
  readonly static: PhysicalOperator;
  /** A fresh operator tree for the recursive term (operators run once each), reading `table`. */
  readonly recursive: () => PhysicalOperator;
  readonly table: WorkTable;
  readonly fields: readonly Field[];
}

/**
 * WITH RECURSIVE: emits the static term's rows, then repeatedly runs the recursive term over the
 * previous step's rows (the work table) and emits its rows, until a step yields none. UNION (not
 * ALL) keeps only rows never seen before, deduplicated with the hash aggregate's GroupValues.
 * More than recursionLimit.steps steps fail the query.
 */
export class RecursiveCteExec implements PhysicalOperator {
  readonly name = 'RecursiveQueryExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();
  private steps = 0;

  constructor(private readonly opts: RecursiveCteOptions) {
    this.schema = opts.fields;
    // EXPLAIN shows the recursive term as planned once
    this.children = [opts.static, opts.recursive()];
  }

  describe(): string {
    return `name=${this.opts.name}, union=${this.opts.all ? 'ALL' : 'DISTINCT'}${this.steps > 0 ? `, steps=${this.steps}` : ''}`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    const m = this.metrics;
    const mem = new MemoryReservation(ctx, this.name, m);
    const gv = this.opts.all ? null : createGroupValues(this.schema.map((f) => f.type));
    let groupIdx = new Int32Array(0);
    /** Rows of `b` not seen before (UNION), as a new batch; all of them for UNION ALL. */
    const fresh = (b: Batch): Batch => {
      if (gv === null) return makeBatch(this.schema, b.columns, b.numRows);
      const n = b.numRows;
      if (groupIdx.length < n) groupIdx = new Int32Array(n);
      const gi = groupIdx.subarray(0, n);
      let next = gv.numGroups();
      gv.intern(b.columns, n, gi);
      const sel = new Int32Array(n);
      let k = 0;
      for (let i = 0; i < n; i++) if (gi[i] === next) { sel[k++] = i; next++; }
      return makeBatch(this.schema, b.columns.map((c) => takeColumn(c, sel, k)), k);
    };
    try {
      let step: Batch[] = [];
      const run = async function* (op: PhysicalOperator): AsyncGenerator<Batch> {
        for await (const b of op.execute(ctx)) {
          ctx.checkCancelled();
          if (b.numRows === 0) continue;
          const t0 = performance.now();
          const out = fresh(b);
          m.elapsedComputeMs += performance.now() - t0;
          if (out.numRows === 0) continue;
          step.push(out);
          yield out;
        }
      };
      for await (const b of run(this.opts.static)) { m.outputRows += b.numRows; m.outputBatches++; yield b; }
      let first = true;
      while (step.length > 0) {
        if (++this.steps > recursionLimit.steps) {
          throw new EngineError('resources_exhausted', `WITH RECURSIVE query "${this.opts.name}" did not finish after ${recursionLimit.steps} iterations`);
        }
        this.opts.table.batches = step;
        mem.resize((gv === null ? 0 : gv.size()) + step.reduce((s, b) => s + b.columns.reduce((t, c) => t + c.values.byteLength, 0), 0));
        step = [];
        const op = first ? this.children[1] : this.opts.recursive();
        first = false;
        for await (const b of run(op)) { m.outputRows += b.numRows; m.outputBatches++; yield b; }
      }
      m.extra.steps = this.steps;
    } finally {
      this.opts.table.batches = [];
      mem.release();
    }
  }
}
