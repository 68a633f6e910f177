/**
 * An in-memory table: engine batches converted once at registration, so queries do no
 * conversion; scan() hands out the stored batches restricted to the requested columns.
 */
import type * as arrow from 'apache-arrow';
import { inPartition, type NumericRange, type ScanOptions, type ScanPartition, type TableSource } from '../catalog.js';
import { EngineError, scanCancelled } from '../errors.js';
import type { Batch, Field } from '../types/batch.js';
import { batchBytes, sliceBatch } from '../types/batch.js';
import { batchFromArrow, fieldsFromArrowSchema } from './arrow-convert.js';

export class MemoryTable implements TableSource {
  readonly kind = 'memory' as const;
  readonly schema: readonly Field[];
  readonly batches: readonly Batch[];
  private readonly numRows: number;
  private readonly bytes: number;
  private readonly ranges = new Map<string, NumericRange | undefined>();

  constructor(fields: readonly Field[], batches: readonly Batch[]) {
    // the catalog's schema carries no ids (the binder assigns them)
    this.schema = fields.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable }));
    this.batches = batches.filter((b) => b.numRows > 0);
    let rows = 0;
    let bytes = 0;
    for (const b of this.batches) {
      rows += b.numRows;
      bytes += batchBytes(b);
    }
    this.numRows = rows;
    this.bytes = bytes;
  }

  /** Converts every record batch of an Arrow table once. */
  static fromArrow(table: arrow.Table): MemoryTable {
    const fields = fieldsFromArrowSchema(table.schema);
    const batches = table.batches.map((rb) => batchFromArrow(rb, fields));
    return new MemoryTable(fields, batches);
  }

  statistics(): { numRows: number; bytes: number } {
    return { numRows: this.numRows, bytes: this.bytes };
  }

  /** Computed on first use (one pass over the column) and kept: the table never changes. */
  columnRange(name: string): NumericRange | undefined {
    if (this.ranges.has(name)) return this.ranges.get(name);
    const i = this.schema.findIndex((f) => f.name === name);
    const kind = i < 0 ? 'null' : this.schema[i].type.kind;
    let range: NumericRange | undefined;
    if (kind === 'int32' || kind === 'int64' || kind === 'float64' || kind === 'date' || kind === 'timestamp' || kind === 'decimal') {
      let min = Infinity;
      let max = -Infinity;
      for (const b of this.batches) {
        const c = b.columns[i];
        const v = c.values as ArrayLike<number>;
        const valid = c.validity;
        for (let r = 0; r < b.numRows; r++) {
          if (valid !== null && valid[r] === 0) continue;
          const x = v[r];
          if (x < min) min = x;
          if (x > max) max = x;
        }
      }
      // NaN is skipped (it compares false both ways): arithmetic on it gives NaN, never an error
      if (min <= max) range = { min, max, exact: true };
    }
    this.ranges.set(name, range);
    return range;
  }

  async *scan(options: ScanOptions): AsyncGenerator<Batch> {
    const names = this.schema.map((f) => f.name);
    const idx = options.columns.map((c) => {
      const i = names.indexOf(c);
      if (i < 0) throw new EngineError('undefined_column', `column "${c}" does not exist`);
      return i;
    });
    const fields = idx.map((i) => this.schema[i]);
    yield* scanChunks(this.batches, fields, idx, options, options.partition);
  }
}

/**
 * Hands out batches restricted to columns `idx`, cut to options.batchSize rows. With a partition,
 * the cut chunks are dealt round-robin, so even a table held as one big batch spreads over workers.
 */
export async function* scanChunks(
  batches: readonly Batch[],
  fields: readonly Field[],
  idx: readonly number[],
  options: ScanOptions,
  partition: ScanPartition | undefined,
): AsyncGenerator<Batch> {
  const max = options.batchSize !== undefined && options.batchSize > 0 ? options.batchSize : Infinity;
  let chunk = 0;
  for (const b of batches) {
    if (options.signal?.aborted) throw scanCancelled();
    const projected: Batch = { schema: fields, columns: idx.map((i) => b.columns[i]), numRows: b.numRows };
    if (b.numRows <= max) {
      if (inPartition(chunk++, partition)) {
        options.onRead?.(b.numRows, 0);
        yield projected;
      }
      continue;
    }
    for (let o = 0; o < b.numRows; o += max) {
      if (!inPartition(chunk++, partition)) continue;
      const len = Math.min(max, b.numRows - o);
      options.onRead?.(len, 0);
      yield sliceBatch(projected, o, len);
    }
  }
}
