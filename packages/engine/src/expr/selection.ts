import { takeBatch, type Batch } from '../types/batch.js';
import type { Column } from '../types/column.js';
import type { Selection } from './physical-expr.js';

/** Row indices (ascending) where a bool column is true and not NULL. A 'null'-typed column selects nothing. */
export function selectionFromBool(col: Column): Selection {
  const n = col.length;
  if (col.type.kind === 'null') return new Int32Array(0);
  const vals = col.values;
  const valid = col.validity;
  const out = new Int32Array(n);
  const k = selectTrue(vals, valid, out, n);
  return k === n ? out : out.subarray(0, k);
}

/**
 * The rows whose value is true (and valid) into out; returns how many. Its own function: code
 * after a long loop in the same function made V8's cached on-stack (OSR) code deoptimize on every
 * batch, its feedback never collected when the loop was compiled.
 */
function selectTrue(vals: Column['values'], valid: Uint8Array | null, out: Int32Array, n: number): number {
  let k = 0;
  if (valid === null) {
    for (let i = 0; i < n; i++) {
      out[k] = i;
      k += vals[i] === 0 ? 0 : 1;
    }
  } else {
    for (let i = 0; i < n; i++) {
      out[k] = i;
      k += vals[i] !== 0 && valid[i] !== 0 ? 1 : 0;
    }
  }
  return k;
}

/** Gathers the selected rows of every column (dictionaries are kept as they are). */
export function filterBatch(batch: Batch, sel: Selection): Batch {
  if (sel.length === batch.numRows) return batch; // ascending & unique → identity
  return takeBatch(batch, sel, sel.length);
}

/** Number of rows where a bool column is true and not NULL. */
export function countTrue(col: Column): number {
  if (col.type.kind === 'null') return 0;
  const n = col.length;
  const vals = col.values;
  const valid = col.validity;
  let k = 0;
  if (valid === null) for (let i = 0; i < n; i++) k += vals[i] === 0 ? 0 : 1;
  else for (let i = 0; i < n; i++) k += vals[i] !== 0 && valid[i] !== 0 ? 1 : 0;
  return k;
}
