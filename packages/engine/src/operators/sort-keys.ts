import type { Column } from '../types/column.js';
import { compareStrings } from '../expr/kernels/compare.js';

/**
 * Sort keys as ordinals. Every key column is turned once into a Float64Array of non-negative
 * integers (`ord`) in [0, range) whose ascending order is the requested order of the key:
 * direction, NULLS FIRST/LAST, PostgreSQL's float8 order (NaN above everything, -0 = 0) and
 * code-point string order (dictionary entries ranked once) are all folded in. Equal ordinals
 * mean equal (peer) values. Sorting then never looks at types again: several keys are packed
 * into one integer (k1·r2 + k2 …, densely re-ranked when the product would pass 2^53) and the
 * permutation is a stable LSD radix argsort of that integer (11-bit digits, constant digits
 * skipped), with no comparator calls. Non-integral float8 keys are ranked by a 64-bit radix sort
 * of their order-preserving bit patterns.
 */
export interface KeyOrdinals {
  readonly ord: Float64Array;
  /** Exclusive upper bound of `ord`. */
  readonly range: number;
}

const MAX_EXACT = 2 ** 53;
const TWO32 = 2 ** 32;

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

const DIGIT = 11;
const BUCKETS = 1 << DIGIT;
const MASK = BUCKETS - 1;

/**
 * Stable LSD radix argsort of unsigned keys given as 32-bit halves (`hi` null: keys < 2^32).
 * 11-bit digits; digits that are equal in every key are skipped (all histograms are built in one
 * pass). Consumes `lo` and `hi` (they are used as scratch).
 */
export function radixArgsort(lo: Uint32Array, hi: Uint32Array | null, n: number): Int32Array {
  return radixSort(lo, hi, n, false).perm;
}

/** radixArgsort that also returns the keys in sorted order (`moveKeys`). */
function radixSort(lo: Uint32Array, hi: Uint32Array | null, n: number, moveKeys: boolean): { perm: Int32Array; lo: Uint32Array; hi: Uint32Array | null } {
  const passes: { high: boolean; shift: number }[] = [];
  for (let sh = 0; sh < 32; sh += DIGIT) passes.push({ high: false, shift: sh });
  if (hi !== null) for (let sh = 0; sh < 32; sh += DIGIT) passes.push({ high: true, shift: sh });
  const P = passes.length;
  const hist = new Int32Array(P * BUCKETS);
  for (let i = 0; i < n; i++) {
    const x = lo[i];
    hist[x & MASK]++;
    hist[BUCKETS + ((x >>> 11) & MASK)]++;
    hist[2 * BUCKETS + (x >>> 22)]++;
  }
  if (hi !== null) {
    for (let i = 0; i < n; i++) {
      const x = hi[i];
      hist[3 * BUCKETS + (x & MASK)]++;
      hist[4 * BUCKETS + ((x >>> 11) & MASK)]++;
      hist[5 * BUCKETS + (x >>> 22)]++;
    }
  }
  let idx: Int32Array = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  let idx2: Int32Array | null = null;
  let lo2: Uint32Array | null = null;
  let hi2: Uint32Array | null = null;
  // the last pass that matters: later passes need no key movement
  let lastPass = -1;
  for (let p = 0; p < P; p++) {
    const h = hist.subarray(p * BUCKETS, (p + 1) * BUCKETS);
    let constant = false;
    for (let b = 0; b < BUCKETS; b++) if (h[b] !== 0) { constant = h[b] === n; break; }
    if (!constant) lastPass = p;
  }
  const off = new Int32Array(BUCKETS);
  for (let p = 0; p <= lastPass; p++) {
    const h = hist.subarray(p * BUCKETS, (p + 1) * BUCKETS);
    let constant = false;
    for (let b = 0; b < BUCKETS; b++) if (h[b] !== 0) { constant = h[b] === n; break; }
    if (constant) continue;
    let sum = 0;
    for (let b = 0; b < BUCKETS; b++) { off[b] = sum; sum += h[b]; }
    idx2 ??= new Int32Array(n);
    const { high, shift } = passes[p];
    const key = high ? hi! : lo;
    if (p === lastPass && !moveKeys) {
      for (let i = 0; i < n; i++) idx2[off[(key[i] >>> shift) & MASK]++] = idx[i];
    } else {
      lo2 ??= new Uint32Array(n);
      if (hi !== null) hi2 ??= new Uint32Array(n);
      if (hi === null) {
        for (let i = 0; i < n; i++) { const x = lo[i]; const pos = off[(x >>> shift) & MASK]++; idx2[pos] = idx[i]; lo2[pos] = x; }
      } else {
        const h2 = hi2!;
        for (let i = 0; i < n; i++) { const pos = off[(key[i] >>> shift) & MASK]++; idx2[pos] = idx[i]; lo2[pos] = lo[i]; h2[pos] = hi[i]; }
        const t = hi; hi = h2; hi2 = t;
      }
      const t = lo; lo = lo2; lo2 = t;
    }
    const t = idx; idx = idx2; idx2 = t;
  }
  return { perm: idx, lo, hi };
}

