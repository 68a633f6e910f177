import { makeColumn, type Column } from '../../../types/column.js';
import { FLOAT64, INT64, decimal, type DataType } from '../../../types/data-type.js';
import { EngineError } from '../../../errors.js';
import { applyFilter, growF64, growU8, type GroupsAccumulator } from './types.js';
import type { ColumnSummary } from './summary.js';

const MAX_EXACT = 2 ** 53 - 1;
const SPLIT = 2 ** 48;
const SPLIT_BIG = BigInt(SPLIT);
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * sum(x). Exact types (int32 → int64, int64 → numeric, decimal → numeric(38,s)) accumulate the
 * unscaled integers in a Float64Array and move a group to BigInt the first time its running sum
 * would leave ±(2^53-1) (such groups hold NaN in the float array, so the hot loop has a single
 * range test per row). float64 sums plainly.
 *
 * State: exact → [lo (result type), hi (float64)] with sum = hi·2^48 + lo, so partial sums past
 * 2^53 still merge exactly; float64 → [sum]. NULL lo = the group saw no non-NULL input.
 */
export class SumAccumulator implements GroupsAccumulator {
  private sums = new Float64Array(16);
  private has = new Uint8Array(16);
  /** Groups with no non-NULL input yet (has[g] === 0). */
  private missing = 0;
  private big: Map<number, bigint> | null = null;
  private numGroups = 0;
  readonly exact: boolean;

  constructor(private readonly resultType: DataType) {
    this.exact = resultType.kind !== 'float64';
  }

  update(values: Column | null, groupIdx: Int32Array, numGroups: number, filter: Column | null): void {
    const dense = filter === null;
    if (filter !== null) ({ values, groupIdx } = applyFilter(values, groupIdx, filter));
    this.accumulate(values!, groupIdx, numGroups, dense);
  }

  /**
   * `dense`: every group index at or above the previous group count occurs in groupIdx (true for
   * unfiltered batches from HashAggregateExec). Then, with no NULL inputs and no group still
   * lacking a value, the loop skips the per-row has-value store.
   */
  accumulate(col: Column, groupIdx: Int32Array, numGroups: number, dense: boolean): void {
    const prev = this.numGroups;
    this.resize(numGroups);
    const validity = col.validity;
    if (dense && validity === null && numGroups > prev) {
      this.has.fill(1, prev, numGroups);
      this.missing -= numGroups - prev;
    }
    const n = groupIdx.length;
    const s = this.sums;
    if (validity === null && this.missing === 0) {
      if (numGroups === 1) {
        // Every row is group 0 (no GROUP BY): sum in a local.
        if (!this.exact) addF64Plain1(s, col.values as Float64Array, n);
        else if (col.values instanceof Int32Array) { if (!addI32Exact1(s, col.values, n)) this.redo(col, groupIdx, n); }
        else if (!addF64Exact1(s, col.values as Float64Array, n)) this.redo(col, groupIdx, n);
        return;
      }
      if (!this.exact) addF64Plain(s, col.values as Float64Array, groupIdx, n);
      else if (col.values instanceof Int32Array) { if (!addI32Exact(s, col.values, groupIdx, n)) this.redo(col, groupIdx, n); }
      else if (!addF64Exact(s, col.values as Float64Array, groupIdx, n)) this.redo(col, groupIdx, n);
      return;
    }
    const has = this.has;
    const v = col.values;
    let missing = this.missing;
    for (let i = 0; i < n; i++) {
      if (validity !== null && validity[i] === 0) continue;
      const g = groupIdx[i];
      if (has[g] === 0) { has[g] = 1; missing--; }
      const t = s[g] + v[i];
      if (!this.exact || Math.abs(t) <= MAX_EXACT) s[g] = t; else this.slowAdd(g, v[i]);
    }
    this.missing = missing;
  }

  updateSummary(s: ColumnSummary): boolean {
    if (this.exact && !s.exactSum) return false;
    this.resize(1);
    if (s.count === 0) return true;
    if (this.has[0] === 0) { this.has[0] = 1; this.missing--; }
    if (!this.exact) { this.sums[0] += s.sum; return true; }
    const t = this.sums[0] + s.sum; // NaN once group 0 moved to BigInt: slowAdd continues there
    if (Math.abs(t) <= MAX_EXACT) this.sums[0] = t; else this.slowAdd(0, s.sum);
    return true;
  }

  /**
   * The fast loops stop at the first row whose sum leaves the exact range (returning false after
   * rolling nothing back: rows before it are added); `redo` continues from that row exactly.
   */
  private redo(col: Column, groupIdx: Int32Array, n: number): void {
    const v = col.values;
    const s = this.sums;
    for (let i = stoppedAt; i < n; i++) {
      const g = groupIdx[i];
      const t = s[g] + v[i];
      if (Math.abs(t) <= MAX_EXACT) s[g] = t; else this.slowAdd(g, v[i]);
    }
  }

  /** Adds an exact integer to group g on the BigInt path. */
  private slowAdd(g: number, v: number): void {
    const big = (this.big ??= new Map());
    const cur = big.get(g);
    if (cur !== undefined) big.set(g, cur + BigInt(v));
    else { big.set(g, BigInt(this.sums[g]) + BigInt(v)); this.sums[g] = NaN; }
  }

