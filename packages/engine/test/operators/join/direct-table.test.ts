import { describe, expect, it } from 'vitest';
import { Int32, Float64, Table, vectorFromArray } from 'apache-arrow';
import { SessionContext } from '../../../src/session.js';

// The hash join's direct table (dense integer build keys) and its hash table (sparse keys) must
// give the same rows: the same data joined on k and on k × 1000003 + 7 (too sparse for direct).
const B = 300;
const P = 5000;
const bk = Array.from({ length: B }, (_, i) => (i % 41 === 0 ? null : (i * 7) % 250)); // duplicates and NULLs
const pk = Array.from({ length: P }, (_, i) => (i % 53 === 0 ? null : (i * 13) % 400 - 50)); // misses on both sides of the range

function ctx(): SessionContext {
  const c = new SessionContext({ batchSize: 512, partitions: 1 });
  c.registerArrow('b', new Table({ k: vectorFromArray(bk, new Int32()), s: vectorFromArray(bk.map((k) => (k === null ? null : k * 1000003 + 7)), new Float64()), v: vectorFromArray(bk.map((_, i) => i), new Int32()) }));
  c.registerArrow('p', new Table({ k: vectorFromArray(pk, new Int32()), s: vectorFromArray(pk.map((k) => (k === null ? null : k * 1000003 + 7)), new Float64()), w: vectorFromArray(pk.map((_, i) => i), new Int32()) }));
  return c;
}

async function rows(c: SessionContext, sql: string): Promise<string[]> {
  return (await (await c.sql(sql)).collect()).toArray().map((r) => JSON.stringify(r.toJSON())).sort();
}

describe('hash join: direct table vs hash table', () => {
  for (const [kind, shape] of [
    ['inner', 'SELECT p.w, b.v FROM p JOIN b ON b.KEY = p.KEY'],
    ['left', 'SELECT p.w, b.v FROM p LEFT JOIN b ON b.KEY = p.KEY'],
    ['semi', 'SELECT p.w FROM p WHERE EXISTS (SELECT 1 FROM b WHERE b.KEY = p.KEY)'],
    ['anti', 'SELECT p.w FROM p WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.KEY = p.KEY)'],
  ] as const) {
    it(`${kind} join`, async () => {
      const c = ctx();
      const dense = await rows(c, shape.replaceAll('KEY', 'k'));
      const sparse = await rows(c, shape.replaceAll('KEY', 's'));
      expect(dense).toEqual(sparse);
      // a naive nested loop agrees on the count
      const matches = (k: number | null) => (k === null ? 0 : bk.filter((x) => x === k).length);
      const expected = { inner: pk.reduce<number>((a, k) => a + matches(k), 0), left: pk.reduce<number>((a, k) => a + Math.max(1, matches(k)), 0), semi: pk.filter((k) => matches(k) > 0).length, anti: pk.filter((k) => matches(k) === 0).length }[kind];
      expect(dense).toHaveLength(expected);
    });
  }
});

// A dimension: unique keys filling their span, over 2^16 rows — shuffled, its rows are put in key
// order at build time (the probe then reads no direct table); in order already, used as they are.
describe('hash join: a dense unique build side in key order', () => {
  const N = 70_000;
  const M = 60_000;
  let seed = 5;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const shuffled = Array.from({ length: N }, (_, i) => i + 1);
  for (let i = N - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]; }
  const probe = Array.from({ length: M }, (_, i) => (i % 97 === 0 ? null : Math.floor(rnd() * (N + 200)) - 100));
  function dimCtx(keys: number[]): SessionContext {
    const c = new SessionContext({ partitions: 1 });
    c.registerArrow('d', new Table({ k: vectorFromArray(keys, new Int32()), s: vectorFromArray(keys.map((k) => k * 1000003 + 7), new Float64()), v: vectorFromArray(keys.map((k) => k * 3), new Int32()) }));
    c.registerArrow('p', new Table({ k: vectorFromArray(probe, new Int32()), s: vectorFromArray(probe.map((k) => (k === null ? null : k * 1000003 + 7)), new Float64()), w: vectorFromArray(probe.map((_, i) => i), new Int32()) }));
    return c;
  }
  for (const [order, keys] of [['shuffled', shuffled], ['in order', Array.from({ length: N }, (_, i) => i + 1)]] as const) {
    for (const [kind, shape] of [
      ['inner', 'SELECT p.w, d.v FROM p JOIN d ON d.KEY = p.KEY'],
      ['left', 'SELECT p.w, d.v FROM p LEFT JOIN d ON d.KEY = p.KEY'],
      ['anti', 'SELECT p.w FROM p WHERE NOT EXISTS (SELECT 1 FROM d WHERE d.KEY = p.KEY)'],
    ] as const) {
      it(`${kind} join, build rows ${order}`, async () => {
        const c = dimCtx([...keys]);
        const dense = await rows(c, shape.replaceAll('KEY', 'k'));
        expect(dense).toEqual(await rows(c, shape.replaceAll('KEY', 's')));
        const hit = (k: number | null) => k !== null && k >= 1 && k <= N;
        const expected = { inner: probe.filter(hit).length, left: M, anti: probe.filter((k) => !hit(k)).length }[kind];
        expect(dense).toHaveLength(expected);
        if (kind === 'inner') expect(dense).toContain(JSON.stringify({ w: probe.findIndex(hit), v: probe.find(hit)! * 3 }));
      });
    }
  }
});
