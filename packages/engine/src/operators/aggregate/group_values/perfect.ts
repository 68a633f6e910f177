import { allocValues, makeColumn, type Column } from '../../../types/column.js';
import { INT64, type DataType } from '../../../types/data-type.js';
import { growI32 } from '../accumulators/types.js';
import { ColumnIds } from './column-ids.js';
import { MultiGroupValues } from './multi.js';
import { PrimitiveGroupValues } from './primitive.js';
import { remapCodes } from './lookup.js';
import type { GroupValues } from './types.js';

/** Largest combined key space (product of the per-column capacities) served by the direct array. */
export const PERFECT_HASH_LIMIT = 1 << 20;
/** Largest combined key space served by one hashed number (exact in a float64). */
export const PACKED_KEY_LIMIT = 2 ** 53;

/**
 * Several key columns with small domains (DuckDB's perfect-hash aggregate): every column maps its
 * values to dense ids (ColumnIds: dictionary strings → global ids, integers through a direct
 * array, NULL an id of its own), a row's combined key is `id1 * stride1 + id2 * stride2 + … + idk`
 * and `direct[key]` is its group — no hashing or key comparison per row.
 *
 * Each column's id space has a capacity (with headroom); when a column outgrows it, capacities
 * are widened and the direct array is rebuilt from the stored per-group ids (groups keep their
 * indexes). Past PERFECT_HASH_LIMIT the combined key is still one exact number while the product
 * stays under 2^53: it is hashed as a single int64 key (PrimitiveGroupValues), one probe and one
 * compare per row instead of hashing and comparing every column (the charts' partial aggregate on
 * (age group, track, title, artist) at 10M rows: 580 → 320 ms per partition). Past that (or with a column of more than COLUMN_ID_LIMIT
 * distinct values) the existing groups move, in order, into the general hash path
 * (MultiGroupValues) and later batches go there. `name`: 'perfect_hash', 'packed_hash' or 'hash'.
 */
export class PerfectHashGroupValues implements GroupValues {
  private readonly k: number;
  private readonly cols: ColumnIds[];
  private idBufs: Int32Array[] = [];
  private caps: number[];
  private strides: number[];
  private direct = new Int32Array(0);
  /** Per column: group → that column's id. */
  private gids: Int32Array<ArrayBuffer>[];
  private n = 0;
  private hash: MultiGroupValues | null = null;
  /** Packed mode: combined key → group. */
  private packed: PrimitiveGroupValues | null = null;
  private packedKeys = new Float64Array(0);
  /** Times the id spaces were widened and the groups re-placed (kept low by headroom). */
  rebuilds = 0;

  constructor(private readonly types: readonly DataType[]) {
    this.k = types.length;
    this.cols = types.map((t) => new ColumnIds(t));
    this.caps = types.map(() => 0);
    this.strides = types.map(() => 0);
    this.gids = types.map(() => new Int32Array(16));
  }

  get name(): string {
    return this.hash !== null ? 'hash' : this.packed !== null ? 'packed_hash' : 'perfect_hash';
  }

  intern(cols: readonly Column[], numRows: number, out: Int32Array): void {
    if (this.hash !== null) { this.hash.intern(cols, numRows, out); return; }
    const k = this.k;
    if (this.idBufs.length === 0 || this.idBufs[0].length < numRows) {
      const cap = Math.max(numRows, 1024);
      this.idBufs = this.types.map(() => new Int32Array(cap));
    }
    const ids = this.idBufs;
    let grow = false;
    for (let c = 0; c < k; c++) {
      if (!this.cols[c].ids(cols[c], numRows, ids[c])) { this.toHash(); this.hash!.intern(cols, numRows, out); return; }
      if (this.cols[c].card > this.caps[c]) grow = true;
    }
    if (grow && !this.rekey()) { this.toHash(); this.hash!.intern(cols, numRows, out); return; }
    if (this.packed !== null) { this.internPacked(numRows, out); return; }
    // Combined key and its group in one pass (no per-row hashing or key comparison).
    const strides = this.strides;
    const dm = this.direct;
    let neg: number;
    if (k === 2) neg = lookup2(dm, ids[0], strides[0], ids[1], strides[1], numRows, out);
    else if (k === 3) neg = lookup3(dm, ids[0], strides[0], ids[1], strides[1], ids[2], strides[2], numRows, out);
    else {
      combine2(ids[0], strides[0], ids[1], strides[1], numRows, out);
      for (let c = 2; c < k; c++) addScaled(ids[c], strides[c], numRows, out);
      neg = remapCodes(dm, out, out, numRows);
    }
    // Keys seen for the first time: groups are created in row order.
    if (neg < 0) this.newGroups(ids, numRows, out);
  }

