import { describe, expect, it } from 'vitest';
import { Int32, Float64, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { SessionContext } from '../../../src/session.js';

/** COUNT/SUM(DISTINCT x) over one group: the bitmap path, its switch to the hash set, NULLs, groups arriving late. */
function session(x: (number | null)[], g: string[], batchSize: number, float = false): SessionContext {
  const ctx = new SessionContext({ batchSize });
  ctx.registerArrow('t', new Table({ x: vectorFromArray(x, float ? new Float64() : new Int32()), g: vectorFromArray(g, new Utf8()) }));
  return ctx;
}

async function one(ctx: SessionContext, sql: string): Promise<Record<string, unknown>[]> {
  return (await (await ctx.sql(sql)).collect()).toArray().map((r) => ({ ...r.toJSON() }));
}

describe('DISTINCT over one group', () => {
  const n = 5000;
  const dense = Array.from({ length: n }, (_, i) => (i % 97 === 0 ? null : ((i * 7919) % 1500) - 700));
  const expectCount = (xs: (number | null)[]) => new Set(xs.filter((v) => v !== null)).size;
  const expectSum = (xs: (number | null)[]) => [...new Set(xs.filter((v) => v !== null))].reduce((a, b) => a! + b!, 0);

  for (const batchSize of [64, 10_000]) {
    it(`dense integers with NULLs and negatives, batches of ${batchSize}`, async () => {
      const ctx = session(dense, dense.map(() => 'a'), batchSize);
      const [r] = await one(ctx, 'SELECT count(DISTINCT x) AS c, sum(DISTINCT x) AS s, count(*) AS n FROM t');
      expect(Number(r!.c)).toBe(expectCount(dense));
      expect(Number(r!.s)).toBe(expectSum(dense));
      expect(Number(r!.n)).toBe(n);
    });
  }

  it('a value far outside the range moves the bitmap into the hash set without losing values', async () => {
    const xs = [...dense.slice(0, 2000), 2_000_000_000, -2_000_000_000, ...dense.slice(0, 3000)];
    const ctx = session(xs, xs.map(() => 'a'), 128);
    const [r] = await one(ctx, 'SELECT count(DISTINCT x) AS c, sum(DISTINCT x) AS s FROM t');
    expect(Number(r!.c)).toBe(expectCount(xs));
    expect(Number(r!.s)).toBe(expectSum(xs));
  });

  it('groups that appear after the first batches keep the first group\'s values', async () => {
    const g = dense.map((_, i) => (i < 1000 ? 'a' : i % 2 === 0 ? 'a' : 'b'));
    const ctx = session(dense, g, 100);
    const got = await one(ctx, 'SELECT g, count(DISTINCT x) AS c FROM t GROUP BY g ORDER BY g');
    const want = ['a', 'b'].map((k) => ({ g: k, c: expectCount(dense.filter((_, i) => g[i] === k)) }));
    expect(got.map((r) => ({ g: r.g, c: Number(r.c) }))).toEqual(want);
  });

  it('floats stay on the hash set', async () => {
    const xs = dense.map((v) => (v === null ? null : v / 4));
    const ctx = session(xs, xs.map(() => 'a'), 256, true);
    const [r] = await one(ctx, 'SELECT count(DISTINCT x) AS c FROM t');
    expect(Number(r!.c)).toBe(expectCount(xs));
  });
});
