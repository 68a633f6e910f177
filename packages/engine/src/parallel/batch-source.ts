import type { ExecContext, PhysicalOperator } from '../physical/operator.js';
import { OperatorMetrics } from '../physical/metrics.js';
import type { Batch, Schema } from '../types/batch.js';

/** Batches already in hand (received from other partitions) as an operator input. */
export class BatchSourceExec implements PhysicalOperator {
  readonly name = 'BatchSourceExec';
  readonly children: readonly PhysicalOperator[] = [];
  readonly metrics = new OperatorMetrics();

  constructor(
    readonly schema: Schema,
    private readonly batches: readonly Batch[],
    private readonly label = 'received batches',
  ) {}

  describe(): string {
    return this.label;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    for (const b of this.batches) {
      ctx.checkCancelled();
      this.metrics.outputRows += b.numRows;
      this.metrics.outputBatches++;
      yield b;
    }
  }
}
