import { allocValues, makeColumn, type Column } from '../../types/column.js';
import type { DataType } from '../../types/data-type.js';
import type { WindowFn } from '../../logical/expr.js';
import { POW10 } from '../../expr/util.js';
import { keyOrdinals, rankDictionary } from '../sort-keys.js';
import type { Frames, SortedLayout } from './frames.js';

const MAX_EXACT = 2 ** 53;

/** row_number / rank / dense_rank (frames do not apply), in input-row order. */
export function rankingColumn(fn: 'row_number' | 'rank' | 'dense_rank', type: DataType, L: SortedLayout): Column {
  const { n, perm, partStart, peerStart } = L;
  const out = allocValues(type, n);
  if (fn === 'row_number') {
    for (let s = 0; s < n; s++) out[perm[s]] = s - partStart[s] + 1;
  } else if (fn === 'rank') {
    for (let s = 0; s < n; s++) out[perm[s]] = peerStart[s] - partStart[s] + 1;
  } else {
    let d = 0;
    for (let s = 0; s < n; s++) {
      if (s === partStart[s]) d = 1;
      else if (s === peerStart[s]) d++;
      out[perm[s]] = d;
    }
  }
  return makeColumn(type, out, null);
}

/** Non-NULL counts per frame: prefix counts of valid argument rows in sorted order. */
function validPrefix(arg: Column | null, perm: Int32Array): Int32Array {
  const n = perm.length;
  const c = new Int32Array(n + 1);
  const v = arg === null ? null : arg.validity;
  if (arg !== null && arg.type.kind === 'null') return c;
  for (let s = 0; s < n; s++) c[s + 1] = c[s] + (v === null ? 1 : v[perm[s]]);
  return c;
}

/**
 * An aggregate over each row's frame: count, count_star, sum, avg, min, max. NULL arguments are
 * ignored; sum/avg/min/max of a frame without values is NULL, count is 0.
 */
export function aggregateColumn(fn: 'sum' | 'avg' | 'count' | 'count_star' | 'min' | 'max', arg: Column | null, type: DataType, L: SortedLayout, F: Frames): Column {
  const { n, perm } = L;
  const { start, end } = F;
  if (fn === 'count_star') {
    const out = allocValues(type, n);
    for (let s = 0; s < n; s++) out[perm[s]] = end[s] - start[s];
    return makeColumn(type, out, null);
  }
  const cnt = validPrefix(arg, perm);
  if (fn === 'count') {
    const out = allocValues(type, n);
    for (let s = 0; s < n; s++) out[perm[s]] = cnt[end[s]] - cnt[start[s]];
    return makeColumn(type, out, null);
  }
  const a = arg!;
  if (fn === 'min' || fn === 'max') return minMax(fn === 'max', a, type, L, F, cnt);
  // sum / avg
  const out = new Float64Array(n);
  const validity = new Uint8Array(n);
  let anyNull = false;
  const sums = a.type.kind === 'float64' ? floatSums(a, L, F) : exactSums(a, L, F);
  const divisor = a.type.kind === 'decimal' ? POW10[a.type.scale] : 1;
  for (let s = 0; s < n; s++) {
    const r = perm[s];
    const c = cnt[end[s]] - cnt[start[s]];
    if (c === 0) { anyNull = true; continue; }
    validity[r] = 1;
    out[r] = fn === 'sum' ? sums[s] : sums[s] / divisor / c;
  }
  return makeColumn(type, out, anyNull ? validity : null); // int64, decimal and float64 all live in Float64Array
}

/** Argument values in sorted order with NULLs as 0. */
function sortedValues(a: Column, perm: Int32Array): Float64Array {
  const n = perm.length;
  const v = a.values;
  const valid = a.validity;
  const out = new Float64Array(n);
  if (valid === null) for (let s = 0; s < n; s++) out[s] = v[perm[s]];
  else for (let s = 0; s < n; s++) { const r = perm[s]; out[s] = valid[r] === 0 ? 0 : v[r]; }
  return out;
}

/**
 * float8 sums added left to right in frame order, as PostgreSQL does (float8 sum has no inverse
 * transition, so sliding frames are re-summed; anchored frames use a running sum).
 */
