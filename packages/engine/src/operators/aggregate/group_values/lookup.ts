/**
 * The per-row loops of the group-value classes, each in a function of its own with nothing after
 * the loop but its result. Why: V8 compiles a long loop's first call on the stack (OSR) before the
 * code after the loop ever ran; with that code in the same function, the cached OSR code then
 * deoptimized on every batch ("insufficient type feedback" at the first use of the loop's result),
 * hundreds of times a query. The callers, without long loops, are compiled with full feedback.
 */

/** out[i] = map[codes[i]]; returns the OR of all, negative when a code has no id yet. */
export function remapCodes(map: Int32Array, codes: Int32Array, out: Int32Array, n: number): number {
  let neg = 0;
  for (let i = 0; i < n; i++) {
    const g = map[codes[i]];
    out[i] = g;
    neg |= g;
  }
  return neg;
}

/**
 * Returned by the direct lookups when a value falls outside the direct array: 2^30, which no OR of
 * ids reaches (ids index arrays far below 2^30 entries) and which is not negative.
 */
export const OUTSIDE = 0x40000000;

/**
 * out[i] = dm[v[i] - base] for NULL-free int32 values; the OR of the ids (negative: some value has
 * none yet), or OUTSIDE as soon as a value is outside the array.
 */
export function directLookupI32(dm: Int32Array, base: number, v: Int32Array, out: Int32Array, n: number): number {
  const len = dm.length;
  let neg = 0;
  for (let i = 0; i < n; i++) {
    const k = v[i] - base;
    if (k >>> 0 >= len) return OUTSIDE;
    const g = dm[k];
    out[i] = g;
    neg |= g;
  }
  return neg;
}

/** As directLookupI32 for doubles, NULL rows (validity 0) written as -1 for the caller's fix-up. */
export function directLookupF64(dm: Int32Array, base: number, v: Float64Array, validity: Uint8Array | null, out: Int32Array, n: number): number {
  const len = dm.length;
  let neg = 0;
  for (let i = 0; i < n; i++) {
    if (validity !== null && validity[i] === 0) {
      out[i] = -1;
      neg = -1;
      continue;
    }
    const k = v[i] - base;
    if (!(k >= 0 && k < len)) return OUTSIDE;
    const g = dm[k];
    out[i] = g;
    neg |= g;
  }
  return neg;
}

/** As directLookupI32 with NULL rows written as -1 for the caller's fix-up. */
export function directLookupI32Nullable(dm: Int32Array, base: number, v: Int32Array, validity: Uint8Array, out: Int32Array, n: number): number {
  const len = dm.length;
  let neg = 0;
  for (let i = 0; i < n; i++) {
    if (validity[i] === 0) {
      out[i] = -1;
      neg = -1;
      continue;
    }
    const k = v[i] - base;
    if (k >>> 0 >= len) return OUTSIDE;
    const g = dm[k];
    out[i] = g;
    neg |= g;
  }
  return neg;
}

/** Smallest and largest valid value of v[0..n) into RANGE (lo Infinity when none is valid). */
export const RANGE = { lo: Infinity, hi: -Infinity };
export function valueRange(v: ArrayLike<number>, validity: Uint8Array | null, n: number): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    if (validity !== null && validity[i] === 0) continue;
    const x = v[i];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  RANGE.lo = lo;
  RANGE.hi = hi;
}

/**
 * out[i] = dm[v[i] - base] for values the array is known to cover, NULL rows written as -1;
 * returns the OR of the ids (negative: some row needs the caller's fix-up).
 */
export function coveredLookup(dm: Int32Array, base: number, v: ArrayLike<number>, validity: Uint8Array | null, out: Int32Array, n: number): number {
  let neg = 0;
  if (validity === null) {
    for (let i = 0; i < n; i++) {
      const g = dm[v[i] - base];
      out[i] = g;
      neg |= g;
    }
    return neg;
  }
  for (let i = 0; i < n; i++) {
    const g = validity[i] === 0 ? -1 : dm[v[i] - base];
    out[i] = g;
    neg |= g;
  }
  return neg;
}
