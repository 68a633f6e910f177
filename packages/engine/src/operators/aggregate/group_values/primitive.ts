import { allocValues, makeColumn, type Column } from '../../../types/column.js';
import type { DataType } from '../../../types/data-type.js';
import { growF64 } from '../accumulators/types.js';
import { hashNumber, tableCapacityFor } from './hash.js';
import { coveredLookup, RANGE, valueRange } from './lookup.js';
import type { GroupValues } from './types.js';
import { DirectRange } from './direct-range.js';

/** Key span (max - min + 1) always served by the direct array. */
export const DIRECT_SPAN_LIMIT = 1 << 20;
/**
 * Wider spans stay direct while they are dense — at most DIRECT_DENSITY slots per row interned so
 * far — up to DIRECT_SPAN_MAX (512 MiB of Int32). Ids of a fact table (0..n with duplicates, the
 * de-duplication key) are the case: a probe per row into a direct array instead of a hash table
 * that outgrows the cache and rehashes as it doubles.
 */
export const DIRECT_DENSITY = 4;
export const DIRECT_SPAN_MAX = 1 << 27;

/**
 * Single primitive key (int32, date, int64, timestamp, decimal, float64, bool). Integer keys
 * whose span stays under DIRECT_SPAN_LIMIT use a direct array `value - base → group`; beyond
 * that (or for float64) an open-addressing hash table over typed arrays. `name` reports the
 * current mode ('primitive(direct)' / 'primitive(hash)').
 */
export class PrimitiveGroupValues implements GroupValues {
  private keys = new Float64Array(16);
  private n = 0;
  private nullGroup = -1;
  private nanGroup = -1;
  private mode: 'direct' | 'hash';
  private rowsSeen = 0;
  // direct mode: key − base → group (−1: none yet)
  private readonly direct = new DirectRange((n) => new Int32Array(n).fill(-1));
  // hash mode
  private table = new Int32Array(0);
  private mask = 0;

  constructor(private readonly type: DataType) {
    this.mode = type.kind === 'float64' ? 'hash' : 'direct';
    if (this.mode === 'hash') this.initTable(16);
  }

  get name(): string {
    return `primitive(${this.mode})`;
  }

  intern(cols: readonly Column[], numRows: number, out: Int32Array): void {
    const col = cols[0];
    const v = col.values;
    const validity = col.validity;
    this.rowsSeen += numRows;
    if (this.mode === 'direct' && !this.prepareDirect(v, validity, numRows)) this.toHash();
    if (this.mode === 'direct') {
      // null only while no key was valid, and then no row below reads it
      const dm = this.direct.array!;
      const base = this.direct.base;
      const neg = coveredLookup(dm, base, v, validity, out, numRows);
      // Keys seen for the first time (and NULLs): their groups are created in row order.
      if (neg < 0) this.newGroups(v, validity, numRows, out);
      return;
    }
    for (let i = 0; i < numRows; i++) {
      if (validity !== null && validity[i] === 0) { out[i] = this.nullGroup >= 0 ? this.nullGroup : (this.nullGroup = this.newGroup(0)); continue; }
      const x = v[i] + 0;
      if (x !== x) { out[i] = this.nanGroup >= 0 ? this.nanGroup : (this.nanGroup = this.newGroup(NaN)); continue; }
      out[i] = this.findOrInsert(x);
    }
  }

  private newGroups(v: Column['values'], validity: Uint8Array | null, numRows: number, out: Int32Array): void {
    const dm = this.direct.array!;
    const base = this.direct.base;
    for (let i = 0; i < numRows; i++) {
      if (out[i] >= 0) continue;
      if (validity !== null && validity[i] === 0) {
        out[i] = this.nullGroup >= 0 ? this.nullGroup : (this.nullGroup = this.newGroup(0));
        continue;
      }
      const x = v[i];
      const k = x - base;
      let g = dm[k];
      if (g < 0) g = dm[k] = this.newGroup(x);
      out[i] = g;
    }
  }

  private findOrInsert(x: number): number {
    const table = this.table;
    const keys = this.keys;
    const mask = this.mask;
    let slot = hashNumber(x) & mask;
    for (;;) {
      const t = table[slot];
      if (t < 0) break;
      if (keys[t] === x) return t;
      slot = (slot + 1) & mask;
    }
    const g = this.newGroup(x);
    table[slot] = g;
    if (this.n * 2 > table.length) this.initTable(table.length * 2);
    return g;
  }

  /** Makes the direct array cover this batch's values; false when the span gets too wide. */
  private prepareDirect(v: Column['values'], validity: Uint8Array | null, numRows: number): boolean {
    valueRange(v, validity, numRows);
    const { lo, hi } = RANGE;
    if (lo === Infinity) return true;
    return this.direct.cover(lo, hi, Math.max(DIRECT_SPAN_LIMIT, Math.min(DIRECT_SPAN_MAX, DIRECT_DENSITY * this.rowsSeen)));
  }

  private toHash(): void {
    this.mode = 'hash';
    this.direct.clear();
    this.initTable(16);
  }

  private initTable(minCap: number): void {
    const cap = Math.max(minCap, tableCapacityFor(this.n));
    this.table = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    const table = this.table;
    const mask = this.mask;
    for (let g = 0; g < this.n; g++) {
      if (g === this.nullGroup || g === this.nanGroup) continue;
      let slot = hashNumber(this.keys[g]) & mask;
      while (table[slot] >= 0) slot = (slot + 1) & mask;
      table[slot] = g;
    }
  }

  private newGroup(x: number): number {
    const g = this.n++;
    if (g >= this.keys.length) this.keys = growF64(this.keys, g + 1);
    this.keys[g] = x;
    return g;
  }

  numGroups(): number {
    return this.n;
  }

  emit(): Column[] {
    const n = this.n;
    const out = allocValues(this.type, n);
    for (let g = 0; g < n; g++) out[g] = this.keys[g];
    let validity: Uint8Array | null = null;
    if (this.nullGroup >= 0) {
      validity = new Uint8Array(n).fill(1);
      validity[this.nullGroup] = 0;
    }
    return [makeColumn(this.type, out, validity)];
  }

  size(): number {
    return this.keys.byteLength + this.direct.size() + this.table.byteLength;
  }
}
