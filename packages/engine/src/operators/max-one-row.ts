import type { Expr } from '../logical/expr.js';
import type { Batch, Schema } from '../types/batch.js';
import { EngineError } from '../errors.js';
import type { ExecContext, PhysicalOperator } from '../physical/operator.js';
import { OperatorMetrics } from '../physical/metrics.js';
import type { PhysicalExpr } from '../expr/physical-expr.js';
import { compileExpr } from '../expr/compile.js';
import { createGroupValues } from './aggregate/hash-aggregate.js';
import { MemoryReservation } from './batch-utils.js';

export interface MaxOneRowOptions {
  readonly input: PhysicalOperator;
  /** Empty: at most one row in all; else at most one row per key (NULL keys not counted). */
  readonly keys?: readonly Expr[];
}

const tooMany = (): EngineError => new EngineError('invalid_parameter_value', 'more than one row returned by a subquery used as an expression');

/**
 * The input of a scalar subquery: passes rows on; a second row (per key, for a decorrelated
 * subquery joined on the keys) fails the query as PostgreSQL does. Keys are counted with the
 * hash aggregate's GroupValues.
 */
export class MaxOneRowExec implements PhysicalOperator {
  readonly name = 'MaxOneRowExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();
  readonly input: PhysicalOperator;
  private readonly keys: PhysicalExpr[];

  constructor(opts: MaxOneRowOptions) {
    this.input = opts.input;
    this.schema = opts.input.schema;
    this.children = [opts.input];
    this.keys = (opts.keys ?? []).map((k) => compileExpr(k, opts.input.schema));
  }

  describe(): string {
    return this.keys.length > 0 ? `per=[${this.keys.map((k) => k.toString()).join(', ')}]` : '';
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    const m = this.metrics;
    const mem = new MemoryReservation(ctx, this.name, m);
    const gv = this.keys.length > 0 ? createGroupValues(this.keys.map((k) => k.type)) : null;
    let rows = 0;
    let gi = new Int32Array(0);
    try {
      for await (const b of this.input.execute(ctx)) {
        ctx.checkCancelled();
        const n = b.numRows;
        if (n === 0) continue;
        if (gv === null) {
          rows += n;
          if (rows > 1) throw tooMany();
        } else {
          const t0 = performance.now();
          const cols = this.keys.map((k) => k.evaluate(b));
          if (gi.length < n) gi = new Int32Array(n);
          const before = gv.numGroups();
          gv.intern(cols, n, gi);
          // every non-NULL key must be a new group, seen once
          let next = before;
          for (let i = 0; i < n; i++) {
            let isNull = false;
            for (const c of cols) if (c.validity !== null && c.validity[i] === 0) { isNull = true; break; }
            if (isNull) continue;
            if (gi[i] !== next) throw tooMany();
            next++;
          }
          mem.resize(gv.size() + gi.byteLength);
          m.elapsedComputeMs += performance.now() - t0;
        }
        m.outputRows += n;
        m.outputBatches++;
        yield b;
      }
    } finally {
      mem.release();
    }
  }
}