  private newGroups(ids: Int32Array[], numRows: number, out: Int32Array): void {
    const k = this.k;
    const strides = this.strides;
    const dm = this.direct;
    for (let i = 0; i < numRows; i++) {
      if (out[i] >= 0) continue;
      let key = 0;
      for (let c = 0; c < k; c++) key += ids[c][i] * strides[c];
      let g = dm[key];
      if (g < 0) {
        g = dm[key] = this.n++;
        for (let c = 0; c < k; c++) {
          if (g >= this.gids[c].length) this.gids[c] = growI32(this.gids[c], g + 1);
          this.gids[c][g] = ids[c][i];
        }
      }
      out[i] = g;
    }
  }

  /** Widens capacities to the columns' current id counts; false when the key space gets too large. */
  private rekey(): boolean {
    this.rebuilds++;
    const k = this.k;
    const cards = this.cols.map((c) => Math.max(1, c.card));
    // Headroom: double a column's capacity when it grows (first time: exact, plus one for a later NULL).
    let caps = cards.map((card, c) => (card <= this.caps[c] ? this.caps[c] : this.caps[c] === 0 ? card + 1 : Math.max(card, this.caps[c] * 2)));
    if (caps.reduce((a, b) => a * b, 1) > PERFECT_HASH_LIMIT) caps = this.capsUnderLimit(cards, caps);
    if (caps.reduce((a, b) => a * b, 1) > PERFECT_HASH_LIMIT) caps = cards;
    let total = caps.reduce((a, b) => a * b, 1);
    if (total > PERFECT_HASH_LIMIT) {
      // packed: keep the headroom (fewer rebuilds), as long as the key stays exact
      caps = cards.map((card, c) => (card <= this.caps[c] ? this.caps[c] : Math.max(card + 1, this.caps[c] * 2)));
      if (caps.reduce((a, b) => a * b, 1) > PACKED_KEY_LIMIT) caps = cards;
      total = caps.reduce((a, b) => a * b, 1);
      if (total > PACKED_KEY_LIMIT) return false;
    }
    const strides = new Array<number>(k);
    let s = 1;
    for (let c = k - 1; c >= 0; c--) { strides[c] = s; s *= caps[c]; }
    this.caps = caps;
    this.strides = strides;
    if (total > PERFECT_HASH_LIMIT) {
      // every group's key changes with the strides: re-insert them in group order (indexes kept)
      const keys = new Float64Array(this.n);
      for (let g = 0; g < this.n; g++) {
        let key = 0;
        for (let c = 0; c < k; c++) key += this.gids[c][g] * strides[c];
        keys[g] = key;
      }
      this.packed = new PrimitiveGroupValues(INT64);
      if (this.n > 0) this.packed.intern([makeColumn(INT64, keys)], this.n, new Int32Array(this.n));
      this.direct = new Int32Array(0);
      return true;
    }
    const dm = new Int32Array(total).fill(-1);
    for (let g = 0; g < this.n; g++) {
      let key = 0;
      for (let c = 0; c < k; c++) key += this.gids[c][g] * strides[c];
      dm[key] = g;
    }
    this.direct = dm;
    return true;
  }

  /**
   * Doubling would pass PERFECT_HASH_LIMIT: each growing column gets what headroom still fits
   * under it. Without any, a column that gains a few ids per batch near the limit rebuilt the
   * direct array on every batch (plays_per_age_group's (age group, user) keys: a third of the
   * partial aggregate's time).
   */
  private capsUnderLimit(cards: readonly number[], doubled: readonly number[]): number[] {
    const caps = cards.map((card, c) => Math.max(card, this.caps[c]));
    for (let c = 0; c < caps.length; c++) {
      if (cards[c] <= this.caps[c]) continue;
      const others = caps.reduce((a, b, j) => (j === c ? a : a * b), 1);
      const room = Math.floor(PERFECT_HASH_LIMIT / others);
      if (room > caps[c]) caps[c] = Math.min(room, doubled[c]);
    }
    return caps;
  }

