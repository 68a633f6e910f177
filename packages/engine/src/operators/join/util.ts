import { makeBatch, type Batch, type Schema } from '../../types/batch.js';
import { allocValues, makeColumn, nullColumn, takeColumn, type Column } from '../../types/column.js';

/**
 * Concatenates batches into one. utf8 columns get one unified dictionary (each distinct string
 * once; every batch dictionary is remapped once per batch, not per row).
 */
export function concatBatches(schema: Schema, batches: readonly Batch[]): Batch {
  if (batches.length === 1) return batches[0];
  let total = 0;
  for (const b of batches) total += b.numRows;
  const columns = schema.map((f, c) => {
    const values = allocValues(f.type, total);
    let validity: Uint8Array | null = null;
    for (const b of batches) if (b.columns[c].validity !== null) { validity = new Uint8Array(total).fill(1); break; }
    let dict: string[] | undefined;
    const ids = f.type.kind === 'utf8' ? new Map<string, number>() : null;
    if (ids !== null) dict = [];
    let off = 0;
    for (const b of batches) {
      const col = b.columns[c];
      const n = b.numRows;
      if (ids !== null) {
        const d = col.dict!;
        const remap = new Int32Array(d.length);
        for (let k = 0; k < d.length; k++) {
          let id = ids.get(d[k]);
          if (id === undefined) { id = dict!.length; dict!.push(d[k]); ids.set(d[k], id); }
          remap[k] = id;
        }
        const codes = col.values as Int32Array;
        const out = values as Int32Array;
        const v = col.validity;
        for (let i = 0; i < n; i++) out[off + i] = v !== null && v[i] === 0 ? 0 : remap[codes[i]];
      } else {
        values.set(col.values.subarray(0, n) as never, off);
      }
      if (validity !== null && col.validity !== null) validity.set(col.validity.subarray(0, n), off);
      off += n;
    }
    return makeColumn(f.type, values, validity, dict);
  });
  return makeBatch(schema, columns, total);
}

/** Gather where index -1 means NULL (outer-join padding); keeps the dictionary. */
export function takeOrNull(c: Column, indices: Int32Array, count: number): Column {
  const src = c.values;
  const out = allocValues(c.type, count);
  const validity = new Uint8Array(count);
  const v = c.validity;
  for (let i = 0; i < count; i++) {
    const k = indices[i];
    if (k < 0) continue;
    out[i] = src[k];
    validity[i] = v === null ? 1 : v[k];
  }
  return makeColumn(c.type, out, validity, c.dict);
}

export { takeColumn, nullColumn };
