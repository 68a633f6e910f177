import { allocValues, makeColumn, type Column } from '../../../types/column.js';
import type { DataType } from '../../../types/data-type.js';
import { applyFilter, growF64, growI32, growU8, type GroupsAccumulator } from './types.js';
import type { ColumnSummary } from './summary.js';

type NumArray = Int32Array | Float64Array | Uint8Array;

function minLoop(v: NumArray, validity: Uint8Array | null, gi: Int32Array, m: Float64Array): void {
  const n = gi.length;
  if (validity === null) {
    for (let i = 0; i < n; i++) { const g = gi[i]; const x = v[i]; if (x < m[g]) m[g] = x; }
  } else {
    for (let i = 0; i < n; i++) if (validity[i] === 1) { const g = gi[i]; const x = v[i]; if (x < m[g]) m[g] = x; }
  }
}

function maxLoop(v: NumArray, validity: Uint8Array | null, gi: Int32Array, m: Float64Array): void {
  const n = gi.length;
  if (validity === null) {
    for (let i = 0; i < n; i++) { const g = gi[i]; const x = v[i]; if (x > m[g]) m[g] = x; }
  } else {
    for (let i = 0; i < n; i++) if (validity[i] === 1) { const g = gi[i]; const x = v[i]; if (x > m[g]) m[g] = x; }
  }
}

function min1(v: NumArray, n: number, m: number): number {
  for (let i = 0; i < n; i++) { const x = v[i]; if (x < m) m = x; }
  return m;
}

function max1(v: NumArray, n: number, m: number): number {
  for (let i = 0; i < n; i++) { const x = v[i]; if (x > m) m = x; }
  return m;
}

/** float64 variants also record which groups saw a value (±Infinity are valid float64 inputs). */
function minLoopHas(v: NumArray, validity: Uint8Array | null, gi: Int32Array, m: Float64Array, has: Uint8Array): void {
  const n = gi.length;
  if (validity === null) {
    for (let i = 0; i < n; i++) { const g = gi[i]; const x = v[i]; if (x < m[g]) m[g] = x; has[g] = 1; }
  } else {
    for (let i = 0; i < n; i++) if (validity[i] === 1) { const g = gi[i]; const x = v[i]; if (x < m[g]) m[g] = x; has[g] = 1; }
  }
}

function maxLoopHas(v: NumArray, validity: Uint8Array | null, gi: Int32Array, m: Float64Array, has: Uint8Array): void {
  const n = gi.length;
  if (validity === null) {
    for (let i = 0; i < n; i++) { const g = gi[i]; const x = v[i]; if (x > m[g]) m[g] = x; has[g] = 1; }
  } else {
    for (let i = 0; i < n; i++) if (validity[i] === 1) { const g = gi[i]; const x = v[i]; if (x > m[g]) m[g] = x; has[g] = 1; }
  }
}

/**
 * min/max over numbers, dates, timestamps, decimals and bools (bool_and = min, bool_or = max):
 * one Float64Array of running extremes (initialised to ±Infinity) and a has-value flag.
 * State: [value column of the argument type] — merge is update over the state.
 */
export class MinMaxAccumulator implements GroupsAccumulator {
  readonly summaryNeedsRange = true;
  private m = new Float64Array(16).fill(Infinity);
  private has = new Uint8Array(16);
  private numGroups = 0;
  private readonly init: number;
  /** Only float64 can hold ±Infinity; other types detect "no value" as m[g] === init. */
  private readonly trackHas: boolean;

  constructor(private readonly type: DataType, private readonly isMax: boolean) {
    this.init = isMax ? -Infinity : Infinity;
    this.trackHas = type.kind === 'float64';
    this.m.fill(this.init);
  }

  update(values: Column | null, groupIdx: Int32Array, numGroups: number, filter: Column | null): void {
    if (filter !== null) ({ values, groupIdx } = applyFilter(values, groupIdx, filter));
    this.resize(numGroups);
    const col = values!;
    if (numGroups === 1 && col.validity === null) {
      // Every row is group 0 (no GROUP BY): extremes in a local.
      const n = groupIdx.length;
      if (n === 0) return;
      this.m[0] = this.isMax ? max1(col.values, n, this.m[0]) : min1(col.values, n, this.m[0]);
      if (this.trackHas) this.has[0] = 1;
      return;
    }
    if (this.trackHas) {
      if (this.isMax) maxLoopHas(col.values, col.validity, groupIdx, this.m, this.has);
      else minLoopHas(col.values, col.validity, groupIdx, this.m, this.has);
    } else if (this.isMax) maxLoop(col.values, col.validity, groupIdx, this.m);
    else minLoop(col.values, col.validity, groupIdx, this.m);
  }

  updateSummary(s: ColumnSummary): boolean {
    if (!s.ranged) return false;
    this.resize(1);
    if (s.count === 0) return true;
    if (this.isMax) { if (s.max > this.m[0]) this.m[0] = s.max; }
    else if (s.min < this.m[0]) this.m[0] = s.min;
    if (this.trackHas) this.has[0] = 1;
    return true;
  }

