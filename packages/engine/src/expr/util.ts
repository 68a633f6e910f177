import type { Batch } from '../types/batch.js';
import { allocValues, makeColumn, nullColumn, type Column } from '../types/column.js';
import type { DataType } from '../types/data-type.js';
import type { PhysicalExpr } from './physical-expr.js';

/** Storage-domain scalar (see logical/expr.ts LiteralExpr): number, string, boolean or null. */
export type Scalar = number | string | boolean | null;

/**
 * A compiled constant. Kernels look for it (`instanceof ConstantExpr`) to pick their
 * column-op-scalar variants instead of broadcasting the value.
 */
export class ConstantExpr implements PhysicalExpr {
  private cached: Column | null = null;
  constructor(readonly value: Scalar, readonly type: DataType) {}

  evaluate(batch: Batch): Column {
    const n = batch.numRows;
    if (this.cached === null || this.cached.length !== n) this.cached = constantColumn(this.value, this.type, n);
    return this.cached;
  }

  toString(): string {
    if (this.value === null) return 'NULL';
    if (typeof this.value === 'string') return `'${this.value.replace(/'/g, "''")}'`;
    return String(this.value);
  }
}

export const isConstant = (e: PhysicalExpr): e is ConstantExpr => e instanceof ConstantExpr;

/** A column of `n` copies of `value` (a NULL value gives an all-NULL column). */
export function constantColumn(value: Scalar, type: DataType, n: number): Column {
  if (value === null || type.kind === 'null') return nullColumn(type, n);
  if (type.kind === 'utf8') return makeColumn(type, new Int32Array(n), null, [String(value)]);
  const values = allocValues(type, n);
  const v = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
  if (v !== 0 || Object.is(v, -0)) values.fill(v); // float8 -0 is a distinct value ('-0')
  return makeColumn(type, values, null);
}

/** Column with a new type over the same storage (e.g. int64 → timestamp views). */
export function retype(c: Column, type: DataType): Column {
  return makeColumn(type, c.values, c.validity, c.dict);
}

/** AND of two validity masks (null = all valid). Never mutates its inputs. */
export function andValidity(a: Uint8Array | null, b: Uint8Array | null, n: number): Uint8Array | null {
  if (a === null) return b;
  if (b === null) return a;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i] & b[i];
  return out;
}

/** Validity of several columns combined. */
export function combineValidity(cols: readonly Column[], n: number): Uint8Array | null {
  let v: Uint8Array | null = null;
  for (const c of cols) v = andValidity(v, c.validity, n);
  return v;
}

/** A validity mask where every row is valid → null (keeps the fast path for later kernels). */
export function normalizeValidity(v: Uint8Array | null): Uint8Array | null {
  if (v === null) return null;
  for (let i = 0; i < v.length; i++) if (v[i] === 0) return v;
  return null;
}

/** Scalar value of a ConstantExpr in numeric storage form (bool → 0/1). Null stays null. */
export function scalarNumber(v: Scalar): number | null {
  if (v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return Number(v);
}

/** Applies `f` to each dictionary entry and remaps codes; `f` returns a string. */
export function mapDictStrings(c: Column, type: DataType, f: (s: string) => string): Column {
  const dict = c.dict!;
  const out = new Array<string>(dict.length);
  for (let i = 0; i < dict.length; i++) out[i] = f(dict[i]);
  return makeColumn(type, c.values, c.validity, out);
}

/** Evaluates `f` once per dictionary entry and gathers the results (numeric/bool output types). */
export function mapDictToValues(
  c: Column,
  type: DataType,
  f: (s: string) => number,
): Column {
  const dict = c.dict!;
  const per = allocValues(type, dict.length);
  for (let i = 0; i < dict.length; i++) per[i] = f(dict[i]);
  const codes = c.values as Int32Array;
  const n = c.length;
  const out = allocValues(type, n);
  const v = c.validity;
  if (v === null) {
    for (let i = 0; i < n; i++) out[i] = per[codes[i]];
  } else {
    for (let i = 0; i < n; i++) out[i] = v[i] === 0 ? 0 : per[codes[i]];
  }
  return makeColumn(type, out, v);
}

/**
 * Compacts a dictionary: drops unused entries and merges duplicates. Used after operations
 * that may create many duplicate entries (e.g. casts, concat), to keep per-entry work small.
 */
export function compactDict(c: Column): Column {
  const dict = c.dict!;
  const n = c.length;
  const codes = c.values as Int32Array;
  const seen = new Map<string, number>();
  const remap = new Int32Array(dict.length);
  const newDict: string[] = [];
  for (let i = 0; i < dict.length; i++) {
    const s = dict[i];
    let k = seen.get(s);
    if (k === undefined) { k = newDict.length; newDict.push(s); seen.set(s, k); }
    remap[i] = k;
  }
  if (newDict.length === dict.length) return c;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = remap[codes[i]];
  return makeColumn(c.type, out, c.validity, newDict);
}

/** Builds a dictionary-encoded utf8 column from per-row strings (null = NULL). Slow path helper. */
export function utf8FromStrings(type: DataType, strs: readonly (string | null)[]): Column {
  const n = strs.length;
  const codes = new Int32Array(n);
  let validity: Uint8Array | null = null;
  const map = new Map<string, number>();
  const dict: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = strs[i];
    if (s === null) {
      if (validity === null) { validity = new Uint8Array(n).fill(1); }
      validity[i] = 0;
      continue;
    }
    let k = map.get(s);
    if (k === undefined) { k = dict.length; dict.push(s); map.set(s, k); }
    codes[i] = k;
  }
  return makeColumn(type, codes, validity, dict);
}

export const POW10: readonly number[] = Array.from({ length: 40 }, (_, i) => Number(`1e${i}`));

/** Rounds half away from zero (PostgreSQL numeric rounding). */
export function roundHalfAway(x: number): number {
  return (x < 0 ? -Math.round(-x) : Math.round(x)) + 0;
}
