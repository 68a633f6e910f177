/**
 * Streaming (ordered) aggregation, for input already sorted on the group keys: a group is
 * complete as soon as a later key appears, so each batch's groups are emitted at once except the
 * last one, which may continue in the next batch. Memory is bounded by one batch, whatever the
 * number of groups (DataFusion's `ordering_mode=Sorted`).
 *
 * Each batch is aggregated partially on its own; the still-open group's state row is carried into
 * the next batch's final step, where the Final merge joins it with the same key's new rows.
 */
import { formatColumnValue } from '../../expr/format.js';
import type { NamedExpr } from '../../logical/plan.js';
import { OperatorMetrics } from '../../physical/metrics.js';
import type { ExecContext, PhysicalOperator } from '../../physical/operator.js';
import { compileExpr } from '../../expr/compile.js';
import type { PhysicalExpr } from '../../expr/physical-expr.js';
import { makeBatch, takeBatch, type Batch, type Schema } from '../../types/batch.js';
import type { Column } from '../../types/column.js';
import { HashAggregateExec, type AggregateSpec } from './hash-aggregate.js';

class OneShotExec implements PhysicalOperator {
  readonly name = 'BatchSourceExec';
  readonly children: readonly PhysicalOperator[] = [];
  readonly metrics = new OperatorMetrics();
  constructor(readonly schema: Schema, private readonly batches: readonly Batch[]) {}
  describe(): string {
    return '';
  }
  async *execute(): AsyncGenerator<Batch> {
    for (const b of this.batches) yield b;
  }
}

function keyOf(columns: readonly Column[], row: number): string {
  return JSON.stringify(columns.map((c) => formatColumnValue(c, row)));
}

export class StreamingAggregateExec implements PhysicalOperator {
  readonly name = 'AggregateExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();
  private readonly keyExprs: PhysicalExpr[];
  private readonly partialSchema: Schema;
  private readonly display: HashAggregateExec;

  constructor(
    readonly input: PhysicalOperator,
    private readonly groupBy: readonly NamedExpr[],
    private readonly aggregates: readonly AggregateSpec[],
    private readonly orderedOn: string,
  ) {
    this.children = [input];
    this.display = new HashAggregateExec({ input, mode: 'Single', groupBy, aggregates });
    this.schema = this.display.schema;
    this.partialSchema = new HashAggregateExec({ input, mode: 'Partial', groupBy, aggregates }).schema;
    this.keyExprs = groupBy.map((g) => compileExpr(g.expr, input.schema));
  }

  describe(): string {
    const d = this.display.describe().replace(/^mode=Single, /, '').replace(/, keys=[^,]*$/, '');
    return `mode=Single, ordering_mode=Sorted (input sorted on ${this.orderedOn}), ${d}`;
  }

  private async *finish(ctx: ExecContext, states: Batch[]): AsyncGenerator<Batch> {
    if (states.length === 0) return;
    const final = new HashAggregateExec({ input: new OneShotExec(this.partialSchema, states), mode: 'Final', groupBy: this.groupBy, aggregates: this.aggregates });
    for await (const b of final.execute(ctx)) {
      this.metrics.outputRows += b.numRows;
      this.metrics.outputBatches++;
      yield b;
    }
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    const k = this.groupBy.length;
    let carry: Batch | null = null; // state rows of the group still open (one per batch it spans)
    let emittedEarly = 0;
    let peak = 0;
    for await (const batch of this.input.execute(ctx)) {
      ctx.checkCancelled();
      if (batch.numRows === 0) continue;
      const t0 = performance.now();
      const lastKey = keyOf(this.keyExprs.map((e) => e.evaluate(batch)), batch.numRows - 1);
      const partial = new HashAggregateExec({ input: new OneShotExec(this.input.schema, [batch]), mode: 'Partial', groupBy: this.groupBy, aggregates: this.aggregates });
      const states: Batch[] = [];
      let open: Batch | null = null;
      for await (const s of partial.execute(ctx)) {
        const keys = s.columns.slice(0, k);
        const closed: number[] = [];
        const still: number[] = [];
        for (let i = 0; i < s.numRows; i++) (keyOf(keys, i) === lastKey ? still : closed).push(i);
        if (still.length > 0) open = takeBatch(s, Int32Array.from(still));
        if (closed.length === s.numRows) states.push(s);
        else if (closed.length > 0) states.push(takeBatch(s, Int32Array.from(closed)));
      }
      peak = Math.max(peak, partial.metrics.peakMemoryBytes);
      if (carry !== null) {
        // the open group either goes on (same key as this batch's last row) or closed in this batch,
        // where Final merges it with the same key's new rows
        if (keyOf(carry.columns.slice(0, k), 0) === lastKey) open = open === null ? carry : concatBatches(carry, open);
        else states.push(carry);
      }
      carry = open;
      this.metrics.elapsedComputeMs += performance.now() - t0;
      for await (const b of this.finish(ctx, states)) {
        emittedEarly += b.numRows;
        yield b;
      }
    }
    if (carry !== null) yield* this.finish(ctx, [carry]);
    this.metrics.peakMemoryBytes = peak;
    this.metrics.extra.groupsEmittedEarly = emittedEarly;
  }
}

function concatBatches(a: Batch, b: Batch): Batch {
  return makeBatch(a.schema, a.columns.map((c, i) => concatColumns([c, b.columns[i]])), a.numRows + b.numRows);
}

function concatColumns(cols: readonly Column[]): Column {
  const n = cols.reduce((a, c) => a + c.length, 0);
  const first = cols[0];
  const Ctor = first.values.constructor as new (n: number) => Column['values'];
  const values = new Ctor(n);
  const anyNull = cols.some((c) => c.validity !== null);
  const validity = anyNull ? new Uint8Array(n).fill(1) : null;
  let dict: string[] | undefined;
  let off = 0;
  for (const c of cols) {
    if (c.dict !== undefined) {
      // re-code into one dictionary
      dict ??= [];
      const base = dict.length;
      dict.push(...c.dict);
      const codes = c.values as Int32Array;
      for (let i = 0; i < c.length; i++) (values as Int32Array)[off + i] = codes[i] + base;
    } else {
      values.set(c.values as never, off);
    }
    if (validity !== null && c.validity !== null) validity.set(c.validity, off);
    off += c.length;
  }
  return dict !== undefined ? { type: first.type, length: n, values, validity, dict } : { type: first.type, length: n, values, validity };
}
