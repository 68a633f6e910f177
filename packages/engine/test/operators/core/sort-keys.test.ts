import { describe, expect, it } from 'vitest';
import { radixArgsort, keyOrdinals, sortPermutation } from '../../../src/operators/sort-keys.js';
import { makeColumn } from '../../../src/types/column.js';
import { FLOAT64, INT64 } from '../../../src/types/data-type.js';

describe('sort-keys', () => {
  it('radixArgsort is a stable argsort of 32- and 64-bit keys', () => {
    let s = 42;
    const r = () => { s = (s * 1664525 + 1013904223) >>> 0; return s; };
    for (const n of [0, 1, 5, 3000]) {
      for (const wide of [false, true]) {
        const lo = new Uint32Array(n);
        const hi = new Uint32Array(n);
        for (let i = 0; i < n; i++) { lo[i] = r() % 7 === 0 ? 5 : r(); hi[i] = r() % 4; }
        const key = (i: number) => (wide ? hi[i] * 2 ** 32 : 0) + lo[i];
        const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => key(a) - key(b) || a - b);
        const keys = Array.from({ length: n }, (_, i) => key(i));
        const perm = radixArgsort(lo.slice(), wide ? hi.slice() : null, n);
        expect(Array.from(perm).map((i) => keys[i])).toEqual(expected.map((i) => keys[i]));
        expect(Array.from(perm)).toEqual(expected);
      }
    }
  });

  it('orders float8 like PostgreSQL (-Inf < … < -0 = 0 < … < Inf < NaN) with NULLs placed', () => {
    const vals = [NaN, 1.5, -0, Infinity, 0, -Infinity, -2.25, 0, NaN];
    const validity = Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 0, 1]);
    const c = makeColumn(FLOAT64, Float64Array.from(vals), validity);
    const asc = sortPermutation([keyOrdinals(c, true, false)], vals.length);
    expect(Array.from(asc).map((i) => (validity[i] ? vals[i] : null))).toEqual([-Infinity, -2.25, -0, 0, 1.5, Infinity, NaN, NaN, null]);
    const k = keyOrdinals(c, false, true);
    expect(k.ord[2]).toBe(k.ord[4]); // -0 and 0 are peers
    const desc = sortPermutation([k], vals.length);
    expect(Array.from(desc).map((i) => (validity[i] ? vals[i] : null))).toEqual([null, NaN, NaN, Infinity, 1.5, -0, 0, -2.25, -Infinity]);
  });

  it('combines several wide keys (re-ranking past 2^53)', () => {
    const n = 200;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) { a[i] = (i % 3) * 1e15; b[i] = ((i * 7) % 5) * 1e14 - 3e14; c[i] = (i * 13) % 11 * 1e13; }
    const keys = [keyOrdinals(makeColumn(INT64, a), true, false), keyOrdinals(makeColumn(INT64, b), false, false), keyOrdinals(makeColumn(INT64, c), true, false)];
    const perm = Array.from(sortPermutation(keys, n));
    const expected = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[x] - a[y] || b[y] - b[x] || c[x] - c[y] || x - y);
    expect(perm).toEqual(expected);
  });
});
