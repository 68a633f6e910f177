import type { Expr } from '../logical/expr.js';
import { makeBatch, type Batch, type Field, type Schema } from '../types/batch.js';
import { typesEqual } from '../types/data-type.js';
import type { ExecContext, PhysicalOperator } from '../physical/operator.js';
import { OperatorMetrics } from '../physical/metrics.js';
import { compileExpr } from '../expr/compile.js';
import { castColumn } from '../expr/kernels/cast.js';
import { concatBatches, slices } from './batch-utils.js';

export interface ValuesOptions {
  readonly fields: readonly Field[];
  readonly rows: readonly (readonly Expr[])[];
}

const ONE_ROW: Batch = { schema: [], columns: [], numRows: 1 };

/** Literal rows (`VALUES …`, `SELECT 1`). Each cell is evaluated when the operator runs. */
export class ValuesExec implements PhysicalOperator {
  readonly name = 'ValuesExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[] = [];
  readonly metrics = new OperatorMetrics();
  readonly rows: readonly (readonly Expr[])[];

  constructor(opts: ValuesOptions) {
    this.schema = [...opts.fields];
    this.rows = opts.rows;
  }

  describe(): string {
    return `rows=${this.rows.length}, columns=[${this.schema.map((f) => f.name).join(', ')}]`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    ctx.checkCancelled();
    const t0 = performance.now();
    const schema = this.schema;
    let out: Batch;
    if (schema.length === 0) {
      out = makeBatch(schema, [], this.rows.length);
    } else {
      const rowBatches = this.rows.map((row) =>
        makeBatch(schema, schema.map((f, c) => {
          const col = compileExpr(row[c], []).evaluate(ONE_ROW);
          return typesEqual(col.type, f.type) ? col : castColumn(col, f.type);
        }), 1),
      );
      if (rowBatches.length === 0) return;
      out = concatBatches(schema, rowBatches);
    }
    this.metrics.elapsedComputeMs += performance.now() - t0;
    if (out.numRows === 0) return;
    for (const b of slices(out, ctx.config.batchSize)) {
      this.metrics.outputRows += b.numRows;
      this.metrics.outputBatches++;
      yield b;
    }
  }
}
