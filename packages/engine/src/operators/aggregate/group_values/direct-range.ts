/**
 * A typed array indexed by `key − base` over integer keys whose range grows batch by batch: the
 * primitive group values' key → group array and the DISTINCT bitmap. It grows from the keys' own
 * range (not the allocation's), with headroom only on the side the range widens, so keys arriving
 * in order (ids) re-copy it at doublings only. Headroom on both sides of the allocation used to
 * add up until the span passed the limit and the caller fell back to hashing.
 */
export class DirectRange<A extends Int32Array | Uint8Array> {
  /** null until the first key. */
  array: A | null = null;
  base = 0;
  /** Smallest and largest key covered so far (meaningful once `array` is set). */
  lo = 0;
  hi = 0;

  /** `alloc(n)`: a fresh array of n empty slots. */
  constructor(private readonly alloc: (length: number) => A) {}

  /** Makes the array cover keys lo..hi; false, changing nothing, when the keys' span would pass `limit`. */
  cover(lo: number, hi: number, limit: number): boolean {
    const a = this.array;
    if (a !== null && lo >= this.base && hi <= this.base + a.length - 1) {
      if (lo < this.lo) this.lo = lo;
      if (hi > this.hi) this.hi = hi;
      return true;
    }
    const growsUp = a !== null && hi > this.base + a.length - 1;
    const newLo = a === null ? lo : Math.min(lo, this.lo);
    const newHi = a === null ? hi : Math.max(hi, this.hi);
    const span = newHi - newLo + 1;
    if (!(span <= limit)) return false;
    const want = a === null ? span : Math.min(limit, Math.max(span * 2, 64));
    const base = a === null || growsUp ? newLo : newHi - want + 1;
    const next = this.alloc(want);
    if (a !== null) next.set(a.subarray(this.lo - this.base, this.hi - this.base + 1), this.lo - base);
    this.array = next;
    this.base = base;
    this.lo = newLo;
    this.hi = newHi;
    return true;
  }

  clear(): void {
    this.array = null;
  }

  size(): number {
    return this.array === null ? 0 : this.array.byteLength;
  }
}
