import type { DataType } from './data-type.js';

/**
 * One column of a batch. Storage by type kind (fixed, so hot loops stay monomorphic):
 *   bool                          → Uint8Array (0/1)
 *   int32, date                   → Int32Array
 *   int64, float64, timestamp     → Float64Array (int64 is exact while |x| < 2^53)
 *   decimal(p,s)                  → Float64Array of unscaled integers (value × 10^s)
 *   utf8                          → Int32Array of codes into `dict`
 *   null                          → Uint8Array of zeros, validity all 0
 * `validity[i] === 0` marks row i NULL; `validity === null` means no NULLs in the column.
 * The value slot of a NULL row is unspecified (usually 0) and must be ignored.
 */
export interface Column {
  readonly type: DataType;
  readonly length: number;
  readonly values: Int32Array | Float64Array | Uint8Array;
  readonly validity: Uint8Array | null;
  /** utf8 only: the dictionary. Codes may not use every entry; entries may repeat across batches. */
  readonly dict?: string[];
}

export type ColumnValues = Column['values'];

/** Allocates the storage array for `length` rows of `type`. */
export function allocValues(type: DataType, length: number): ColumnValues {
  switch (type.kind) {
    case 'bool':
    case 'null':
      return new Uint8Array(length);
    case 'int32':
    case 'date':
    case 'utf8':
      return new Int32Array(length);
    default:
      return new Float64Array(length);
  }
}

export function makeColumn(
  type: DataType,
  values: ColumnValues,
  validity: Uint8Array | null = null,
  dict?: string[],
): Column {
  return dict ? { type, length: values.length, values, validity, dict } : { type, length: values.length, values, validity };
}

/** A column of `length` NULLs. */
export function nullColumn(type: DataType, length: number): Column {
  return makeColumn(type, allocValues(type, length), new Uint8Array(length), type.kind === 'utf8' ? [] : undefined);
}

export const isValid = (c: Column, i: number): boolean => c.validity === null || c.validity[i] === 1;

export function nullCount(c: Column): number {
  if (c.validity === null) return 0;
  let n = 0;
  for (let i = 0; i < c.length; i++) n += 1 - c.validity[i];
  return n;
}

/** Decoded JS value of row i (slow path: tests, result formatting, constant folding only). */
export function valueAt(c: Column, i: number): number | string | boolean | null {
  if (!isValid(c, i)) return null;
  switch (c.type.kind) {
    case 'null': return null;
    case 'bool': return c.values[i] === 1;
    case 'utf8': return c.dict![c.values[i]];
    default: return c.values[i];
  }
}

/** Rows of `c` at `indices`, in that order (gather). */
export function takeColumn(c: Column, indices: Int32Array | Uint32Array, count = indices.length): Column {
  const src = c.values;
  const out = allocValues(c.type, count);
  // One loop per storage class, so each stays monomorphic (this gather is the hottest loop of
  // filters, joins and sorts; a loop over the union of typed arrays is not).
  if (src instanceof Float64Array) gatherF64(src, out as Float64Array, indices, count);
  else if (src instanceof Int32Array) gatherI32(src, out as Int32Array, indices, count);
  else gatherU8(src, out as Uint8Array, indices, count);
  let validity: Uint8Array | null = null;
  if (c.validity) {
    validity = new Uint8Array(count);
    gatherU8(c.validity, validity, indices, count);
  }
  return makeColumn(c.type, out, validity, c.dict);
}

function gatherF64(src: Float64Array, out: Float64Array, idx: Int32Array | Uint32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = src[idx[i]!]!;
}
function gatherI32(src: Int32Array, out: Int32Array, idx: Int32Array | Uint32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = src[idx[i]!]!;
}
function gatherU8(src: Uint8Array, out: Uint8Array, idx: Int32Array | Uint32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = src[idx[i]!]!;
}

/** Rows [offset, offset+length) without copying. */
export function sliceColumn(c: Column, offset: number, length: number): Column {
  const values = c.values.subarray(offset, offset + length);
  const validity = c.validity ? c.validity.subarray(offset, offset + length) : null;
  return makeColumn(c.type, values, validity, c.dict);
}
