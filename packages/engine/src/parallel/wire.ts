/**
 * Moving batches and errors between the main thread and partition workers (postMessage).
 *
 * Typed arrays are transferred, not copied, when they own their whole buffer. A view into a larger
 * buffer (a slice) is copied first: structured clone of a view clones the whole underlying buffer,
 * and transferring it would detach sibling slices the sender still holds. SharedArrayBuffer-backed
 * arrays (shared in-memory tables) cross as is: both sides see the same memory.
 */
import { EngineError, isEngineError, type ErrorCode } from '../errors.js';
import type { Batch, Field, Schema } from '../types/batch.js';
import type { Column } from '../types/column.js';
import type { DataType } from '../types/data-type.js';

export interface WireColumn {
  readonly type: DataType;
  readonly values: Column['values'];
  readonly validity: Uint8Array | null;
  readonly dict?: string[];
}

export interface WireBatch {
  readonly numRows: number;
  readonly columns: WireColumn[];
}

type View = Column['values'] | Uint8Array;

function ownable<T extends View>(a: T, transfer: Set<ArrayBuffer>): T {
  const buf = a.buffer;
  if (typeof SharedArrayBuffer !== 'undefined' && buf instanceof SharedArrayBuffer) return a;
  if (a.byteOffset === 0 && a.byteLength === buf.byteLength && !transfer.has(buf as ArrayBuffer)) {
    transfer.add(buf as ArrayBuffer);
    return a;
  }
  const copy = a.slice() as T;
  transfer.add(copy.buffer as ArrayBuffer);
  return copy;
}

/** The batch as a message payload; its buffers are added to `transfer` (the sender must not use them afterwards). */
export function batchToWire(b: Batch, transfer: Set<ArrayBuffer>): WireBatch {
  const columns = b.columns.map((c): WireColumn => {
    const values = ownable(c.values, transfer);
    const validity = c.validity === null ? null : ownable(c.validity, transfer);
    return c.dict ? { type: c.type, values, validity, dict: c.dict } : { type: c.type, values, validity };
  });
  return { numRows: b.numRows, columns };
}

export function batchFromWire(w: WireBatch, schema: Schema): Batch {
  const columns: Column[] = w.columns.map((c) =>
    c.dict ? { type: c.type, length: w.numRows, values: c.values, validity: c.validity, dict: c.dict } : { type: c.type, length: w.numRows, values: c.values, validity: c.validity },
  );
  return { schema, columns, numRows: w.numRows };
}

/** Fields without anything a structured clone would choke on (they are plain data already). */
export function schemaToWire(schema: Schema): Field[] {
  return schema.map((f) => (f.id === undefined ? { name: f.name, type: f.type, nullable: f.nullable } : { name: f.name, type: f.type, nullable: f.nullable, id: f.id }));
}

export interface WireError {
  readonly code: string;
  readonly message: string;
  readonly position?: number;
  readonly engine: boolean;
}

export function errorToWire(e: unknown): WireError {
  if (isEngineError(e)) return e.position === undefined ? { code: e.code, message: e.message, engine: true } : { code: e.code, message: e.message, position: e.position, engine: true };
  return { code: 'internal', message: e instanceof Error ? (e.stack ?? e.message) : String(e), engine: false };
}

export function errorFromWire(w: WireError, where: string): Error {
  if (w.engine) return new EngineError(w.code as ErrorCode, w.message, w.position);
  return new Error(`${where}: ${w.message}`);
}