/** Argsort of non-negative integer keys below 2^53 (stable). */
function argsortInts(ord: Float64Array, range: number): Int32Array {
  const n = ord.length;
  const lo = new Uint32Array(n);
  if (range <= TWO32) {
    for (let i = 0; i < n; i++) lo[i] = ord[i];
    return radixArgsort(lo, null, n);
  }
  const hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) { const x = ord[i]; const h = Math.floor(x / TWO32); hi[i] = h; lo[i] = x - h * TWO32; }
  return radixArgsort(lo, hi, n);
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Dense ranks of the valid values of a numeric column, written into `out` (ascending; NaN above
 * everything, -0 = 0; PostgreSQL's float8 order). Returns the number of distinct values.
 */
function denseRankNumbers(values: ArrayLike<number>, validity: Uint8Array | null, n: number, out: Float64Array): number {
  // order-preserving unsigned 64-bit image of each double
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  const L = LITTLE ? 0 : 1;
  const H = 1 - L;
  for (let i = 0; i < n; i++) {
    let x = validity !== null && validity[i] === 0 ? 0 : values[i];
    if (x !== x) x = NaN; // canonical NaN
    else if (x === 0) x = 0; // -0 → 0
    F64[0] = x;
    const h = U32[H];
    const l = U32[L];
    if (h >>> 31) { hi[i] = ~h >>> 0; lo[i] = ~l >>> 0; } else { hi[i] = (h | 0x80000000) >>> 0; lo[i] = l; }
  }
  const sorted = radixSort(lo, hi, n, true);
  const perm = sorted.perm;
  const keyHi = sorted.hi!;
  const keyLo = sorted.lo;
  let r = -1;
  let ph = -1;
  let pl = -1;
  for (let k = 0; k < n; k++) {
    const i = perm[k];
    if (validity !== null && validity[i] === 0) continue;
    const h = keyHi[k];
    const l = keyLo[k];
    if (h !== ph || l !== pl) { r++; ph = h; pl = l; }
    out[i] = r;
  }
  return r + 1;
}

/** Dense ranks of non-negative integer ordinals (by radix argsort and one walk). */
function denseRankInts(ord: Float64Array, range: number, out: Float64Array): number {
  const n = ord.length;
  const perm = argsortInts(ord, range);
  let r = -1;
  let prev = -1;
  for (let k = 0; k < n; k++) {
    const i = perm[k];
    const x = ord[i];
    if (x !== prev) { r++; prev = x; }
    out[i] = r;
  }
  return r + 1;
}

/** Ordinals of one key column (see KeyOrdinals). */
export function keyOrdinals(col: Column, ascending: boolean, nullsFirst: boolean): KeyOrdinals {
  const n = col.length;
  const ord = new Float64Array(n);
  const validity = col.validity;
  let range: number;
  let flipped = false;
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
    } else if (integral && max - min < MAX_EXACT / 4) {
      range = max - min + 1;
      // descending: max - x directly, saving the flip pass below
      const base = ascending ? min : max;
      const sign = ascending ? 1 : -1;
      if (validity === null) for (let i = 0; i < n; i++) ord[i] = (v[i] - base) * sign;
      else for (let i = 0; i < n; i++) ord[i] = validity[i] === 0 ? 0 : (v[i] - base) * sign;
      flipped = !ascending;
    } else {
      range = Math.max(1, denseRankNumbers(v, validity, n, ord));
    }
  }
  if (!ascending && !flipped) {
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
  const u = denseRankInts(k.ord, k.range, out);
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
 * Permutation that sorts rows by the keys (stable: ties keep input order). `limit` keeps only
 * the first `limit` entries of the result.
 */
export function sortPermutation(keys: readonly KeyOrdinals[], n: number, limit = n): Int32Array {
  const k = combineOrdinals(keys, n);
  const m = Math.min(limit, n);
  if (k.range === 1) {
    const perm = new Int32Array(m);
    for (let i = 0; i < m; i++) perm[i] = i;
    return perm;
  }
  const perm = argsortInts(k.ord, k.range);
  return m === n ? perm : perm.slice(0, m);
}

/** A stable sort of integer ordinals below 2^53 with the keys themselves in sorted order. */
export interface SortedOrdinals {
  readonly perm: Int32Array;
  /** The key of sorted position s is hi[s]·2^32 + lo[s] (hi null: lo[s]). */
  readonly lo: Uint32Array;
  readonly hi: Uint32Array | null;
}

/**
 * sortPermutation for one ordinal array that also returns the keys in sorted order, so a caller
 * walking the sorted rows (window partitions and peers) reads them sequentially instead of
 * gathering key[perm[s]], a cache miss per row once the keys outgrow the cache.
 */
export function sortOrdinals(k: KeyOrdinals): SortedOrdinals {
  const n = k.ord.length;
  const ord = k.ord;
  const lo = new Uint32Array(n);
  if (k.range <= TWO32) {
    for (let i = 0; i < n; i++) lo[i] = ord[i];
    return radixSort(lo, null, n, true);
  }
  const hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) { const x = ord[i]; const h = Math.floor(x / TWO32); hi[i] = h; lo[i] = x - h * TWO32; }
  return radixSort(lo, hi, n, true);
}
