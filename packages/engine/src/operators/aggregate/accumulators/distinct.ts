import { makeColumn, takeColumn, type Column } from '../../../types/column.js';
import { BOOL } from '../../../types/data-type.js';
import { EngineError } from '../../../errors.js';
import { combineHash, hashNumber, tableCapacityFor } from '../group_values/hash.js';
import { StringInterner } from '../group_values/multi.js';
import { DirectRange } from '../group_values/direct-range.js';
import { applyFilter, growCapacity, growF64, growI32, growU8, type GroupsAccumulator } from './types.js';

/**
 * DISTINCT wrapper (count/sum/avg(DISTINCT x)): one open-addressing set of (group, value) pairs
 * over typed arrays (strings as global ids); each batch is reduced to the rows whose pair is new
 * and those rows go to the inner accumulator. Memory: 16 bytes per distinct pair plus the table.
 */
/**
 * Value span always served by the bitmap, and the most it may grow to (bytes) while dense: up to
 * DIRECT_DISTINCT_SLOTS_PER_ROW one-byte slots per row, about what the (group, value) set costs
 * per distinct value (16 bytes plus its table), so the bitmap never takes more memory than the set
 * would. Every 10th id of a table (the medallion's sampled DQ) is 10 slots per row.
 */
const DIRECT_DISTINCT_SPAN = 1 << 20;
const DIRECT_DISTINCT_MAX = 1 << 27;
const DIRECT_DISTINCT_SLOTS_PER_ROW = 16;

export class DistinctAccumulator implements GroupsAccumulator {
  private groups = new Int32Array(16);
  private vals = new Float64Array(16);
  private n = 0;
  private table = new Int32Array(32).fill(-1);
  private mask = 31;
  private readonly interner: StringInterner | null;
  private ids = new Int32Array(0);

  constructor(private readonly inner: GroupsAccumulator, isString: boolean) {
    this.interner = isString ? new StringInterner() : null;
  }

  /**
   * One group and a utf8 argument (COUNT(DISTINCT s) without GROUP BY): a bitmap over global
   * string ids. Each batch is first deduplicated on its dictionary codes (a stamp per code), so
   * only a row per distinct code is looked at; no hashing of values.
   */
  private seen: Uint8Array<ArrayBuffer> | null = null;
  private codeStamp = new Int32Array(0);
  private stampDict: string[] | null = null;
  private stampNo = 0;

  /**
   * One group and an integer-valued argument (COUNT(DISTINCT id) without GROUP BY, the medallion's
   * duplicate check): a byte per value over the values' range while the range stays dense, so a
   * row costs one array probe instead of a hash-set insert (and the set's rehashes as it grows).
   */
  private readonly direct = new DirectRange((n) => new Uint8Array(n));
  private directRows = 0;
  private directOff = false;

  update(values: Column | null, groupIdx: Int32Array, numGroups: number, filter: Column | null): void {
    const filtered = filter !== null;
    if (filter !== null) ({ values, groupIdx } = applyFilter(values, groupIdx, filter));
    const col = values!;
    const rows = groupIdx.length;
    if (this.interner !== null && numGroups === 1 && this.n === 0) {
      this.updateSingleString(col, groupIdx, rows, filtered);
      return;
    }
    if (this.interner === null && numGroups === 1 && this.n === 0 && !this.directOff) {
      if (this.updateSingleDirect(col, rows, filtered)) return;
      this.directOff = true;
      this.directToSet();
    } else if (this.direct.array !== null) {
      this.directOff = true;
      this.directToSet();
    }
    if (this.seen !== null) this.seenToSet();
    let v: Column['values'] = col.values;
    if (this.interner !== null) {
      if (this.ids.length < rows) this.ids = new Int32Array(growCapacity(this.ids.length, rows));
      this.interner.ids(col, rows, this.ids);
      v = this.ids;
    }
    const validity = col.validity;
    const sel = new Int32Array(rows);
    let count = 0;
    for (let i = 0; i < rows; i++) {
      if (validity !== null && validity[i] === 0) continue;
      if (this.insert(groupIdx[i], v[i] + 0)) sel[count++] = i;
    }
    const gi = new Int32Array(count);
    for (let i = 0; i < count; i++) gi[i] = groupIdx[sel[i]];
    // Rows of groups the filter removed are absent: tell the inner accumulator via an (all-true) filter.
    const innerFilter = filtered ? makeColumn(BOOL, new Uint8Array(count).fill(1)) : null;
    this.inner.update(takeColumn(col, sel, count), gi, numGroups, innerFilter);
  }

