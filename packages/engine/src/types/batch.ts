import type { DataType } from './data-type.js';
import { sliceColumn, takeColumn, type Column } from './column.js';

/** A column of a runtime schema. `id` is the logical column id the planner gave it (see logical/expr.ts). */
export interface Field {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
  readonly id?: number;
}

export type Schema = readonly Field[];

/** A record batch: equal-length columns, positionally matching a schema. */
export interface Batch {
  readonly schema: Schema;
  readonly columns: readonly Column[];
  readonly numRows: number;
}

export function makeBatch(schema: Schema, columns: readonly Column[], numRows?: number): Batch {
  return { schema, columns, numRows: numRows ?? (columns.length > 0 ? columns[0].length : 0) };
}

export function takeBatch(b: Batch, indices: Int32Array | Uint32Array, count = indices.length): Batch {
  return makeBatch(b.schema, b.columns.map((c) => takeColumn(c, indices, count)), count);
}

export function sliceBatch(b: Batch, offset: number, length: number): Batch {
  return makeBatch(b.schema, b.columns.map((c) => sliceColumn(c, offset, length)), length);
}

/** Approximate bytes held by a batch, for memory accounting. */
export function batchBytes(b: Batch): number {
  let n = 0;
  for (const c of b.columns) {
    n += c.values.byteLength + (c.validity ? c.validity.byteLength : 0);
    if (c.dict) n += c.dict.length * 16;
  }
  return n;
}
