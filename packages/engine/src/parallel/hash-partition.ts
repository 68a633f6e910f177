/**
 * Hash repartitioning: rows with equal keys go to the same output partition, whichever worker
 * produced them. Strings hash by content (each worker has its own dictionaries), once per
 * dictionary entry; numbers hash by value (an int32 and a float64 holding 3 land together).
 */
import { combineHash, hashNumber, mix32 } from '../operators/aggregate/group_values/hash.js';
import { takeBatch, type Batch } from '../types/batch.js';
import type { Column } from '../types/column.js';

const NULL_HASH = 0x2545f491;

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix32(h);
}

function columnHashes(c: Column, n: number, out: Uint32Array, first: boolean): void {
  const valid = c.validity;
  if (c.dict !== undefined) {
    const dictHash = new Uint32Array(c.dict.length);
    for (let d = 0; d < c.dict.length; d++) dictHash[d] = hashString(c.dict[d]);
    const codes = c.values as Int32Array;
    for (let i = 0; i < n; i++) {
      const h = valid !== null && valid[i] === 0 ? NULL_HASH : dictHash[codes[i]];
      out[i] = first ? h : combineHash(out[i], h);
    }
    return;
  }
  const v = c.values;
  for (let i = 0; i < n; i++) {
    const h = valid !== null && valid[i] === 0 ? NULL_HASH : hashNumber(v[i]);
    out[i] = first ? h : combineHash(out[i], h);
  }
}

/** Output partition (0 … count-1) of every row, from the hash of the key columns. */
export function partitionIndexes(keys: readonly Column[], numRows: number, count: number): Uint32Array {
  const h = new Uint32Array(numRows);
  if (keys.length === 0) return h;
  keys.forEach((k, i) => columnHashes(k, numRows, h, i === 0));
  // a final mix with another constant, so partitions do not follow the low bits the hash tables
  // use; then a mask (2^k partitions) or a multiply-shift onto 0..count-1: `%` of a uint32 past
  // 2^31 is a floating-point remainder in V8
  if ((count & (count - 1)) === 0) {
    const mask = count - 1;
    for (let i = 0; i < numRows; i++) h[i] = mix32(h[i] ^ 0x5bd1e995) & mask;
  } else {
    for (let i = 0; i < numRows; i++) h[i] = Math.floor((mix32(h[i] ^ 0x5bd1e995) * count) / 4294967296);
  }
  return h;
}

/** Splits a batch into `count` batches by the hash of its key columns (empty ones are null). */
export function hashSplit(batch: Batch, keys: readonly Column[], count: number): (Batch | null)[] {
  const n = batch.numRows;
  if (count <= 1) return [batch];
  const part = partitionIndexes(keys, n, count);
  const sizes = new Int32Array(count);
  for (let i = 0; i < n; i++) sizes[part[i]]++;
  const starts = new Int32Array(count);
  for (let p = 1; p < count; p++) starts[p] = starts[p - 1] + sizes[p - 1];
  const order = new Int32Array(n);
  const fill = starts.slice();
  for (let i = 0; i < n; i++) order[fill[part[i]]++] = i;
  const out: (Batch | null)[] = [];
  for (let p = 0; p < count; p++) {
    if (sizes[p] === 0) out.push(null);
    else if (sizes[p] === n) out.push(batch);
    else out.push(takeBatch(batch, order.subarray(starts[p], starts[p] + sizes[p]), sizes[p]));
  }
  return out;
}
