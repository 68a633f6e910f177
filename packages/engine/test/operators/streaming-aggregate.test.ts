/**
 * Streaming (ordered) aggregation: an aggregate over input sorted on its group keys emits each
 * group as it closes; its answers must equal the hash aggregate's, across batch boundaries.
 */
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { SessionContext } from '../../src/index.js';

function context(): SessionContext {
  const ctx = new SessionContext({ batchSize: 100, partitions: 1 });
  const n = 5000;
  const id = Int32Array.from({ length: n }, (_, i) => i);
  // runs of a group longer than a batch (g1) and many short groups (g2), some NULL keys
  const g1 = Array.from({ length: n }, (_, i) => (i % 13 === 0 ? null : `k${Math.floor(i / 700)}`));
  const g2 = Int32Array.from({ length: n }, (_, i) => (i * 7) % 977);
  const x = Float64Array.from({ length: n }, (_, i) => (i % 17) - 3.5);
  ctx.registerArrow('t', tableFromArrays({ id, g1, g2, x }));
  return ctx;
}

/** Rows as sorted text; floats to 10 significant digits (states merge in another order). */
async function sorted(ctx: SessionContext, sql: string): Promise<string[]> {
  const { rows } = await (await ctx.sql(sql)).collectText();
  const cell = (v: string | null) => (v !== null && /^-?\d+(\.\d+)?(e[-+]\d+)?$/.test(v) ? String(Number(Number(v).toPrecision(10))) : String(v));
  return rows.map((r) => r.map(cell).join('|')).sort();
}

describe('streaming aggregation', () => {
  const cases: [string, string][] = [
    ['g1', 'count(*), sum(x), min(id), max(x), avg(x)'],
    ['g2', 'count(*), sum(x), stddev(x)'],
    ['g1, g2', 'count(*), sum(id)'],
  ];
  for (const [keys, aggs] of cases) {
    it(`GROUP BY ${keys} over input sorted on it matches the hash aggregate`, async () => {
      const ctx = context();
      const streaming = `SELECT ${keys}, ${aggs} FROM (SELECT * FROM t ORDER BY ${keys}) s GROUP BY ${keys}`;
      const hash = `SELECT ${keys}, ${aggs} FROM t GROUP BY ${keys}`;
      const plan = (await (await ctx.sql(`EXPLAIN ANALYZE ${streaming}`)).collectText()).rows.map((r) => r[0]).join('\n');
      expect(plan).toMatch(/AggregateExec: mode=Single, ordering_mode=Sorted/);
      const early = /groups_emitted_early=(\d+)/.exec(plan);
      expect(Number(early?.[1])).toBeGreaterThan(0);
      expect(await sorted(ctx, streaming)).toEqual(await sorted(ctx, hash));
      expect((await (await ctx.sql(`EXPLAIN ${hash}`)).collectText()).rows.map((r) => r[0]).join('\n')).not.toMatch(/ordering_mode/);
    });
  }

  it('keeps the hash aggregate when the sort does not lead with the group keys', async () => {
    const ctx = context();
    const plan = (await (await ctx.sql('EXPLAIN SELECT g2, count(*) FROM (SELECT * FROM t ORDER BY id) s GROUP BY g2')).collectText()).rows.map((r) => r[0]).join('\n');
    expect(plan).not.toMatch(/ordering_mode/);
    expect(plan).toMatch(/HashAggregateExec/);
  });
});
