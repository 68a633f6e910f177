import type { Column } from '../../../types/column.js';
import type { DataType } from '../../../types/data-type.js';
import { selectionFromBool } from '../../../expr/selection.js';
import type { ColumnSummary } from './summary.js';

/**
 * Vectorized accumulator for one aggregate over all groups (DataFusion's GroupsAccumulator):
 * state lives in typed arrays indexed by group index; `update` takes one batch's argument
 * column and the group index of every row. Dispatch happens once per batch, never per row.
 */
export interface GroupsAccumulator {
  /**
   * Accumulate one batch. `values` is the argument column (null for count(*)); `groupIdx[i]` is
   * row i's group (< numGroups); `filter` (FILTER (WHERE …)) restricts rows when non-null:
   * only rows where it is true (not NULL) count. A null `filter` also promises that every group
   * index at or above the previous call's numGroups occurs in groupIdx (HashAggregateExec passes
   * whole batches), which lets accumulators skip per-row "has a value" bookkeeping.
   */
  update(values: Column | null, groupIdx: Int32Array, numGroups: number, filter: Column | null): void;
  /**
   * Ungrouped input (one group, no FILTER): accumulate one batch from its argument column's
   * shared summary (summary.ts) instead of a pass of its own. False when the summary is not
   * enough (an exact sum it cannot prove exact); the caller then calls `update`.
   */
  updateSummary?(s: ColumnSummary): boolean;
  /** updateSummary reads the summary's min/max (the summary computes them only for such readers). */
  readonly summaryNeedsRange?: boolean;
  /** Intermediate state, one column per `stateTypes()` entry, numGroups rows (Partial output). */
  state(): Column[];
  /** Merge state columns produced by `state()` of other accumulators (Final input). */
  merge(state: readonly Column[], groupIdx: Int32Array, numGroups: number): void;
  /** Final values, one row per group. */
  evaluate(): Column;
  /** Approximate bytes held. */
  size(): number;
}

/** Growth helpers for per-group typed arrays. */
export function growCapacity(current: number, needed: number): number {
  let c = Math.max(current, 16);
  while (c < needed) c *= 2;
  return c;
}

export function growF64(a: Float64Array<ArrayBuffer>, needed: number, fill = 0): Float64Array<ArrayBuffer> {
  if (a.length >= needed) return a;
  const b = new Float64Array(growCapacity(a.length, needed));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export function growU8(a: Uint8Array<ArrayBuffer>, needed: number, fill = 0): Uint8Array<ArrayBuffer> {
  if (a.length >= needed) return a;
  const b = new Uint8Array(growCapacity(a.length, needed));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export function growI32(a: Int32Array<ArrayBuffer>, needed: number, fill = 0): Int32Array<ArrayBuffer> {
  if (a.length >= needed) return a;
  const b = new Int32Array(growCapacity(a.length, needed));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/**
 * Applies a FILTER column: returns the argument rows and group indexes restricted to rows where
 * the filter is true. Used by accumulators so their hot loops never test a filter per row.
 */
export function applyFilter(
  values: Column | null,
  groupIdx: Int32Array,
  filter: Column,
): { values: Column | null; groupIdx: Int32Array } {
  const sel = selectionFromBool(filter);
  const count = sel.length;
  const gi = new Int32Array(count);
  for (let i = 0; i < count; i++) gi[i] = groupIdx[sel[i]];
  return { values: values === null ? null : takeRows(values, sel, count), groupIdx: gi };
}

function takeRows(c: Column, sel: Int32Array, count: number): Column {
  const src = c.values;
  const out = new (src.constructor as { new (n: number): typeof src })(count);
  for (let i = 0; i < count; i++) out[i] = src[sel[i]];
  let validity: Uint8Array | null = null;
  if (c.validity !== null) {
    validity = new Uint8Array(count);
    const v = c.validity;
    for (let i = 0; i < count; i++) validity[i] = v[sel[i]];
  }
  return c.dict ? { type: c.type, length: count, values: out, validity, dict: c.dict } : { type: c.type, length: count, values: out, validity };
}

export interface StateField {
  readonly name: string;
  readonly type: DataType;
}
