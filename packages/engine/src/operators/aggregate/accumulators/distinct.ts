import { makeColumn, takeColumn, type Column } from '../../../types/column.js';
import { BOOL } from '../../../types/data-type.js';
import { EngineError } from '../../../errors.js';
import { combineHash, hashNumber, tableCapacityFor } from '../group_values/hash.js';
import { StringInterner } from '../group_values/multi.js';
import { applyFilter, growCapacity, growF64, growI32, type GroupsAccumulator } from './types.js';

/**
 * DISTINCT wrapper (count/sum/avg(DISTINCT x)): one open-addressing set of (group, value) pairs
 * over typed arrays (strings as global ids); each batch is reduced to the rows whose pair is new
 * and those rows go to the inner accumulator. Memory: 16 bytes per distinct pair plus the table.
 */
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

  update(values: Column | null, groupIdx: Int32Array, numGroups: number, filter: Column | null): void {
    const filtered = filter !== null;
    if (filter !== null) ({ values, groupIdx } = applyFilter(values, groupIdx, filter));
    const col = values!;
    const rows = groupIdx.length;
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
    return this.inner.size() + this.groups.byteLength + this.vals.byteLength + this.table.byteLength + (this.interner ? this.interner.strings.length * 64 : 0);
  }
}
