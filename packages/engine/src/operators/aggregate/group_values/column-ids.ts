import type { Column } from '../../../types/column.js';
import type { DataType } from '../../../types/data-type.js';
import { growF64 } from '../accumulators/types.js';
import { hashNumber, tableCapacityFor } from './hash.js';
import { directLookupF64, directLookupI32, directLookupI32Nullable, OUTSIDE, RANGE, remapCodes, valueRange } from './lookup.js';
import { StringInterner } from './multi.js';

/** Most distinct values one key column may map to dense ids (beyond it: the general hash path). */
export const COLUMN_ID_LIMIT = 1 << 20;

/**
 * Dense ids of one key column's values, in first-seen order; NULL (and NaN for float64) get ids
 * of their own. Used by the perfect-hash multi-key path, where each row's group is found from the
 * combined key `id1 * stride1 + id2 * stride2 + …` in a direct array.
 *
 *   utf8      → global string ids (StringInterner; each batch dictionary is remapped once, rows
 *               read `remap[code]`; NULL takes a placeholder string slot)
 *   integers  → (int32, date, bool, int64, timestamp, decimal: all integral) a direct array
 *               `value - base → id` while the observed span stays under COLUMN_ID_LIMIT, else a
 *               hash table
 *   float64   → hash table (NaN one id, -0 = 0)
 * The hash mode keeps the last value's id: runs of equal keys (clustered data) skip the probe.
 */
export class ColumnIds {
  /** Number of ids handed out. */
  card = 0;
  nullId = -1;
  nanId = -1;
  /** id → value (numeric columns). */
  vals = new Float64Array(16);
  readonly interner: StringInterner | null;
  private mode: 'utf8' | 'direct' | 'hash';
  private base = 0;
  private direct: Int32Array | null = null;
  private table = new Int32Array(0);
  private mask = 0;
  private lastDict: string[] | null = null;
  private remap = new Int32Array(0);
  private scratch = new Int32Array(0);

  constructor(readonly type: DataType) {
    this.interner = type.kind === 'utf8' ? new StringInterner() : null;
    this.mode = type.kind === 'utf8' ? 'utf8' : type.kind === 'float64' ? 'hash' : 'direct';
    if (this.mode === 'hash') this.initTable(16);
  }

  /** Row ids of one batch into `out`; false when the column has more than COLUMN_ID_LIMIT distinct values. */
  ids(col: Column, numRows: number, out: Int32Array): boolean {
    if (this.mode === 'utf8') {
      this.utf8Ids(col, numRows, out);
    } else {
      let v = col.values;
      if (v instanceof Uint8Array) {
        // bool: widen once so the row loops stay Int32Array/Float64Array-monomorphic.
        if (this.scratch.length < numRows) this.scratch = new Int32Array(Math.max(numRows, 1024));
        const s = this.scratch;
        for (let i = 0; i < numRows; i++) s[i] = v[i];
        v = s;
      }
      // Direct mode: try with the current range first; on a value outside it, widen and repeat.
      let done = false;
      if (this.mode === 'direct' && this.direct !== null) {
        done = v instanceof Int32Array ? this.directI32(v, col.validity, numRows, out) : this.directF64(v as Float64Array, col.validity, numRows, out);
      }
      if (!done && this.mode === 'direct') {
        if (!this.prepareDirect(v, col.validity, numRows)) this.toHash();
        else done = v instanceof Int32Array ? this.directI32(v, col.validity, numRows, out) : this.directF64(v as Float64Array, col.validity, numRows, out);
      }
      if (!done) {
        this.hashIds(v as Int32Array | Float64Array, col.validity, numRows, out);
      }
    }
    return this.card <= COLUMN_ID_LIMIT;
  }

  private utf8Ids(col: Column, numRows: number, out: Int32Array): void {
    const interner = this.interner!;
    const dict = col.dict!;
    if (dict !== this.lastDict || this.remap.length < dict.length) {
      this.lastDict = dict;
      this.remap = new Int32Array(dict.length).fill(-1);
      // Small dictionary: intern every entry up front (ids, unlike groups, may go unused).
      if (dict.length <= numRows) {
        const remap = this.remap;
        for (let c = 0; c < dict.length; c++) remap[c] = interner.intern(dict[c]);
      }
    }
    const remap = this.remap;
    const codes = col.values as Int32Array;
    const validity = col.validity;
    if (remapCodes(remap, codes, out, numRows) < 0) this.internNew(codes, dict, validity, numRows, out);
    if (validity !== null) this.nullRows(validity, numRows, out);
    this.card = interner.strings.length;
  }

  /** Codes without an id yet (remap -1, valid rows) get one. */
  private internNew(codes: Int32Array, dict: readonly string[], validity: Uint8Array | null, numRows: number, out: Int32Array): void {
    const interner = this.interner!;
    const remap = this.remap;
    for (let i = 0; i < numRows; i++) {
      if (out[i] >= 0 || (validity !== null && validity[i] === 0)) continue;
      const c = codes[i];
      let g = remap[c];
      if (g < 0) g = remap[c] = interner.intern(dict[c]);
      out[i] = g;
    }
  }

