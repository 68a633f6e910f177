/**
 * Hashing of numbers for open-addressing tables over typed arrays. Integers in int32 range hash
 * through one 32-bit finalizer; other doubles mix their two 32-bit halves. Equal numbers hash
 * equally whatever array they came from (int32 column vs float64 column), -0 hashes as 0.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hashNumber(x: number): number {
  if ((x | 0) === x) return mix32(x);
  if (x !== x) return 0x7ff80000;
  f64[0] = x;
  return mix32(u32[0] ^ Math.imul(u32[1], 0x9e3779b1));
}

/** Combines a running hash with the next component's hash. */
export function combineHash(h: number, next: number): number {
  return mix32((Math.imul(h, 31) + next) | 0);
}

export function tableCapacityFor(n: number): number {
  let c = 16;
  while (c < n * 2) c *= 2;
  return c;
}
