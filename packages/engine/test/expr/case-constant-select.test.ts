import { describe, expect, it } from 'vitest';
import { Int32, Table, vectorFromArray } from 'apache-arrow';
import { SessionContext } from '../../src/session.js';

// CASE WHEN c THEN <const> ELSE <const> END takes a one-pass select; NULL conditions go to ELSE.
describe('CASE with constant branches', () => {
  it('counts, decimal and float constants, NULL conditions', async () => {
    const x = Array.from({ length: 1000 }, (_, i) => (i % 9 === 0 ? null : (i % 5) - 2));
    const ctx = new SessionContext({ batchSize: 128 });
    ctx.registerArrow('t', new Table({ x: vectorFromArray(x, new Int32()) }));
    const r = (await (await ctx.sql(
      'SELECT sum(CASE WHEN x > 0 THEN 1 ELSE 0 END) AS pos, sum(CASE WHEN x IS NULL THEN 1 ELSE 0 END) AS nulls, ' +
      'sum(CASE WHEN x < 0 THEN 1.25 ELSE 0.50 END) AS dec, sum(CASE WHEN x = 0 THEN 0.5::float8 ELSE 2 END) AS f, ' +
      'count(CASE WHEN x > 0 THEN true ELSE false END) AS n FROM t',
    )).collectText()).rows[0]!;
    const pos = x.filter((v) => v !== null && v > 0).length;
    const nulls = x.filter((v) => v === null).length;
    const neg = x.filter((v) => v !== null && v < 0).length;
    const zero = x.filter((v) => v === 0).length;
    expect(r).toEqual([String(pos), String(nulls), (neg * 1.25 + (1000 - neg) * 0.5).toFixed(2), String(zero * 0.5 + (1000 - zero) * 2), '1000']);
  });

  it('a column on either side: its value and its NULLs where chosen', async () => {
    const x = Array.from({ length: 1000 }, (_, i) => (i % 9 === 0 ? null : (i % 5) - 2));
    const y = Array.from({ length: 1000 }, (_, i) => (i % 7 === 0 ? null : i));
    const ctx = new SessionContext({ batchSize: 100 });
    ctx.registerArrow('t', new Table({ x: vectorFromArray(x, new Int32()), y: vectorFromArray(y, new Int32()) }));
    const got = (await (await ctx.sql('SELECT CASE WHEN x > 0 THEN y ELSE 0 END AS a, CASE WHEN x > 0 THEN -1 ELSE y END AS b FROM t')).collectText()).rows;
    const want = x.map((v, i) => {
      const taken = v !== null && v > 0;
      const a = taken ? y[i] : 0;
      const b = taken ? -1 : y[i];
      return [a === null ? null : String(a), b === null ? null : String(b)];
    });
    expect(got).toEqual(want);
  });

  it('several WHENs with constant results: the first that holds, strings as a dictionary, NULL results', async () => {
    const x = Array.from({ length: 1000 }, (_, i) => (i % 9 === 0 ? null : (i % 50) - 10));
    const ctx = new SessionContext({ batchSize: 128 });
    ctx.registerArrow('t', new Table({ x: vectorFromArray(x, new Int32()) }));
    const got = (await (await ctx.sql(
      "SELECT CASE WHEN 100 - x < 80 THEN 'old' WHEN 100 - x < 100 THEN 'mid' WHEN x IS NULL THEN NULL ELSE 'young' END AS s, " +
      'CASE WHEN x > 30 THEN 3 WHEN x > 10 THEN 2 WHEN x > 0 THEN 1 END AS n, ' +
      "CASE WHEN x = 0 THEN 'zero' WHEN 10 / x > 1 THEN 'big' ELSE 'small' END AS guarded FROM t",
    )).collectText()).rows;
    const want = x.map((v) => {
      const s = v === null ? null : 100 - v < 80 ? 'old' : 100 - v < 100 ? 'mid' : 'young';
      const n = v === null ? null : v > 30 ? '3' : v > 10 ? '2' : v > 0 ? '1' : null;
      const g = v === null ? 'small' : v === 0 ? 'zero' : Math.trunc(10 / v) > 1 ? 'big' : 'small';
      return [s, n, g];
    });
    expect(got).toEqual(want);
  });
});