function floatSums(a: Column, L: SortedLayout, F: Frames): Float64Array {
  const { n, partStart } = L;
  const { start, end, anchored } = F;
  const x = sortedValues(a, L.perm);
  const valid = a.validity;
  const perm = L.perm;
  const out = new Float64Array(n);
  if (anchored) {
    // run[s] = sum of x[partStart..s]
    const run = new Float64Array(n);
    for (let s = 0; s < n; s++) {
      const isValid = valid === null || valid[perm[s]] !== 0;
      const prev = s === partStart[s] ? 0 : run[s - 1];
      run[s] = isValid ? prev + x[s] : prev;
    }
    for (let s = 0; s < n; s++) out[s] = end[s] > start[s] ? run[end[s] - 1] : 0;
    return out;
  }
  for (let s = 0; s < n; s++) {
    let t = 0;
    const e = end[s];
    if (valid === null) for (let j = start[s]; j < e; j++) t += x[j];
    else for (let j = start[s]; j < e; j++) if (valid[perm[j]] !== 0) t += x[j];
    out[s] = t;
  }
  return out;
}

/** Exact sums of unscaled integers via prefix sums (BigInt when they pass 2^53). */
function exactSums(a: Column, L: SortedLayout, F: Frames): Float64Array {
  const { n } = L;
  const { start, end } = F;
  const x = sortedValues(a, L.perm);
  const out = new Float64Array(n);
  let absTotal = 0;
  for (let s = 0; s < n; s++) absTotal += Math.abs(x[s]);
  if (absTotal < MAX_EXACT) {
    const p = new Float64Array(n + 1);
    for (let s = 0; s < n; s++) p[s + 1] = p[s] + x[s];
    for (let s = 0; s < n; s++) out[s] = p[end[s]] - p[start[s]];
    return out;
  }
  const p: bigint[] = new Array<bigint>(n + 1);
  p[0] = 0n;
  for (let s = 0; s < n; s++) p[s + 1] = p[s] + BigInt(x[s]);
  for (let s = 0; s < n; s++) out[s] = Number(p[end[s]] - p[start[s]]);
  return out;
}

/** Per-row keys where smaller is better: raw numbers (negated for max), dictionary ranks for strings, ordinals when NaN occurs. */
function minMaxKeys(a: Column, isMax: boolean): Float64Array {
  const n = a.length;
  if (a.type.kind === 'utf8') {
    const { ranks } = rankDictionary(a.dict ?? []);
    const codes = a.values as Int32Array;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = isMax ? -ranks[codes[i]] : ranks[codes[i]];
    return out;
  }
  const v = a.values;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x !== x) return keyOrdinals(a, !isMax, false).ord;
    out[i] = isMax ? -x : x;
  }
  return out;
}

/**
 * min/max through ordinals of the argument (so every type, NaN and string order behave as in
 * ORDER BY): anchored frames keep a running best per partition, sliding frames a monotonic deque.
 * The result is the argument value at the best row.
 */
function minMax(isMax: boolean, a: Column, type: DataType, L: SortedLayout, F: Frames, cnt: Int32Array): Column {
  const { n, perm, partStart } = L;
  const { start, end, anchored } = F;
  const ord = minMaxKeys(a, isMax); // smaller = better
  const valid = a.validity;
  const o = new Float64Array(n);
  for (let s = 0; s < n; s++) o[s] = ord[perm[s]];
  const best = new Int32Array(n).fill(-1); // sorted position of the best value in the frame
  if (anchored) {
    const run = new Int32Array(n);
    for (let s = 0; s < n; s++) {
      const prev = s === partStart[s] ? -1 : run[s - 1];
      const ok = valid === null || valid[perm[s]] !== 0;
      run[s] = ok && (prev < 0 || o[s] < o[prev]) ? s : prev;
    }
    for (let s = 0; s < n; s++) if (end[s] > start[s]) best[s] = run[end[s] - 1];
  } else {
    const dq = new Int32Array(n);
    let head = 0;
    let tail = 0;
    let next = 0; // next sorted position to push
    for (let s = 0; s < n; s++) {
      if (s === partStart[s]) { head = 0; tail = 0; next = s; }
      const fe = end[s];
      if (next < start[s]) next = start[s];
      while (next < fe) {
        if (valid === null || valid[perm[next]] !== 0) {
          while (tail > head && o[dq[tail - 1]] > o[next]) tail--;
          dq[tail++] = next;
        }
        next++;
      }
      while (head < tail && dq[head] < start[s]) head++;
      if (head < tail && cnt[fe] - cnt[start[s]] > 0) best[s] = dq[head];
    }
  }
  const out = allocValues(type, n);
  const v = a.values;
  let validity: Uint8Array | null = null;
  for (let s = 0; s < n; s++) {
    const r = perm[s];
    const b = best[s];
    if (b < 0) { validity ??= new Uint8Array(n).fill(1); validity[r] = 0; continue; }
    out[r] = v[perm[b]];
  }
  return makeColumn(type, out, validity, a.dict);
}