  state(): Column[] {
    return [this.evaluate()];
  }

  merge(state: readonly Column[], groupIdx: Int32Array, numGroups: number): void {
    this.update(state[0], groupIdx, numGroups, null);
  }

  evaluate(): Column {
    const n = this.numGroups;
    const out = allocValues(this.type, n);
    const m = this.m;
    const has = this.has;
    const init = this.init;
    const track = this.trackHas;
    let validity: Uint8Array | null = null;
    for (let g = 0; g < n; g++) {
      if (track ? has[g] === 1 : m[g] !== init) out[g] = m[g];
      else { validity ??= new Uint8Array(n).fill(1); validity[g] = 0; }
    }
    return makeColumn(this.type, out, validity);
  }

  size(): number {
    return this.m.byteLength + this.has.byteLength;
  }

  private resize(numGroups: number): void {
    if (numGroups > this.numGroups) {
      this.m = growF64(this.m, numGroups, this.init);
      if (this.trackHas) this.has = growU8(this.has, numGroups);
      this.numGroups = numGroups;
    }
  }
}

/**
 * min/max over strings by value. Per batch, the dictionary entries are ranked once (sorted;
 * cached while batches share a dictionary), the loop keeps the best code per group as integer
 * compares, and only then is each touched group's winner compared with its stored string.
 */
export class StringMinMaxAccumulator implements GroupsAccumulator {
  private best: (string | undefined)[] = [];
  private numGroups = 0;
  private batchBest = new Int32Array(16);
  private stamp = new Int32Array(16);
  private batchNo = 0;
  private rankDict: string[] | null = null;
  private ranks = new Int32Array(0);
  private bytes = 0;

  constructor(private readonly type: DataType, private readonly isMax: boolean) {}

  update(values: Column | null, groupIdx: Int32Array, numGroups: number, filter: Column | null): void {
    if (filter !== null) ({ values, groupIdx } = applyFilter(values, groupIdx, filter));
    this.resize(numGroups);
    const col = values!;
    const dict = col.dict!;
    const ranks = this.rankOf(dict);
    const codes = col.values as Int32Array;
    const validity = col.validity;
    const stamp = this.stamp;
    const bb = this.batchBest;
    const batch = ++this.batchNo;
    const touched: number[] = [];
    const n = groupIdx.length;
    const isMax = this.isMax;
    for (let i = 0; i < n; i++) {
      if (validity !== null && validity[i] === 0) continue;
      const g = groupIdx[i];
      const c = codes[i];
      if (stamp[g] !== batch) { stamp[g] = batch; bb[g] = c; touched.push(g); continue; }
      const r = ranks[c], rb = ranks[bb[g]];
      if (isMax ? r > rb : r < rb) bb[g] = c;
    }
    const best = this.best;
    for (const g of touched) {
      const s = dict[bb[g]];
      const cur = best[g];
      if (cur === undefined || (isMax ? s > cur : s < cur)) {
        this.bytes += s.length * 2 - (cur === undefined ? 0 : cur.length * 2);
        best[g] = s;
      }
    }
  }

  private rankOf(dict: string[]): Int32Array {
    if (dict === this.rankDict) return this.ranks;
    const idx = Array.from({ length: dict.length }, (_, i) => i);
    idx.sort((a, b) => (dict[a] < dict[b] ? -1 : dict[a] > dict[b] ? 1 : 0));
    const ranks = new Int32Array(dict.length);
    for (let k = 0; k < idx.length; k++) ranks[idx[k]] = k;
    this.rankDict = dict;
    this.ranks = ranks;
    return ranks;
  }

  state(): Column[] {
    return [this.evaluate()];
  }

  merge(state: readonly Column[], groupIdx: Int32Array, numGroups: number): void {
    this.update(state[0], groupIdx, numGroups, null);
  }

  evaluate(): Column {
    const n = this.numGroups;
    const codes = new Int32Array(n);
    const dict: string[] = new Array<string>(n);
    let validity: Uint8Array | null = null;
    for (let g = 0; g < n; g++) {
      const s = this.best[g];
      codes[g] = g;
      if (s === undefined) { dict[g] = ''; validity ??= new Uint8Array(n).fill(1); validity[g] = 0; }
      else dict[g] = s;
    }
    return makeColumn(this.type, codes, validity, dict);
  }

  size(): number {
    return this.numGroups * 8 + this.bytes + this.stamp.byteLength * 2;
  }

  private resize(numGroups: number): void {
    if (numGroups > this.numGroups) {
      for (let g = this.numGroups; g < numGroups; g++) this.best.push(undefined);
      this.stamp = growI32(this.stamp, numGroups);
      this.batchBest = growI32(this.batchBest, numGroups);
      this.numGroups = numGroups;
    }
  }
}
