import type { Batch, Field } from '../../src/types/batch.js';
import { valueAt, type Column } from '../../src/types/column.js';
import { BOOL, DATE, FLOAT64, INT32, INT64, TIMESTAMP, UTF8, decimal } from '../../src/types/data-type.js';

export const ALL_FIELDS: Field[] = [
  { name: 'i32', type: INT32, nullable: true },
  { name: 'i64', type: INT64, nullable: true },
  { name: 'f64', type: FLOAT64, nullable: true },
  { name: 'dec', type: decimal(15, 2), nullable: true },
  { name: 's', type: UTF8, nullable: true },
  { name: 'b', type: BOOL, nullable: true },
  { name: 'd', type: DATE, nullable: true },
  { name: 'ts', type: TIMESTAMP, nullable: true },
];

/** A batch of every type; row 1 is all NULL, negative and large values included. */
export function allTypesBatch(variant = 0): Batch {
  const v = (a: number[]) => a.map((x) => x + variant);
  const valid = Uint8Array.from([1, 0, 1, 1, 1]);
  const cols: Column[] = [
    { type: INT32, length: 5, values: Int32Array.from([1, 0, -2147483648, 2147483647, variant]), validity: valid },
    { type: INT64, length: 5, values: Float64Array.from([1, 0, -9007199254740991, 9007199254740991, -5 - variant]), validity: valid },
    { type: FLOAT64, length: 5, values: Float64Array.from([0.1, 0, -1.5e300, NaN, Infinity]), validity: valid },
    { type: decimal(15, 2), length: 5, values: Float64Array.from(v([1250, 0, -5, 999999999999999, -4294967296])), validity: valid },
    { type: UTF8, length: 5, values: Int32Array.from([0, 0, 1, 2, 1]), validity: valid, dict: ['a', 'ünï', `v${variant}`] },
    { type: BOOL, length: 5, values: Uint8Array.from([1, 0, 0, 1, 1]), validity: valid },
    { type: DATE, length: 5, values: Int32Array.from(v([0, 0, -719528, 19000, 2932896])), validity: valid },
    { type: TIMESTAMP, length: 5, values: Float64Array.from(v([0, 0, -1, 1_700_000_000_123_456, -62135596800000000])), validity: valid },
  ];
  return { schema: ALL_FIELDS, columns: cols, numRows: 5 };
}

/** Decoded rows (strings from dictionaries, NULL as null). */
export function rowsOf(batches: readonly Batch[]): unknown[][] {
  const out: unknown[][] = [];
  for (const b of batches) {
    for (let i = 0; i < b.numRows; i++) out.push(b.columns.map((c) => valueAt(c, i)));
  }
  return out;
}

/** Deterministic pseudo-random integers (xorshift). */
export function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}
