import type { Batch, Schema } from '../types/batch.js';
import { EngineError } from '../errors.js';
import type { ExecContext, PhysicalOperator } from '../physical/operator.js';
import { OperatorMetrics } from '../physical/metrics.js';

export interface MaxOneRowOptions {
  readonly input: PhysicalOperator;
}

/**
 * The input of a scalar subquery: passes at most one row on; a second row fails the query as
 * PostgreSQL does (`more than one row returned by a subquery used as an expression`).
 */
export class MaxOneRowExec implements PhysicalOperator {
  readonly name = 'MaxOneRowExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();
  readonly input: PhysicalOperator;

  constructor(opts: MaxOneRowOptions) {
    this.input = opts.input;
    this.schema = opts.input.schema;
    this.children = [opts.input];
  }

  describe(): string {
    return '';
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    let rows = 0;
    for await (const b of this.input.execute(ctx)) {
      ctx.checkCancelled();
      rows += b.numRows;
      if (rows > 1) throw new EngineError('invalid_parameter_value', 'more than one row returned by a subquery used as an expression');
      if (b.numRows === 0) continue;
      this.metrics.outputRows += b.numRows;
      this.metrics.outputBatches++;
      yield b;
    }
  }
}
