/**
 * In-memory tables seen by partition workers without copying: the first parallel query over a
 * MemoryTable moves its column buffers into SharedArrayBuffers (once, in place), and workers read
 * the same memory. Dictionaries (string arrays) cannot be shared; each worker receives them once
 * per table and keeps them (see pool.ts: a worker is sent a table only when it lacks it).
 */
import type { ScanOptions, TableSource } from '../catalog.js';
import { scanChunks } from '../io/memory-table.js';
import { EngineError } from '../errors.js';
import type { MemoryTable } from '../io/memory-table.js';
import type { Batch, Field } from '../types/batch.js';
import type { Column } from '../types/column.js';
import type { WireBatch } from './wire.js';

export interface SharedTableDescriptor {
  readonly kind: 'shared';
  readonly id: number;
  readonly fields: readonly Field[];
  readonly batches: readonly WireBatch[];
  /** Broadcast build sides are read whole by every partition; table scans are split. */
  readonly replicated: boolean;
}

let nextId = 1;
const shared = new WeakMap<object, SharedTableDescriptor>();

function toShared<T extends Column['values'] | Uint8Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  (out as unknown as { set(x: ArrayLike<number>): void }).set(a);
  return out;
}

function shareBatch(b: Batch): Batch {
  const columns = b.columns.map((c): Column => {
    const values = toShared(c.values);
    const validity = c.validity === null ? null : toShared(c.validity);
    return c.dict ? { type: c.type, length: c.length, values, validity, dict: c.dict } : { type: c.type, length: c.length, values, validity };
  });
  return { schema: b.schema, columns, numRows: b.numRows };
}

function descriptorOf(fields: readonly Field[], batches: readonly Batch[], replicated: boolean): SharedTableDescriptor {
  return {
    kind: 'shared',
    id: nextId++,
    fields: fields.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable })),
    batches: batches.map((b) => ({
      numRows: b.numRows,
      columns: b.columns.map((c) => (c.dict ? { type: c.type, values: c.values, validity: c.validity, dict: c.dict } : { type: c.type, values: c.values, validity: c.validity })),
    })),
    replicated,
  };
}

/** The table's descriptor; moves its buffers to shared memory the first time (the table keeps working). */
export function shareMemoryTable(table: MemoryTable): SharedTableDescriptor {
  let d = shared.get(table);
  if (d !== undefined) return d;
  const batches = table.batches.map(shareBatch);
  // in place: the main thread's later queries read the shared copy, so memory is not doubled
  (table.batches as Batch[]).splice(0, batches.length, ...batches);
  d = descriptorOf(table.schema, batches, false);
  shared.set(table, d);
  return d;
}

/** A materialized broadcast side: every partition reads all of it. */
export function shareBroadcast(fields: readonly Field[], batches: readonly Batch[]): SharedTableDescriptor {
  return descriptorOf(fields, batches.map(shareBatch), true);
}

/** Worker side: the descriptor as a TableSource. */
export class SharedTableSource implements TableSource {
  readonly kind = 'memory' as const;
  readonly schema: readonly Field[];
  private readonly batches: readonly Batch[];

  constructor(d: SharedTableDescriptor) {
    this.schema = d.fields;
    this.batches = d.batches.map((w) => ({
      schema: d.fields,
      numRows: w.numRows,
      columns: w.columns.map((c): Column => (c.dict ? { type: c.type, length: w.numRows, values: c.values, validity: c.validity, dict: c.dict } : { type: c.type, length: w.numRows, values: c.values, validity: c.validity })),
    }));
  }

  statistics(): { numRows: number } {
    return { numRows: this.batches.reduce((a, b) => a + b.numRows, 0) };
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
