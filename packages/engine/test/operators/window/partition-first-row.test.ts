import { describe, expect, it } from 'vitest';
import { Float64, Int32, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { SessionContext } from '../../../src/session.js';

// Rows with NULLs in both the partition key and the order keys, and ties on the first order key.
const N = 211;
const grp = Array.from({ length: N }, (_, i) => (i % 17 === 0 ? null : `g${i % 7}`));
const score = Array.from({ length: N }, (_, i) => (i % 5 === 0 ? null : (i * 37) % 23));
const id = Array.from({ length: N }, (_, i) => i);
const amount = Array.from({ length: N }, (_, i) => (i % 3) + 0.5);

function session(batchSize: number): SessionContext {
  const ctx = new SessionContext({ batchSize });
  ctx.registerArrow('t', new Table({
    grp: vectorFromArray(grp, new Utf8()),
    score: vectorFromArray(score, new Int32()),
    id: vectorFromArray(id, new Int32()),
    amount: vectorFromArray(amount, new Float64()),
  }));
  return ctx;
}

/** Reference: per partition the first row (stable) by (score, id) in the given direction. */
function expected(desc: boolean, nullsFirst: boolean): string[] {
  const best = new Map<string | null, number>();
  const cmp = (a: number, b: number): number => {
    const x = score[a]!, y = score[b]!;
    if (x === null || y === null) {
      if (x === y) return id[a]! - id[b]!;
      return (x === null) === nullsFirst ? -1 : 1;
    }
    if (x !== y) return desc ? y - x : x - y;
    return id[a]! - id[b]!;
  };
  for (let i = 0; i < N; i++) {
    const k = grp[i]!;
    const cur = best.get(k);
    if (cur === undefined || cmp(i, cur) < 0) best.set(k, i);
  }
  return [...best.values()].sort((a, b) => a - b).map((i) => `${grp[i]}|${id[i]}`);
}

async function rows(ctx: SessionContext, sql: string): Promise<string[]> {
  const t = await (await ctx.sql(sql)).collect();
  return t.toArray().map((r) => `${r.grp}|${r.id}`);
}

describe('PartitionFirstRowExec (rn = 1 without a sort)', () => {
  for (const batchSize of [4, 1000]) {
    for (const [order, desc, nullsFirst] of [['score, id', false, false], ['score DESC, id', true, true], ['score NULLS FIRST, id', false, true], ['score DESC NULLS LAST, id', true, false]] as const) {
      it(`ORDER BY ${order}, batches of ${batchSize}: the window's rows, in input order`, async () => {
        const ctx = session(batchSize);
        const sql = `SELECT grp, id FROM (SELECT *, row_number() OVER (PARTITION BY grp ORDER BY ${order}) AS rn FROM t) x WHERE rn = 1`;
        expect(await rows(ctx, sql)).toEqual(expected(desc, nullsFirst));
        expect(await (await ctx.sql(sql)).explain()).toContain('PartitionFirstRowExec');
      });
    }
  }

  it('keeps the first of tied peers, as the window does; other conjuncts still filter', async () => {
    const ctx = session(8);
    const tied = await rows(ctx, 'SELECT grp, id FROM (SELECT *, row_number() OVER (PARTITION BY grp) AS rn FROM t) x WHERE rn = 1');
    const firstSeen = new Map<string | null, number>();
    for (let i = 0; i < N; i++) if (!firstSeen.has(grp[i]!)) firstSeen.set(grp[i]!, i);
    expect(tied).toEqual([...firstSeen.values()].map((i) => `${grp[i]}|${i}`));
    const filtered = await (await ctx.sql('SELECT grp, id, rn FROM (SELECT *, row_number() OVER (PARTITION BY grp ORDER BY score, id) AS rn FROM t) x WHERE rn = 1 AND id > 50')).collect();
    expect(filtered.toArray().map((r) => `${r.grp}|${r.id}`)).toEqual(expected(false, false).filter((s) => Number(s.split('|')[1]) > 50));
    expect(filtered.toArray().every((r) => Number(r.rn) === 1)).toBe(true);
  });

  it('leaves string and float order keys, other ranks and rn > 1 to the window', async () => {
    const ctx = session(1000);
    for (const sql of [
      'SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY score ORDER BY grp) AS rn FROM t) x WHERE rn = 1',
      'SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY grp ORDER BY amount) AS rn FROM t) x WHERE rn = 1',
      'SELECT * FROM (SELECT *, rank() OVER (PARTITION BY grp ORDER BY score) AS rn FROM t) x WHERE rn = 1',
      'SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY grp ORDER BY score) AS rn FROM t) x WHERE rn = 2',
    ]) {
      const plan = await (await ctx.sql(sql)).explain();
      expect(plan).toContain('WindowExec');
      expect(plan).not.toContain('PartitionFirstRowExec');
    }
  });
});
