import { describe, expect, it } from 'vitest';
import { buildLayout, buildLayoutSorted } from '../../../src/operators/window/frames.js';
import { sortOrdinals, sortPermutation, keyOrdinals } from '../../../src/operators/sort-keys.js';
import { makeColumn } from '../../../src/types/column.js';
import { FLOAT64, INT32 } from '../../../src/types/data-type.js';

/** Seeded LCG, so a failure reproduces. */
function rng(seed: number): () => number {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

describe('window layout from sorted keys', () => {
  it('finds the same partitions and peers as the gather-based layout', () => {
    const rnd = rng(7);
    for (const [n, parts, orders] of [[1, 1, 1], [50, 1, 5], [500, 7, 1], [2000, 13, 40], [3000, 400, 3000]] as const) {
      const pv = Int32Array.from({ length: n }, () => (rnd() * parts) | 0);
      const ov = Float64Array.from({ length: n }, () => ((rnd() * orders) | 0) * 0.5 - 3);
      const validity = Uint8Array.from({ length: n }, () => (rnd() < 0.1 ? 0 : 1));
      const part = keyOrdinals(makeColumn(INT32, pv), true, false);
      const order = keyOrdinals(makeColumn(FLOAT64, ov, validity), false, true);
      const reference = buildLayout(sortPermutation([part, order], n), part.ord, order.ord);
      const key = Float64Array.from(part.ord, (p, i) => p * order.range + order.ord[i]);
      const sorted = sortOrdinals({ ord: key, range: part.range * order.range });
      const got = buildLayoutSorted(sorted.perm, sorted.lo, sorted.hi, order.range);
      expect(Array.from(got.perm)).toEqual(Array.from(reference.perm));
      expect(Array.from(got.partStart)).toEqual(Array.from(reference.partStart));
      expect(Array.from(got.peerStart)).toEqual(Array.from(reference.peerStart));
      expect(Array.from(got.partEnd)).toEqual(Array.from(reference.partEnd));
      expect(Array.from(got.peerEnd)).toEqual(Array.from(reference.peerEnd));
    }
  });

  it('keys past 2^32 keep their high halves', () => {
    const ord = Float64Array.from([2 ** 40 + 5, 3, 2 ** 40 + 5, 2 ** 33, 3]);
    const s = sortOrdinals({ ord, range: 2 ** 41 });
    expect(Array.from(s.perm)).toEqual([1, 4, 3, 0, 2]);
    const L = buildLayoutSorted(s.perm, s.lo, s.hi, 2 ** 20); // partition = key / 2^20
    expect(Array.from(L.partStart)).toEqual([0, 0, 2, 3, 3]);
    expect(Array.from(L.peerStart)).toEqual([0, 0, 2, 3, 3]);
    expect(Array.from(L.partEnd)).toEqual([2, 2, 3, 5, 5]);
  });
});
