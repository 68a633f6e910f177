import { makeColumn, type Column } from '../../../types/column.js';
import { FLOAT64, INT64, type DataType } from '../../../types/data-type.js';
import { SumAccumulator, sumTypeFor } from './sum.js';
import { applyFilter, growF64, type GroupsAccumulator } from './types.js';
import type { ColumnSummary } from './summary.js';

/**
 * avg(x) → float64, from an exact sum (see SumAccumulator) and a count, divided once at the end.
 * State: [...sum state, count int64].
 */
export class AvgAccumulator implements GroupsAccumulator {
  private readonly sum: SumAccumulator;
  private counts = new Float64Array(16);
  private numGroups = 0;
  private readonly divisor: number;

  constructor(argType: DataType) {
    this.sum = new SumAccumulator(sumTypeFor(argType));
    this.divisor = argType.kind === 'decimal' ? 10 ** argType.scale : 1;
  }

  update(values: Column | null, groupIdx: Int32Array, numGroups: number, filter: Column | null): void {
    const dense = filter === null;
    if (filter !== null) ({ values, groupIdx } = applyFilter(values, groupIdx, filter));
    this.sum.accumulate(values!, groupIdx, numGroups, dense);
    this.resize(numGroups);
    const c = this.counts;
    const validity = values!.validity;
    const n = groupIdx.length;
    if (numGroups === 1) {
      if (validity === null) c[0] += n;
      else { let k = 0; for (let i = 0; i < n; i++) k += validity[i]; c[0] += k; }
    } else if (validity === null) for (let i = 0; i < n; i++) c[groupIdx[i]]++;
    else for (let i = 0; i < n; i++) c[groupIdx[i]] += validity[i];
  }

  updateSummary(s: ColumnSummary): boolean {
    if (!this.sum.updateSummary(s)) return false;
    this.resize(1);
    this.counts[0] += s.count;
    return true;
  }

  state(): Column[] {
    return [...this.sum.state(), makeColumn(INT64, this.counts.slice(0, this.numGroups))];
  }

  merge(state: readonly Column[], groupIdx: Int32Array, numGroups: number): void {
    const k = state.length - 1;
    this.sum.merge(state.slice(0, k), groupIdx, numGroups);
    this.resize(numGroups);
    const c = this.counts;
    const s = state[k].values;
    for (let i = 0; i < groupIdx.length; i++) c[groupIdx[i]] += s[i];
  }

  evaluate(): Column {
    const n = this.numGroups;
    const out = new Float64Array(n);
    let validity: Uint8Array | null = null;
    for (let g = 0; g < n; g++) {
      const c = this.counts[g];
      if (c === 0) {
        validity ??= new Uint8Array(n).fill(1);
        validity[g] = 0;
      } else {
        out[g] = this.sum.sumOf(g) / this.divisor / c;
      }
    }
    return makeColumn(FLOAT64, out, validity);
  }

  size(): number {
    return this.sum.size() + this.counts.byteLength;
  }

  private resize(numGroups: number): void {
    if (numGroups > this.numGroups) {
      this.counts = growF64(this.counts, numGroups);
      this.numGroups = numGroups;
    }
  }
}
