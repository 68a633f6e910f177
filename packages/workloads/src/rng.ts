/**
 * Counter-based randomness: every random value is a pure function of (seed, stream, row index),
 * so a row's content never depends on how rows are cut into batches, and any row range can be
 * generated on its own (a duplicate row simply re-generates its source row).
 *
 * mix32 is Chris Wellons' "lowbias32" integer hash (a bijection on uint32 with low bias); two
 * rounds keyed by the stream give independent-looking streams for neighbouring row indexes.
 */

const TWO32 = 4294967296;

export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** FNV-1a of a string (names of streams). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Key of one random stream for a seed (any integer 0 … 2^53) and a name such as 'transactions.amount'. */
export function streamKey(seed: number, name: string): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO32) >>> 0;
  return mix32(mix32(lo ^ 0x9e3779b9) ^ mix32(hi + 0x85ebca6b) ^ fnv1a(name)) >>> 0;
}

/** uint32 hash of row index `i` (0 … 2^53) in the stream `key`. */
export function hash(key: number, i: number): number {
  const lo = i >>> 0;
  const hi = (i / TWO32) >>> 0;
  return mix32((mix32((lo ^ key) >>> 0) + hi + key) >>> 0);
}

/** Uniform in [0, 1) for row `i` of stream `key` (32 bits of resolution). */
export function unit(key: number, i: number): number {
  return hash(key, i) / TWO32;
}

/** Uniform integer in [0, n) for row `i` of stream `key` (n ≤ 2^32). */
export function below(key: number, i: number, n: number): number {
  return Math.floor(unit(key, i) * n);
}

/** Approximately standard normal (Irwin–Hall of 4 uniforms, rescaled); cheap and bounded to ±3.46. */
export function normal(key: number, i: number): number {
  const a = hash(key, i);
  const b = hash((key ^ 0x27d4eb2d) >>> 0, i);
  // four 16-bit uniforms from two hashes
  const s = (a & 0xffff) + (a >>> 16) + (b & 0xffff) + (b >>> 16) + 2;
  return (s / 65536 - 2) * 1.7320508075688772;
}

/** A sampler over weighted choices: returns the index whose cumulative weight covers u ∈ [0,1). */
export class Weighted {
  private readonly cum: Float64Array;
  constructor(weights: readonly number[]) {
    const total = weights.reduce((a, b) => a + b, 0);
    this.cum = new Float64Array(weights.length);
    let acc = 0;
    for (let i = 0; i < weights.length; i++) {
      acc += weights[i] / total;
      this.cum[i] = acc;
    }
    this.cum[weights.length - 1] = 1;
  }
  pick(u: number): number {
    const c = this.cum;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (u < c[mid]) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/**
 * Zipf-like rank in [1, n] with exponent s ≠ 1 (inverse CDF of the continuous power law on
 * [1, n+1)): rank 1 is the most frequent.
 */
export class Zipf {
  private readonly a: number;
  private readonly inv: number;
  private readonly n: number;
  constructor(n: number, s: number) {
    this.n = n;
    this.a = Math.pow(n + 1, 1 - s) - 1;
    this.inv = 1 / (1 - s);
  }
  rank(u: number): number {
    const r = Math.floor(Math.pow(1 + u * this.a, this.inv));
    return r < 1 ? 1 : r > this.n ? this.n : r;
  }
}