  private nullRows(validity: Uint8Array, numRows: number, out: Int32Array): void {
    for (let i = 0; i < numRows; i++) {
      if (validity[i] === 0) out[i] = this.nullId >= 0 ? this.nullId : (this.nullId = this.interner!.placeholder());
    }
  }

  /**
   * Direct-array ids; the no-NULL loop checks the range itself (no separate min/max pass) and
   * returns false when a value falls outside the array (the caller widens it and repeats).
   */
  private directI32(v: Int32Array, validity: Uint8Array | null, numRows: number, out: Int32Array): boolean {
    const dm = this.direct!;
    const base = this.base;
    const neg = validity === null ? directLookupI32(dm, base, v, out, numRows) : directLookupI32Nullable(dm, base, v, validity, out, numRows);
    if (neg === OUTSIDE) return false;
    if (neg < 0) this.fixUpDirect(v, validity, numRows, out);
    return true;
  }

  /** Rows the direct lookup left at -1: NULLs get the NULL id, values seen for the first time new ids. */
  private fixUpDirect(v: Int32Array | Float64Array, validity: Uint8Array | null, numRows: number, out: Int32Array): void {
    const dm = this.direct!;
    const base = this.base;
    for (let i = 0; i < numRows; i++) {
      if (out[i] >= 0) continue;
      if (validity !== null && validity[i] === 0) {
        out[i] = this.nullId >= 0 ? this.nullId : (this.nullId = this.newId(0));
        continue;
      }
      const x = v[i] + 0;
      let g = dm[x - base];
      if (g < 0) g = dm[x - base] = this.newId(x);
      out[i] = g;
    }
  }

  private directF64(v: Float64Array, validity: Uint8Array | null, numRows: number, out: Int32Array): boolean {
    const neg = directLookupF64(this.direct!, this.base, v, validity, out, numRows);
    if (neg === OUTSIDE) return false;
    if (neg < 0) this.fixUpDirect(v, validity, numRows, out);
    return true;
  }

  private hashIds(v: Int32Array | Float64Array, validity: Uint8Array | null, numRows: number, out: Int32Array): void {
    let lastX = NaN;
    let lastG = -1;
    for (let i = 0; i < numRows; i++) {
      if (validity !== null && validity[i] === 0) { out[i] = this.nullId >= 0 ? this.nullId : (this.nullId = this.newId(0)); continue; }
      const x = v[i] + 0;
      if (x === lastX) { out[i] = lastG; continue; }
      let g: number;
      if (x !== x) g = this.nanId >= 0 ? this.nanId : (this.nanId = this.newId(NaN));
      else {
        g = this.findOrInsert(x);
        lastX = x;
        lastG = g;
      }
      out[i] = g;
    }
  }

  private findOrInsert(x: number): number {
    const table = this.table;
    const vals = this.vals;
    const mask = this.mask;
    let slot = hashNumber(x) & mask;
    for (;;) {
      const t = table[slot];
      if (t < 0) break;
      if (vals[t] === x) return t;
      slot = (slot + 1) & mask;
    }
    const g = this.newId(x);
    table[slot] = g;
    if (this.card * 2 > table.length) this.initTable(table.length * 2);
    return g;
  }

  /** Makes the direct array cover this batch's values; false when the span gets too wide. */
  private prepareDirect(v: Column['values'], validity: Uint8Array | null, numRows: number): boolean {
    valueRange(v, validity, numRows);
    let { lo, hi } = RANGE;
    if (lo === Infinity) {
      if (this.direct === null) { this.direct = new Int32Array(1).fill(-1); this.base = 0; }
      return true;
    }
    if (this.direct !== null) {
      const curHi = this.base + this.direct.length - 1;
      if (lo >= this.base && hi <= curHi) return true;
      lo = Math.min(lo, this.base);
      hi = Math.max(hi, curHi);
    }
    if (!(hi - lo + 1 <= COLUMN_ID_LIMIT)) return false;
    const span = hi - lo + 1;
    const want = Math.min(COLUMN_ID_LIMIT, Math.max(span * 2, 64));
    const extra = want - span;
    const newBase = this.direct === null ? lo : lo - Math.floor(extra / 2);
    const dm = new Int32Array(this.direct === null ? span : want).fill(-1);
    if (this.direct !== null) dm.set(this.direct, this.base - newBase);
    this.direct = dm;
    this.base = newBase;
    return true;
  }

  private toHash(): void {
    this.mode = 'hash';
    this.direct = null;
    this.initTable(16);
  }

  private initTable(minCap: number): void {
    const cap = Math.max(minCap, tableCapacityFor(this.card));
    const table = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    for (let g = 0; g < this.card; g++) {
      if (g === this.nullId || g === this.nanId) continue;
      let slot = hashNumber(this.vals[g]) & mask;
      while (table[slot] >= 0) slot = (slot + 1) & mask;
      table[slot] = g;
    }
    this.table = table;
    this.mask = mask;
  }

  private newId(x: number): number {
    const g = this.card++;
    if (g >= this.vals.length) this.vals = growF64(this.vals, g + 1);
    this.vals[g] = x;
    return g;
  }

  size(): number {
    return this.vals.byteLength + (this.direct ? this.direct.byteLength : 0) + this.table.byteLength + this.remap.byteLength + (this.interner ? this.interner.strings.length * 64 : 0);
  }
}
