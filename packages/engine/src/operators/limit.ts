import type { Batch, Schema } from '../types/batch.js';
import { sliceBatch } from '../types/batch.js';
import type { ExecContext, PhysicalOperator } from '../physical/operator.js';
import { OperatorMetrics } from '../physical/metrics.js';

export interface LimitOptions {
  readonly input: PhysicalOperator;
  readonly skip: number;
  readonly fetch: number | null;
}

/**
 * OFFSET skip LIMIT fetch. Stops pulling its input as soon as `fetch` rows went out (returning
 * from the generator closes the whole upstream chain).
 */
export class LimitExec implements PhysicalOperator {
  readonly name = 'LimitExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();
  readonly input: PhysicalOperator;
  readonly skip: number;
  readonly fetch: number | null;

  constructor(opts: LimitOptions) {
    this.input = opts.input;
    this.skip = Math.max(0, opts.skip);
    this.fetch = opts.fetch === null ? null : Math.max(0, opts.fetch);
    this.schema = opts.input.schema;
    this.children = [opts.input];
  }

  describe(): string {
    return `skip=${this.skip}, fetch=${this.fetch === null ? 'None' : this.fetch}`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    const m = this.metrics;
    if (this.fetch === 0) return;
    let toSkip = this.skip;
    let remaining = this.fetch === null ? Infinity : this.fetch;
    for await (const b of this.input.execute(ctx)) {
      ctx.checkCancelled();
      const t0 = performance.now();
      let n = b.numRows;
      let off = 0;
      if (toSkip > 0) {
        const s = Math.min(toSkip, n);
        toSkip -= s;
        off = s;
        n -= s;
      }
      if (n > remaining) n = remaining;
      if (n <= 0) { m.elapsedComputeMs += performance.now() - t0; continue; }
      const out = off === 0 && n === b.numRows ? b : sliceBatch(b, off, n);
      remaining -= n;
      m.elapsedComputeMs += performance.now() - t0;
      m.outputRows += n;
      m.outputBatches++;
      yield out;
      if (remaining <= 0) return;
    }
  }
}
