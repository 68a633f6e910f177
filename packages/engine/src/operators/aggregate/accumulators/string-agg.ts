import { EngineError } from '../../../errors.js';
import { bundledParts } from '../../../expr/kernels/agg-args.js';
import { selectionFromBool } from '../../../expr/selection.js';
import { utf8FromStrings } from '../../../expr/util.js';
import type { AggregateExpr } from '../../../logical/expr.js';
import type { Column } from '../../../types/column.js';
import { UTF8 } from '../../../types/data-type.js';
import { growI32, type GroupsAccumulator } from './types.js';

/** One ORDER BY key of the aggregate: direction and NULL placement. */
export interface StringAggOrder {
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

type KeyValue = number | string | null;

/**
 * Layout of string_agg's argument (see expr/kernels/agg-args.ts): agg_args(value, separator,
 * directions, key1, …) with `directions` a constant like 'AL,DF'.
 */
export function stringAggOrder(agg: AggregateExpr): StringAggOrder[] {
  const arg = agg.arg;
  if (arg === null || arg.kind !== 'call' || arg.fn !== 'agg_args' || arg.args.length < 3) return [];
  const d = arg.args[2];
  const spec = d.kind === 'literal' && typeof d.value === 'string' ? d.value : '';
  return spec === '' ? [] : spec.split(',').map((x) => ({ ascending: x[0] !== 'D', nullsFirst: x[1] === 'F' }));
}

/**
 * string_agg(value, separator [ORDER BY keys]) as PostgreSQL: NULL values are skipped; each value
 * after the first is preceded by its own row's separator (a NULL separator adds nothing); no
 * values → NULL. Rows are collected (group, value, separator, keys) and each group is ordered
 * by the keys at evaluate time (a stable sort: ties keep input order). DISTINCT keeps the first
 * of equal values; without ORDER BY it orders by the value, as PostgreSQL's sort-based DISTINCT.
 * Single-phase only: partial state (state/merge) is not supported.
 */
export class StringAggAccumulator implements GroupsAccumulator {
  private numGroups = 0;
  private rows = 0;
  private groupOf = new Int32Array(64);
  private readonly values: string[] = [];
  private readonly seps: (string | null)[] = [];
  private readonly keys: KeyValue[][];
  private bytes = 0;

  constructor(private readonly order: readonly StringAggOrder[], private readonly distinct: boolean) {
    this.keys = order.map(() => []);
  }

  update(values: Column | null, groupIdx: Int32Array, numGroups: number, filter: Column | null): void {
    if (numGroups > this.numGroups) this.numGroups = numGroups;
    const n = groupIdx.length;
    if (n === 0 || values === null) return;
    const parts = bundledParts(values);
    if (parts === null || parts.length < 3 + this.order.length) throw new Error('string_agg: argument is not an agg_args bundle');
    const val = parts[0];
    const sep = parts[1];
    const keyCols = parts.slice(3);
    const sel = filter === null ? null : selectionFromBool(filter);
    const count = sel === null ? n : sel.length;
    this.groupOf = growI32(this.groupOf, this.rows + count);
    const vd = val.dict!, vc = val.values, vv = val.validity;
    const sepNull = sep.type.kind === 'null';
    for (let j = 0; j < count; j++) {
      const i = sel === null ? j : sel[j];
      if (val.type.kind === 'null' || (vv !== null && vv[i] === 0)) continue;
      const s = vd[vc[i]];
      this.groupOf[this.rows++] = groupIdx[i];
      this.values.push(s);
      const sv = sepNull || (sep.validity !== null && sep.validity[i] === 0) ? null : sep.dict![sep.values[i]];
      this.seps.push(sv);
      this.bytes += 2 * s.length + 16 + (sv === null ? 0 : 2 * sv.length);
      for (let k = 0; k < keyCols.length; k++) this.keys[k].push(keyAt(keyCols[k], i));
    }
  }

  state(): Column[] {
    throw new EngineError('feature_not_supported', 'string_agg is not supported in partial aggregation');
  }

  merge(): void {
    throw new EngineError('feature_not_supported', 'string_agg is not supported in partial aggregation');
  }

  evaluate(): Column {
    const g = this.numGroups;
    const rows = this.rows;
    // stable counting sort of the collected rows by group
    const start = new Int32Array(g + 1);
    for (let r = 0; r < rows; r++) start[this.groupOf[r] + 1]++;
    for (let i = 0; i < g; i++) start[i + 1] += start[i];
    const pos = start.slice(0, g);
    const byGroup = new Int32Array(rows);
    for (let r = 0; r < rows; r++) byGroup[pos[this.groupOf[r]]++] = r;
    const cmp = this.comparator();
    const out = new Array<string | null>(g);
    for (let k = 0; k < g; k++) {
      const lo = start[k], hi = start[k + 1];
      if (lo === hi) { out[k] = null; continue; }
      let idx: ArrayLike<number> = byGroup.subarray(lo, hi);
      if (cmp !== null && hi - lo > 1) idx = Array.from(idx).sort(cmp);
      let acc = '';
      let prev: string | null = null;
      for (let j = 0; j < idx.length; j++) {
        const r = idx[j];
        const v = this.values[r];
        if (this.distinct && prev !== null && v === prev) continue;
        if (prev !== null) { const s = this.seps[r]; if (s !== null) acc += s; }
        acc += v;
        prev = v;
      }
      out[k] = acc;
    }
    return utf8FromStrings(UTF8, out);
  }

  size(): number {
    return this.groupOf.byteLength + this.bytes + this.rows * 8 * this.keys.length;
  }

  /** Row comparator of the ORDER BY keys (DISTINCT without ORDER BY: by value); null = input order. */
  private comparator(): ((a: number, b: number) => number) | null {
    if (this.order.length === 0) {
      if (!this.distinct) return null;
      const v = this.values;
      return (a, b) => (v[a] < v[b] ? -1 : v[a] > v[b] ? 1 : 0);
    }
    const keys = this.keys;
    const order = this.order;
    return (a, b) => {
      for (let k = 0; k < order.length; k++) {
        const x = keys[k][a], y = keys[k][b];
        if (x === y) continue;
        const o = order[k];
        if (x === null) return o.nullsFirst ? -1 : 1;
        if (y === null) return o.nullsFirst ? 1 : -1;
        // (x !== y here, so c = 0 only with a NaN, which sorts above every number as in PostgreSQL)
        const c = x < y ? -1 : x > y ? 1 : x !== x ? 1 : -1;
        return o.ascending ? c : -c;
      }
      return 0;
    };
  }
}

/** ORDER BY key of row i: strings compare by code unit (C collation), others by storage value. */
function keyAt(c: Column, i: number): KeyValue {
  if (c.type.kind === 'null' || (c.validity !== null && c.validity[i] === 0)) return null;
  return c.type.kind === 'utf8' ? c.dict![c.values[i]] : c.values[i];
}