/** ntile / percent_rank / cume_dist (frames do not apply), in input-row order. */
export function distributionColumn(fn: 'ntile' | 'percent_rank' | 'cume_dist', type: DataType, L: SortedLayout, buckets: number): Column {
  const { n, perm, partStart, partEnd, peerStart, peerEnd } = L;
  const out = allocValues(type, n);
  if (fn === 'ntile') {
    for (let s = 0; s < n; s++) {
      const size = partEnd[s] - partStart[s];
      const i = s - partStart[s];
      const q = Math.floor(size / buckets);
      const r = size - q * buckets;
      // the first r buckets hold q + 1 rows, the rest q (PostgreSQL's ntile)
      out[perm[s]] = i < r * (q + 1) ? Math.floor(i / (q + 1)) + 1 : r + Math.floor((i - r * (q + 1)) / q) + 1;
    }
  } else if (fn === 'percent_rank') {
    for (let s = 0; s < n; s++) {
      const size = partEnd[s] - partStart[s];
      out[perm[s]] = size <= 1 ? 0 : (peerStart[s] - partStart[s]) / (size - 1);
    }
  } else {
    for (let s = 0; s < n; s++) out[perm[s]] = (peerEnd[s] - partStart[s]) / (partEnd[s] - partStart[s]);
  }
  return makeColumn(type, out, null);
}

/**
 * Source row (input-row index, -1 = none) of every row for the value functions: lag/lead (offset
 * rows before/after within the partition; frames do not apply), first_value / last_value /
 * nth_value (a row of the frame; none when the frame is too short).
 */
export function valueSourceRows(
  fn: 'lag' | 'lead' | 'first_value' | 'last_value' | 'nth_value', L: SortedLayout, F: Frames | null, offset: number,
): Int32Array {
  const { n, perm, partStart, partEnd } = L;
  const src = new Int32Array(n);
  if (fn === 'lag' || fn === 'lead') {
    const d = fn === 'lag' ? -offset : offset;
    for (let s = 0; s < n; s++) {
      const t = s + d;
      src[perm[s]] = t >= partStart[s] && t < partEnd[s] ? perm[t] : -1;
    }
    return src;
  }
  const { start, end } = F!;
  for (let s = 0; s < n; s++) {
    const t = fn === 'first_value' ? start[s] : fn === 'last_value' ? end[s] - 1 : start[s] + offset - 1;
    src[perm[s]] = t >= start[s] && t < end[s] ? perm[t] : -1;
  }
  return src;
}

/**
 * Gathers `arg` at `src` rows; rows with src = -1 take `dflt` (same row) or NULL. Strings keep
 * dictionary encoding: the default's dictionary is appended to the argument's.
 */
export function gatherWithDefault(arg: Column, src: Int32Array, dflt: Column | null, type: DataType): Column {
  const n = src.length;
  const out = allocValues(type, n);
  const av = arg.values;
  const avalid = arg.validity;
  const validity = new Uint8Array(n);
  let anyNull = false;
  let dict = arg.dict;
  let codeShift = 0;
  if (type.kind === 'utf8' && dflt !== null) {
    dict = [...(arg.dict ?? []), ...(dflt.dict ?? [])];
    codeShift = arg.dict?.length ?? 0;
  }
  const dv = dflt === null ? null : dflt.values;
  const dvalid = dflt === null ? null : dflt.validity;
  for (let i = 0; i < n; i++) {
    const r = src[i];
    if (r >= 0) {
      if (avalid !== null && avalid[r] === 0) { anyNull = true; continue; }
      out[i] = av[r];
      validity[i] = 1;
    } else if (dv !== null && (dvalid === null || dvalid[i] !== 0)) {
      out[i] = dv[i] + codeShift;
      validity[i] = 1;
    } else {
      anyNull = true;
    }
  }
  return makeColumn(type, out, anyNull ? validity : null, type.kind === 'utf8' ? dict ?? [] : undefined);
}