  private addBig(g: number, v: bigint): void {
    const big = (this.big ??= new Map());
    const cur = big.get(g);
    if (cur !== undefined) big.set(g, cur + v);
    else { big.set(g, BigInt(this.sums[g]) + v); this.sums[g] = NaN; }
  }

  state(): Column[] {
    const n = this.numGroups;
    const validity = this.missing > 0 ? this.has.slice(0, n) : null;
    if (!this.exact) return [makeColumn(FLOAT64, this.sums.slice(0, n), validity)];
    const lo = this.sums.slice(0, n);
    const hi = new Float64Array(n);
    if (this.big !== null) {
      for (const [g, b] of this.big) {
        const h = b / SPLIT_BIG;
        hi[g] = Number(h);
        lo[g] = Number(b - h * SPLIT_BIG);
      }
    }
    return [makeColumn(this.resultType, lo, validity), makeColumn(FLOAT64, hi)];
  }

  merge(state: readonly Column[], groupIdx: Int32Array, numGroups: number): void {
    this.resize(numGroups);
    const s = this.sums;
    const has = this.has;
    const lo = state[0].values as Float64Array;
    const validity = state[0].validity;
    const n = groupIdx.length;
    if (!this.exact) {
      for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) { const g = groupIdx[i]; s[g] += lo[i]; if (has[g] === 0) { has[g] = 1; this.missing--; } }
      return;
    }
    const hi = state[1].values as Float64Array;
    for (let i = 0; i < n; i++) {
      if (validity !== null && validity[i] === 0) continue;
      const g = groupIdx[i];
      if (has[g] === 0) { has[g] = 1; this.missing--; }
      if (hi[i] !== 0) { this.addBig(g, BigInt(hi[i]) * SPLIT_BIG + BigInt(lo[i])); continue; }
      const t = s[g] + lo[i];
      if (Math.abs(t) <= MAX_EXACT) s[g] = t; else this.slowAdd(g, lo[i]);
    }
  }

  evaluate(): Column {
    const n = this.numGroups;
    const out = this.sums.slice(0, n);
    if (this.big !== null) {
      for (const [g, b] of this.big) {
        if (this.resultType.kind === 'int64' && (b > INT64_MAX || b < INT64_MIN)) {
          throw new EngineError('numeric_value_out_of_range', 'bigint out of range');
        }
        out[g] = Number(b);
      }
    }
    return makeColumn(this.resultType, out, this.missing > 0 ? this.has.slice(0, n) : null);
  }

  /** Exact sum of group g as a double (rounded once if it went past 2^53), for avg. */
  sumOf(g: number): number {
    if (this.big !== null) {
      const b = this.big.get(g);
      if (b !== undefined) return Number(b);
    }
    return this.sums[g];
  }

  hasValue(g: number): boolean {
    return this.has[g] === 1;
  }

  size(): number {
    return this.sums.byteLength + this.has.byteLength + (this.big ? this.big.size * 48 : 0);
  }

  private resize(numGroups: number): void {
    if (numGroups > this.numGroups) {
      this.sums = growF64(this.sums, numGroups);
      this.has = growU8(this.has, numGroups);
      this.missing += numGroups - this.numGroups;
      this.numGroups = numGroups;
    }
  }
}


/** Type sum(x) accumulates in for an argument type (PostgreSQL's sum result type). */
export function sumTypeFor(argType: DataType): DataType {
  switch (argType.kind) {
    case 'float64': return FLOAT64;
    case 'int32': return INT64;
    case 'decimal': return decimal(38, argType.scale);
    default: return decimal(38, 0);
  }
}

let stoppedAt = 0;

function addF64Plain(s: Float64Array, v: Float64Array, gi: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) s[gi[i]] += v[i];
}

function addF64Plain1(s: Float64Array, v: Float64Array, n: number): void {
  let t = s[0];
  for (let i = 0; i < n; i++) t += v[i];
  s[0] = t;
}

/** Single group: exact while the running sum stays within ±(2^53-1); the sum up to the stopping row is stored. */
function addF64Exact1(s: Float64Array, v: Float64Array, n: number): boolean {
  let t = s[0];
  for (let i = 0; i < n; i++) {
    const u = t + v[i];
    if (Math.abs(u) <= MAX_EXACT) t = u;
    else { s[0] = t; stoppedAt = i; return false; }
  }
  s[0] = t;
  return true;
}

function addI32Exact1(s: Float64Array, v: Int32Array, n: number): boolean {
  let t = s[0];
  for (let i = 0; i < n; i++) {
    const u = t + v[i];
    if (Math.abs(u) <= MAX_EXACT) t = u;
    else { s[0] = t; stoppedAt = i; return false; }
  }
  s[0] = t;
  return true;
}

/** Exact sums while they stay within ±(2^53-1); false (and `stoppedAt`) at the first row that would not. */
function addF64Exact(s: Float64Array, v: Float64Array, gi: Int32Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const g = gi[i];
    const t = s[g] + v[i];
    if (Math.abs(t) <= MAX_EXACT) s[g] = t;
    else { stoppedAt = i; return false; }
  }
  return true;
}

function addI32Exact(s: Float64Array, v: Int32Array, gi: Int32Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const g = gi[i];
    const t = s[g] + v[i];
    if (Math.abs(t) <= MAX_EXACT) s[g] = t;
    else { stoppedAt = i; return false; }
  }
  return true;
}