  private updateSingleString(col: Column, groupIdx: Int32Array, rows: number, filtered: boolean): void {
    const dict = col.dict!;
    if (dict !== this.stampDict || this.codeStamp.length < dict.length) {
      this.stampDict = dict;
      this.codeStamp = new Int32Array(dict.length);
      this.stampNo = 0;
    }
    const stamp = this.codeStamp;
    const no = ++this.stampNo;
    const codes = col.values as Int32Array;
    const validity = col.validity;
    // Rows with a code not yet seen in this batch (at most one per dictionary entry).
    const firsts: number[] = [];
    if (validity === null) {
      for (let i = 0; i < rows; i++) { const c = codes[i]; if (stamp[c] !== no) { stamp[c] = no; firsts.push(i); } }
    } else {
      for (let i = 0; i < rows; i++) { if (validity[i] === 0) continue; const c = codes[i]; if (stamp[c] !== no) { stamp[c] = no; firsts.push(i); } }
    }
    const interner = this.interner!;
    const sel = new Int32Array(firsts.length);
    let count = 0;
    for (const i of firsts) {
      const id = interner.intern(dict[codes[i]]);
      if (this.seen === null || id >= this.seen.length) this.seen = growU8(this.seen ?? new Uint8Array(16), id + 1);
      if (this.seen[id] === 0) { this.seen[id] = 1; sel[count++] = i; }
    }
    const gi = groupIdx.subarray(0, count);
    const innerFilter = filtered ? makeColumn(BOOL, new Uint8Array(count).fill(1)) : null;
    this.inner.update(takeColumn(col, sel, count), gi, 1, innerFilter);
  }

  /** False (nothing consumed) when the values are not integers or their range is too sparse for a bitmap. */
  private updateSingleDirect(col: Column, rows: number, filtered: boolean): boolean {
    const kind = col.type.kind;
    if (kind !== 'int32' && kind !== 'int64' && kind !== 'date' && kind !== 'timestamp' && kind !== 'decimal') return false;
    const v = col.values;
    const validity = col.validity;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < rows; i++) {
      if (validity !== null && validity[i] === 0) continue;
      const x = v[i]!;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    if (lo !== Infinity) {
      if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) return false;
      if (!this.direct.cover(lo, hi, Math.max(DIRECT_DISTINCT_SPAN, Math.min(DIRECT_DISTINCT_MAX, DIRECT_DISTINCT_SLOTS_PER_ROW * (this.directRows + rows))))) return false;
    }
    this.directRows += rows;
    const seen = this.direct.array;
    const base = this.direct.base;
    const sel = new Int32Array(rows);
    let count = 0;
    if (seen !== null) {
      for (let i = 0; i < rows; i++) {
        if (validity !== null && validity[i] === 0) continue;
        const k = v[i]! - base;
        if (seen[k] === 0) { seen[k] = 1; sel[count++] = i; }
      }
    }
    const innerFilter = filtered ? makeColumn(BOOL, new Uint8Array(count).fill(1)) : null;
    this.inner.update(takeColumn(col, sel, count), new Int32Array(count), 1, innerFilter);
    return true;
  }

  /** The bitmap's values move into the (group, value) set (more groups, or a sparse range). */
  private directToSet(): void {
    const seen = this.direct.array;
    const base = this.direct.base;
    this.direct.clear();
    if (seen === null) return;
    for (let k = 0; k < seen.length; k++) if (seen[k] === 1) this.insert(0, base + k);
  }

  /** Later batches bring more groups: the single group's strings move into the (group, value) set. */
  private seenToSet(): void {
    const seen = this.seen!;
    this.seen = null;
    for (let id = 0; id < seen.length; id++) if (seen[id] === 1) this.insert(0, id);
  }

  /** True when (g, x) was not in the set. NaN is one value. */
  private insert(g: number, x: number): boolean {
    const nan = x !== x;
    const h = combineHash(hashNumber(g), hashNumber(x));
    let slot = h & this.mask;
    for (;;) {
      const t = this.table[slot];
      if (t < 0) break;
      if (this.groups[t] === g && (this.vals[t] === x || (nan && this.vals[t] !== this.vals[t]))) return false;
      slot = (slot + 1) & this.mask;
    }
    const e = this.n++;
    if (e >= this.groups.length) {
      this.groups = growI32(this.groups, e + 1);
      this.vals = growF64(this.vals, e + 1);
    }
    this.groups[e] = g;
    this.vals[e] = x;
    this.table[slot] = e;
    if (this.n * 2 > this.table.length) this.rehash();
    return true;
  }

  private rehash(): void {
    const cap = tableCapacityFor(this.n);
    const table = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    for (let e = 0; e < this.n; e++) {
      let slot = combineHash(hashNumber(this.groups[e]), hashNumber(this.vals[e])) & mask;
      while (table[slot] >= 0) slot = (slot + 1) & mask;
      table[slot] = e;
    }
    this.table = table;
    this.mask = mask;
  }

  state(): Column[] {
    throw new EngineError('feature_not_supported', 'DISTINCT aggregates are not supported in partial aggregation');
  }

  merge(): void {
    throw new EngineError('feature_not_supported', 'DISTINCT aggregates are not supported in partial aggregation');
  }

  evaluate(): Column {
    return this.inner.evaluate();
  }

  size(): number {
    return this.inner.size() + (this.seen ? this.seen.byteLength : 0) + this.direct.size() + this.codeStamp.byteLength + this.groups.byteLength + this.vals.byteLength + this.table.byteLength + (this.interner ? this.interner.strings.length * 64 : 0);
  }
}
