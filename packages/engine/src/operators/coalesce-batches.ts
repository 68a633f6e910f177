import type { Batch, Schema } from '../types/batch.js';
import type { ExecContext, PhysicalOperator } from '../physical/operator.js';
import { OperatorMetrics } from '../physical/metrics.js';
import { concatBatches } from './batch-utils.js';

export interface CoalesceBatchesOptions {
  readonly input: PhysicalOperator;
  /** Target rows per output batch (default: ctx.config.batchSize). */
  readonly targetBatchSize?: number;
}

/**
 * Merges small batches (e.g. after a selective filter) into batches of about the target size,
 * so downstream per-batch overheads stay amortized. Batches already at least half the target
 * pass through untouched.
 */
export class CoalesceBatchesExec implements PhysicalOperator {
  readonly name = 'CoalesceBatchesExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();
  readonly input: PhysicalOperator;
  readonly targetBatchSize: number | undefined;

  constructor(opts: CoalesceBatchesOptions) {
    this.input = opts.input;
    this.targetBatchSize = opts.targetBatchSize;
    this.schema = opts.input.schema;
    this.children = [opts.input];
  }

  describe(): string {
    return this.targetBatchSize === undefined ? 'target_batch_size=config' : `target_batch_size=${this.targetBatchSize}`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    const m = this.metrics;
    const target = Math.max(1, this.targetBatchSize ?? ctx.config.batchSize);
    let buf: Batch[] = [];
    let rows = 0;
    const emit = (): Batch => {
      const t0 = performance.now();
      const out = concatBatches(this.schema, buf);
      buf = [];
      rows = 0;
      m.elapsedComputeMs += performance.now() - t0;
      m.outputRows += out.numRows;
      m.outputBatches++;
      return out;
    };
    for await (const b of this.input.execute(ctx)) {
      ctx.checkCancelled();
      if (b.numRows === 0) continue;
      if (rows === 0 && b.numRows * 2 >= target) {
        m.outputRows += b.numRows;
        m.outputBatches++;
        yield b;
        continue;
      }
      buf.push(b);
      rows += b.numRows;
      if (rows >= target) yield emit();
    }
    if (rows > 0) yield emit();
  }
}
