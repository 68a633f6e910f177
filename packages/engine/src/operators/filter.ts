import type { Expr } from '../logical/expr.js';
import type { Batch, Schema } from '../types/batch.js';
import type { ExecContext, PhysicalOperator } from '../physical/operator.js';
import { OperatorMetrics } from '../physical/metrics.js';
import type { PhysicalExpr } from '../expr/physical-expr.js';
import { compileExpr } from '../expr/compile.js';
import { filterBatch, selectionFromBool } from '../expr/selection.js';

export interface FilterOptions {
  readonly input: PhysicalOperator;
  readonly predicate: Expr;
}

/**
 * Keeps the rows where the predicate is true (not NULL). Empty results are dropped; a batch
 * whose every row passes is forwarded without copying.
 */
export class FilterExec implements PhysicalOperator {
  readonly name = 'FilterExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();
  readonly input: PhysicalOperator;
  readonly predicate: Expr;
  private readonly expr: PhysicalExpr;

  constructor(opts: FilterOptions) {
    this.input = opts.input;
    this.predicate = opts.predicate;
    this.schema = opts.input.schema;
    this.children = [opts.input];
    this.expr = compileExpr(opts.predicate, opts.input.schema);
  }

  describe(): string {
    return `predicate=${this.expr.toString()}`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    const m = this.metrics;
    let inputRows = 0;
    for await (const b of this.input.execute(ctx)) {
      ctx.checkCancelled();
      const t0 = performance.now();
      inputRows += b.numRows;
      if (b.numRows === 0) { m.elapsedComputeMs += performance.now() - t0; continue; }
      const sel = selectionFromBool(this.expr.evaluate(b));
      const out = sel.length === b.numRows ? b : sel.length === 0 ? null : filterBatch(b, sel);
      m.elapsedComputeMs += performance.now() - t0;
      if (out === null) continue;
      m.outputRows += out.numRows;
      m.outputBatches++;
      m.extra.selectivity = inputRows === 0 ? 0 : Math.round((m.outputRows / inputRows) * 1000) / 1000;
      yield out;
    }
  }
}
