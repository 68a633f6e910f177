import { batchBytes, makeBatch, sliceBatch, type Batch, type Schema } from '../types/batch.js';
import { allocValues, makeColumn, type Column } from '../types/column.js';
import type { ExecContext } from '../physical/operator.js';
import type { OperatorMetrics } from '../physical/metrics.js';

/**
 * Concatenates batches into one. utf8 columns get one unified dictionary (each distinct string
 * once; each batch's dictionary is remapped once per batch, not per row). NULL slots get code 0.
 */
export function concatBatches(schema: Schema, batches: readonly Batch[]): Batch {
  if (batches.length === 1 && batches[0].schema === schema) return batches[0];
  let total = 0;
  for (const b of batches) total += b.numRows;
  const columns = schema.map((f, c) => concatColumns(f.type.kind === 'utf8', batches.map((b) => b.columns[c]), batches.map((b) => b.numRows), total, f.type));
  return makeBatch(schema, columns, total);
}

function concatColumns(isUtf8: boolean, cols: readonly Column[], lens: readonly number[], total: number, type: Column['type']): Column {
  if (cols.length === 1 && cols[0].length === total) return cols[0];
  const values = allocValues(type, total);
  let validity: Uint8Array | null = null;
  for (const c of cols) if (c.validity !== null) { validity = new Uint8Array(total).fill(1); break; }
  let dict: string[] | undefined;
  let ids: Map<string, number> | null = null;
  if (isUtf8) {
    const shared = cols[0].dict;
    if (shared !== undefined && cols.every((c) => c.dict === shared)) {
      // one dictionary for all batches (slices of one table): codes stay valid as they are
      dict = shared;
      isUtf8 = false;
    } else {
      dict = [];
      ids = new Map();
    }
  }
  let off = 0;
  // batches of one source often share a dictionary: remap each distinct dictionary once
  const remaps = ids !== null ? new Map<readonly string[], Int32Array>() : null;
  for (let b = 0; b < cols.length; b++) {
    const col = cols[b];
    const n = lens[b];
    if (ids !== null) {
      const d = col.dict ?? [];
      let remap = remaps!.get(d);
      if (remap === undefined) {
        remap = new Int32Array(d.length);
        for (let k = 0; k < d.length; k++) {
          let id = ids.get(d[k]);
          if (id === undefined) { id = dict!.length; dict!.push(d[k]); ids.set(d[k], id); }
          remap[k] = id;
        }
        remaps!.set(d, remap);
      }
      const codes = col.values as Int32Array;
      const out = values as Int32Array;
      const v = col.validity;
      if (v === null) for (let i = 0; i < n; i++) out[off + i] = remap[codes[i]];
      else for (let i = 0; i < n; i++) out[off + i] = v[i] === 0 ? 0 : remap[codes[i]];
    } else {
      (values as Float64Array).set(col.values.subarray(0, n) as Float64Array, off);
    }
    if (validity !== null && col.validity !== null) validity.set(col.validity.subarray(0, n), off);
    off += n;
  }
  return makeColumn(type, values, validity, dict);
}

/** utf8 column with its dictionary reduced to the entries its (non-NULL) rows use. */
export function compactDictionary(c: Column): Column {
  const dict = c.dict;
  if (dict === undefined || dict.length <= c.length) return c;
  const codes = c.values as Int32Array;
  const v = c.validity;
  const remap = new Int32Array(dict.length).fill(-1);
  const newDict: string[] = [];
  const out = new Int32Array(c.length);
  for (let i = 0; i < c.length; i++) {
    if (v !== null && v[i] === 0) continue;
    const k = codes[i];
    let m = remap[k];
    if (m < 0) { m = remap[k] = newDict.length; newDict.push(dict[k]); }
    out[i] = m;
  }
  return makeColumn(c.type, out, v, newDict);
}

/** Same rows with every utf8 column's dictionary compacted (bounded memory for kept rows). */
export function compactBatch(b: Batch): Batch {
  let changed = false;
  const cols = b.columns.map((c) => {
    if (c.dict === undefined) return c;
    const r = compactDictionary(c);
    if (r !== c) changed = true;
    return r;
  });
  return changed ? makeBatch(b.schema, cols, b.numRows) : b;
}

/** Same columns, new schema (field ids/names of the plan). */
export function relabel(schema: Schema, b: Batch): Batch {
  return b.schema === schema ? b : makeBatch(schema, b.columns, b.numRows);
}

/** Splits a batch into slices of at most `size` rows (no copies). */
export function* slices(b: Batch, size: number): Generator<Batch> {
  const step = Math.max(1, size);
  if (b.numRows <= step) { if (b.numRows > 0) yield b; return; }
  for (let off = 0; off < b.numRows; off += step) yield sliceBatch(b, off, Math.min(step, b.numRows - off));
}

/**
 * Buffers batches of a child while accounting their memory against the query (ctx.reserve) and
 * the operator's own metrics. `release()` gives everything back.
 */
export class MemoryReservation {
  private held = 0;
  constructor(private readonly ctx: ExecContext, private readonly operator: string, private readonly metrics: OperatorMetrics) {}

  grow(bytes: number): void {
    if (bytes === 0) return;
    this.ctx.reserve(this.operator, bytes);
    this.held += bytes;
    this.metrics.trackMemory(bytes);
  }

  growBatch(b: Batch): void {
    this.grow(batchBytes(b));
  }

  /** Sets the held amount to exactly `bytes`. */
  resize(bytes: number): void {
    this.grow(bytes - this.held);
  }

  release(): void {
    if (this.held !== 0) {
      this.ctx.reserve(this.operator, -this.held);
      this.metrics.trackMemory(-this.held);
      this.held = 0;
    }
  }

  get bytes(): number {
    return this.held;
  }
}
