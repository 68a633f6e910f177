import { makeColumn, type Column } from '../../../types/column.js';
import { INT64 } from '../../../types/data-type.js';
import { applyFilter, growF64, type GroupsAccumulator } from './types.js';
import type { ColumnSummary } from './summary.js';

/** count(*) (countNulls = true) and count(x) (NULL x skipped). State: [count int64]. */
export class CountAccumulator implements GroupsAccumulator {
  private counts = new Float64Array(16);
  private numGroups = 0;

  constructor(private readonly countNulls: boolean) {}

  update(values: Column | null, groupIdx: Int32Array, numGroups: number, filter: Column | null): void {
    if (filter !== null) ({ values, groupIdx } = applyFilter(values, groupIdx, filter));
    this.resize(numGroups);
    const c = this.counts;
    const n = groupIdx.length;
    const validity = this.countNulls || values === null ? null : values.validity;
    if (numGroups === 1) {
      // Every row is group 0 (no GROUP BY): no scatter.
      if (validity === null) c[0] += n;
      else { let k = 0; for (let i = 0; i < n; i++) k += validity[i]; c[0] += k; }
      return;
    }
    if (validity === null) {
      for (let i = 0; i < n; i++) c[groupIdx[i]]++;
    } else {
      for (let i = 0; i < n; i++) c[groupIdx[i]] += validity[i];
    }
  }

  updateSummary(s: ColumnSummary): boolean {
    if (this.countNulls) return false;
    this.resize(1);
    this.counts[0] += s.count;
    return true;
  }

  /** count(*) over the group index only: the count for the no-filter fast path. */
  state(): Column[] {
    return [this.evaluate()];
  }

  merge(state: readonly Column[], groupIdx: Int32Array, numGroups: number): void {
    this.resize(numGroups);
    const c = this.counts;
    const s = state[0].values;
    const v = state[0].validity;
    const n = groupIdx.length;
    for (let i = 0; i < n; i++) if (v === null || v[i] === 1) c[groupIdx[i]] += s[i];
  }

  evaluate(): Column {
    return makeColumn(INT64, this.counts.slice(0, this.numGroups));
  }

  size(): number {
    return this.counts.byteLength;
  }

  private resize(numGroups: number): void {
    if (numGroups > this.numGroups) {
      this.counts = growF64(this.counts, numGroups);
      this.numGroups = numGroups;
    }
  }
}
