import type { Column } from '../types/column.js';
import { compareStrings } from '../expr/kernels/compare.js';

/**
 * Sort keys as ordinals. Every key column is turned once into a Float64Array of non-negative
 * integers (`ord`) in [0, range) whose ascending order is the requested order of the key:
 * direction, NULLS FIRST/LAST, PostgreSQL's float8 order (NaN above everything, -0 = 0) and
 * code-point string order (dictionary entries ranked once) are all folded in. Equal ordinals
 * mean equal (peer) values. Sorting then never looks at types again: several keys are packed
 * into one number (k1·r2 + k2 …, re-ranked when the product would pass 2^53) and the row index
 * is packed below that, so a permutation is one native Float64Array sort.
 */
export interface KeyOrdinals {
  readonly ord: Float64Array;
  /** Exclusive upper bound of `ord`. */
  readonly range: number;
}

const MAX_EXACT = 2 ** 53;

/** Ranks of dictionary entries in code-point order (equal strings, equal ranks) and the distinct count. */
export function rankDictionary(dict: readonly string[]): { ranks: Int32Array; distinct: number } {
  const d = dict.length;
  const idx = new Array<number>(d);
  for (let i = 0; i < d; i++) idx[i] = i;
  idx.sort((a, b) => compareStrings(dict[a], dict[b]));
  const ranks = new Int32Array(d);
  let r = -1;
  for (let i = 0; i < d; i++) {
    if (i === 0 || dict[idx[i]] !== dict[idx[i - 1]]) r++;
    ranks[idx[i]] = r;
  }
  return { ranks, distinct: r + 1 };
}

/**
 * Dense ranks of the valid values of a numeric column, written into `out` (ascending, NaN last,
 * -0 = 0). Returns the number of distinct values.
 */
function denseRankNumbers(values: ArrayLike<number>, validity: Uint8Array | null, n: number, out: Float64Array): number {
  let m = 0;
  const tmp = new Float64Array(n);
  for (let i = 0; i < n; i++) if (validity === null || validity[i] !== 0) tmp[m++] = values[i];
  const sorted = tmp.subarray(0, m).sort(); // numeric; NaN last; -0 before 0
  let u = 0;
  for (let i = 0; i < m; i++) {
    const x = sorted[i];
    if (u === 0 || !(x === sorted[u - 1] || (x !== x && sorted[u - 1] !== sorted[u - 1]))) sorted[u++] = x;
  }
  const hasNaN = u > 0 && sorted[u - 1] !== sorted[u - 1];
  const hi0 = hasNaN ? u - 1 : u;
  for (let i = 0; i < n; i++) {
    if (validity !== null && validity[i] === 0) continue;
    const x = values[i];
    if (x !== x) { out[i] = u - 1; continue; }
    let lo = 0;
    let hi = hi0;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < x) lo = mid + 1; else hi = mid;
    }
    out[i] = lo;
  }
  return u;
}

/** Ordinals of one key column (see KeyOrdinals). */
export function keyOrdinals(col: Column, ascending: boolean, nullsFirst: boolean): KeyOrdinals {
  const n = col.length;
  const ord = new Float64Array(n);
  const validity = col.validity;
  let range: number;
  const kind = col.type.kind;
  if (kind === 'null') return { ord, range: 1 };
  if (kind === 'utf8') {
    const { ranks, distinct } = rankDictionary(col.dict ?? []);
    const codes = col.values as Int32Array;
    if (validity === null) for (let i = 0; i < n; i++) ord[i] = ranks[codes[i]];
    else for (let i = 0; i < n; i++) ord[i] = validity[i] === 0 ? 0 : ranks[codes[i]];
    range = Math.max(1, distinct);
  } else {
    const v = col.values;
    let min = Infinity;
    let max = -Infinity;
    let integral = true;
    if (validity === null) {
      for (let i = 0; i < n; i++) { const x = v[i]; if (x < min) min = x; if (x > max) max = x; }
    } else {
      for (let i = 0; i < n; i++) if (validity[i] !== 0) { const x = v[i]; if (x < min) min = x; if (x > max) max = x; }
    }
    if (kind === 'float64') {
      if (validity === null) { for (let i = 0; i < n; i++) if (!Number.isInteger(v[i])) { integral = false; break; } }
      else for (let i = 0; i < n; i++) if (validity[i] !== 0 && !Number.isInteger(v[i])) { integral = false; break; }
    }
    if (min > max) { // no valid values
      range = 1;
    } else if (integral && max - min < Math.max(2 * n, 1 << 16)) {
      range = max - min + 1;
      if (validity === null) for (let i = 0; i < n; i++) ord[i] = v[i] - min;
      else for (let i = 0; i < n; i++) ord[i] = validity[i] === 0 ? 0 : v[i] - min;
    } else {
      range = Math.max(1, denseRankNumbers(v, validity, n, ord));
    }
  }
  if (!ascending) {
    const top = range - 1;
    for (let i = 0; i < n; i++) ord[i] = top - ord[i];
  }
  if (validity !== null) {
    let hasNull = false;
    for (let i = 0; i < n; i++) if (validity[i] === 0) { hasNull = true; break; }
    if (hasNull) {
      if (nullsFirst) for (let i = 0; i < n; i++) ord[i] = validity[i] === 0 ? 0 : ord[i] + 1;
      else for (let i = 0; i < n; i++) if (validity[i] === 0) ord[i] = range;
      range += 1;
    }
  }
  return { ord, range };
}

/** Dense re-ranking of non-negative integer ordinals (range becomes ≤ n). */
function densify(k: KeyOrdinals): KeyOrdinals {
  const n = k.ord.length;
  const out = new Float64Array(n);
  const u = denseRankNumbers(k.ord, null, n, out);
  return { ord: out, range: Math.max(1, u) };
}

/** One ordinal array whose order is the lexicographic order of all keys (first key most significant). */
export function combineOrdinals(keys: readonly KeyOrdinals[], n: number): KeyOrdinals {
  if (keys.length === 0) return { ord: new Float64Array(n), range: 1 };
  let cur = keys[0];
  for (let k = 1; k < keys.length; k++) {
    const next = keys[k];
    if (next.range === 1) continue;
    if (cur.range * next.range > MAX_EXACT) cur = densify(cur);
    let nxt = next;
    if (cur.range * nxt.range > MAX_EXACT) nxt = densify(nxt);
    const ord = new Float64Array(n);
    const a = cur.ord;
    const b = nxt.ord;
    const r = nxt.range;
    for (let i = 0; i < n; i++) ord[i] = a[i] * r + b[i];
    cur = { ord, range: cur.range * r };
  }
  return cur;
}

/**
 * Permutation that sorts rows by the keys (ties keep input order). `limit` keeps only the first
 * `limit` entries of the result.
 */
export function sortPermutation(keys: readonly KeyOrdinals[], n: number, limit = n): Int32Array {
  let k = combineOrdinals(keys, n);
  const m = Math.min(limit, n);
  if (k.range === 1) {
    const perm = new Int32Array(m);
    for (let i = 0; i < m; i++) perm[i] = i;
    return perm;
  }
  if (k.range * n > MAX_EXACT) k = densify(k);
  const ord = k.ord;
  const perm = new Int32Array(m);
  if (k.range * n <= MAX_EXACT) {
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = ord[i] * n + i;
    packed.sort();
    for (let i = 0; i < m; i++) { const p = packed[i]; perm[i] = p - Math.floor(p / n) * n; }
    return perm;
  }
  // more than ~9e7 rows with as many distinct keys: comparator sort
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => ord[a] - ord[b] || a - b);
  perm.set(idx.subarray(0, m));
  return perm;
}