  /** Packed mode: each row's combined key (exact below 2^53) looked up as one int64 key. */
  private internPacked(numRows: number, out: Int32Array): void {
    const k = this.k;
    const ids = this.idBufs;
    const strides = this.strides;
    if (this.packedKeys.length < numRows) this.packedKeys = new Float64Array(Math.max(numRows, 1024));
    const keys = this.packedKeys.length === numRows ? this.packedKeys : this.packedKeys.subarray(0, numRows);
    const a = ids[0]!;
    const sa = strides[0]!;
    for (let i = 0; i < numRows; i++) keys[i] = a[i]! * sa;
    for (let c = 1; c < k; c++) {
      const b = ids[c]!;
      const sb = strides[c]!;
      for (let i = 0; i < numRows; i++) keys[i] += b[i]! * sb;
    }
    const before = this.n;
    this.packed!.intern([makeColumn(INT64, keys)], numRows, out);
    const after = this.packed!.numGroups();
    if (after === before) return;
    // groups are created in row order: the first row of each new group records its ids
    for (let c = 0; c < k; c++) if (after > this.gids[c].length) this.gids[c] = growI32(this.gids[c], after);
    let next = before;
    for (let i = 0; i < numRows && next < after; i++) {
      if (out[i] !== next) continue;
      for (let c = 0; c < k; c++) this.gids[c][next] = ids[c][i];
      next++;
    }
    this.n = after;
  }

  /** Moves the groups (in index order) into the general hash path. */
  private toHash(): void {
    const k = this.k;
    const hash = new MultiGroupValues(this.types, this.cols.map((c) => c.interner));
    const kind = new Int32Array(k);
    const value = new Float64Array(k);
    for (let g = 0; g < this.n; g++) {
      for (let c = 0; c < k; c++) {
        const col = this.cols[c];
        const id = this.gids[c][g];
        kind[c] = id === col.nullId ? 1 : id === col.nanId ? 2 : 0;
        value[c] = col.interner !== null ? id : col.vals[id];
      }
      hash.appendGroup(kind, value);
    }
    this.hash = hash;
    this.packed = null;
    this.direct = new Int32Array(0);
    this.gids = [];
    this.idBufs = [];
  }

  numGroups(): number {
    return this.hash !== null ? this.hash.numGroups() : this.n;
  }

  emit(): Column[] {
    if (this.hash !== null) return this.hash.emit();
    const n = this.n;
    return this.types.map((type, c) => {
      const col = this.cols[c];
      const gid = this.gids[c];
      const out = allocValues(type, n);
      let validity: Uint8Array | null = null;
      const nullId = col.nullId;
      if (col.interner !== null) {
        for (let g = 0; g < n; g++) out[g] = gid[g];
      } else {
        const vals = col.vals;
        for (let g = 0; g < n; g++) out[g] = vals[gid[g]];
      }
      if (nullId >= 0) {
        for (let g = 0; g < n; g++) {
          if (gid[g] === nullId) { validity ??= new Uint8Array(n).fill(1); validity[g] = 0; out[g] = 0; }
        }
      }
      return makeColumn(type, out, validity, col.interner !== null ? col.interner.strings.slice() : undefined);
    });
  }

  size(): number {
    if (this.hash !== null) return this.hash.size();
    let s = this.direct.byteLength + (this.packed !== null ? this.packed.size() + this.packedKeys.byteLength : 0);
    for (let c = 0; c < this.k; c++) s += this.gids[c].byteLength + this.idBufs.reduce((a, b) => a + b.byteLength, 0) / this.k + this.cols[c].size();
    return s;
  }
}

function lookup2(dm: Int32Array, a: Int32Array, sa: number, b: Int32Array, sb: number, n: number, out: Int32Array): number {
  let neg = 0;
  for (let i = 0; i < n; i++) {
    const g = dm[a[i] * sa + b[i] * sb];
    out[i] = g;
    neg |= g;
  }
  return neg;
}

function lookup3(dm: Int32Array, a: Int32Array, sa: number, b: Int32Array, sb: number, c: Int32Array, sc: number, n: number, out: Int32Array): number {
  let neg = 0;
  for (let i = 0; i < n; i++) {
    const g = dm[a[i] * sa + b[i] * sb + c[i] * sc];
    out[i] = g;
    neg |= g;
  }
  return neg;
}

function combine2(a: Int32Array, strideA: number, b: Int32Array, strideB: number, n: number, out: Int32Array): void {
  if (strideB === 1) for (let i = 0; i < n; i++) out[i] = a[i] * strideA + b[i];
  else for (let i = 0; i < n; i++) out[i] = a[i] * strideA + b[i] * strideB;
}

function addScaled(a: Int32Array, stride: number, n: number, out: Int32Array): void {
  if (stride === 1) for (let i = 0; i < n; i++) out[i] += a[i];
  else for (let i = 0; i < n; i++) out[i] += a[i] * stride;
}
