import { makeColumn, type Column } from '../../../types/column.js';
import { FLOAT64, INT64, type DataType } from '../../../types/data-type.js';
import { applyFilter, growF64, type GroupsAccumulator } from './types.js';
import type { ColumnSummary } from './summary.js';

export type VarianceKind = 'var_samp' | 'var_pop' | 'stddev_samp' | 'stddev_pop';

/**
 * Variance family (Welford per row: count, mean, M2 per group; partial states merged with
 * Chan's formula). Result float64; sample variance of fewer than 2 rows is NULL.
 * State: [count int64, mean float64, m2 float64].
 */
export class VarianceAccumulator implements GroupsAccumulator {
  private cnt = new Float64Array(16);
  private mean = new Float64Array(16);
  private m2 = new Float64Array(16);
  private numGroups = 0;
  private readonly divisor: number;

  constructor(argType: DataType, private readonly kind: VarianceKind) {
    this.divisor = argType.kind === 'decimal' ? 10 ** argType.scale : 1;
  }

  update(values: Column | null, groupIdx: Int32Array, numGroups: number, filter: Column | null): void {
    if (filter !== null) ({ values, groupIdx } = applyFilter(values, groupIdx, filter));
    this.resize(numGroups);
    const col = values!;
    const v = col.values;
    const validity = col.validity;
    const cnt = this.cnt, mean = this.mean, m2 = this.m2;
    const div = this.divisor;
    const n = groupIdx.length;
    for (let i = 0; i < n; i++) {
      if (validity !== null && validity[i] === 0) continue;
      const g = groupIdx[i];
      const x = div === 1 ? v[i] : v[i] / div;
      const c = ++cnt[g];
      const d = x - mean[g];
      const m = mean[g] + d / c;
      mean[g] = m;
      m2[g] += d * (x - m);
    }
  }

  /** The batch as one partial state (its count, mean and M2 by two passes), merged with Chan's formula. */
  updateSummary(s: ColumnSummary): boolean {
    this.resize(1);
    const nb = s.count;
    if (nb === 0) return true;
    const div = this.divisor;
    this.mergeOne(0, nb, s.sum / nb / div, s.m2() / (div * div));
    return true;
  }

  private mergeOne(g: number, nb: number, meanB: number, m2B: number): void {
    const na = this.cnt[g];
    const nt = na + nb;
    const d = meanB - this.mean[g];
    this.mean[g] += (d * nb) / nt;
    this.m2[g] += m2B + (d * d * na * nb) / nt;
    this.cnt[g] = nt;
  }

  state(): Column[] {
    const n = this.numGroups;
    return [
      makeColumn(INT64, this.cnt.slice(0, n)),
      makeColumn(FLOAT64, this.mean.slice(0, n)),
      makeColumn(FLOAT64, this.m2.slice(0, n)),
    ];
  }

  merge(state: readonly Column[], groupIdx: Int32Array, numGroups: number): void {
    this.resize(numGroups);
    const sc = state[0].values, sm = state[1].values, sm2 = state[2].values;
    for (let i = 0; i < groupIdx.length; i++) if (sc[i] !== 0) this.mergeOne(groupIdx[i], sc[i], sm[i], sm2[i]);
  }

  evaluate(): Column {
    const n = this.numGroups;
    const out = new Float64Array(n);
    let validity: Uint8Array | null = null;
    const samp = this.kind === 'var_samp' || this.kind === 'stddev_samp';
    const sqrt = this.kind === 'stddev_samp' || this.kind === 'stddev_pop';
    for (let g = 0; g < n; g++) {
      const c = this.cnt[g];
      const denom = samp ? c - 1 : c;
      if (denom <= 0) { validity ??= new Uint8Array(n).fill(1); validity[g] = 0; continue; }
      const r = Math.max(0, this.m2[g]) / denom;
      out[g] = sqrt ? Math.sqrt(r) : r;
    }
    return makeColumn(FLOAT64, out, validity);
  }

  size(): number {
    return this.cnt.byteLength * 3;
  }

  private resize(numGroups: number): void {
    if (numGroups > this.numGroups) {
      this.cnt = growF64(this.cnt, numGroups);
      this.mean = growF64(this.mean, numGroups);
      this.m2 = growF64(this.m2, numGroups);
      this.numGroups = numGroups;
    }
  }
}
