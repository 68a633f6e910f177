import type { Batch, Field, Schema } from '../../src/types/batch.js';
import { makeBatch } from '../../src/types/batch.js';
import { makeColumn, valueAt, type Column } from '../../src/types/column.js';
import type { DataType } from '../../src/types/data-type.js';
import { DEFAULT_EXEC_CONFIG, type ExecConfig, type ExecContext, type PhysicalOperator } from '../../src/physical/operator.js';
import { OperatorMetrics } from '../../src/physical/metrics.js';
import { EngineError } from '../../src/errors.js';

/** Test source: yields the given batches. */
export class BatchesExec implements PhysicalOperator {
  readonly name = 'BatchesExec';
  readonly children: readonly PhysicalOperator[] = [];
  readonly metrics = new OperatorMetrics();
  constructor(readonly schema: Schema, private readonly batches: readonly Batch[]) {}
  describe(): string {
    return `batches=${this.batches.length}`;
  }
  async *execute(_ctx: ExecContext): AsyncGenerator<Batch> {
    for (const b of this.batches) {
      this.metrics.outputRows += b.numRows;
      this.metrics.outputBatches++;
      yield b;
    }
  }
}

export interface TestContext extends ExecContext {
  reserved: number;
  peak: number;
}

export function makeCtx(config: Partial<ExecConfig> = {}): TestContext {
  const cfg: ExecConfig = { ...DEFAULT_EXEC_CONFIG, ...config };
  const ctx: TestContext = {
    config: cfg,
    reserved: 0,
    peak: 0,
    reportRead() {},
    reserve(operator: string, bytes: number) {
      ctx.reserved += bytes;
      if (ctx.reserved > ctx.peak) ctx.peak = ctx.reserved;
      if (ctx.reserved > cfg.memoryLimit) throw new EngineError('resources_exhausted', `memory limit exceeded in ${operator}`);
    },
    checkCancelled() {},
  };
  return ctx;
}

export const field = (id: number, name: string, type: DataType, nullable = true): Field => ({ id, name, type, nullable });

type Val = number | string | boolean | null;

/** Builds a column from JS values (utf8: dictionary in first-seen order unless `dict` is given). */
export function column(type: DataType, vals: readonly Val[], dict?: string[]): Column {
  const n = vals.length;
  const hasNull = vals.some((v) => v === null);
  const validity = hasNull ? new Uint8Array(n) : null;
  if (type.kind === 'utf8') {
    const d = dict ? [...dict] : [];
    const pos = new Map<string, number>();
    d.forEach((x, i) => { if (!pos.has(x)) pos.set(x, i); });
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = vals[i];
      if (v === null) continue;
      validity?.fill(1, i, i + 1);
      let c = pos.get(v as string);
      if (c === undefined) { c = d.length; d.push(v as string); pos.set(v as string, c); }
      codes[i] = c;
    }
    return makeColumn(type, codes, validity, d);
  }
  const values = type.kind === 'bool' || type.kind === 'null' ? new Uint8Array(n) : type.kind === 'int32' || type.kind === 'date' ? new Int32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = vals[i];
    if (v === null) continue;
    if (validity) validity[i] = 1;
    values[i] = typeof v === 'boolean' ? (v ? 1 : 0) : (v as number);
  }
  return makeColumn(type, values, validity);
}

export function batch(schema: Schema, cols: readonly (readonly Val[])[], dicts?: (string[] | undefined)[]): Batch {
  return makeBatch(schema, schema.map((f, i) => column(f.type, cols[i], dicts?.[i])));
}

export async function collect(op: PhysicalOperator, ctx: ExecContext = makeCtx()): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of op.execute(ctx)) out.push(b);
  return out;
}

/** All output rows as arrays of JS values. */
export async function rows(op: PhysicalOperator, ctx: ExecContext = makeCtx()): Promise<Val[][]> {
  const out: Val[][] = [];
  for (const b of await collect(op, ctx)) {
    for (let i = 0; i < b.numRows; i++) out.push(b.columns.map((c) => valueAt(c, i)));
  }
  return out;
}

/** Rows sorted by their JSON text, for order-insensitive comparison. */
export async function sortedRows(op: PhysicalOperator, ctx?: ExecContext): Promise<Val[][]> {
  const r = await rows(op, ctx);
  return r.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
}
