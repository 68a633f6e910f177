import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { SessionContext } from '../../src/index.js';
import { call, col, lit, type Expr } from '../../src/logical/expr.js';
import { cannotFail, interval } from '../../src/optimizer/cannot-fail.js';
import { BOOL, FLOAT64, INT32, INT64, UTF8 } from '../../src/types/data-type.js';

const x = col(1, 'x', INT32);
const y = col(2, 'y', FLOAT64);
const ranges = new Map([[1, { min: 1940, max: 2011 }], [2, { min: -1e300, max: 1e300 }]]);
const range = (id: number) => ranges.get(id);

describe('cannotFail', () => {
  it('accepts never-failing operators and arithmetic that stays in range', () => {
    const age = call('sub', [lit(2024, INT32), x], INT32);
    const bucket: Expr = { kind: 'case', whens: [{ when: call('lt', [age, lit(20, INT32)], BOOL), then: lit('10s', UTF8) }], otherwise: lit('20+', UTF8), type: UTF8 };
    expect(cannotFail(bucket, range)).toBe(true);
    expect(interval(age, range)).toEqual({ min: 13, max: 84 });
    expect(cannotFail(call('mul', [x, x], INT32), range)).toBe(true); // ≤ 2011² < 2^31
    expect(cannotFail({ kind: 'cast', expr: x, type: INT64 }, range)).toBe(true);
    expect(cannotFail(call('lower', [{ kind: 'cast', expr: x, type: UTF8 }], UTF8), range)).toBe(true);
  });

  it('rejects what can fail or cannot be proven not to', () => {
    expect(cannotFail(call('mul', [x, lit(2_000_000, INT32)], INT32), range)).toBe(false); // overflows int32
    expect(cannotFail(call('add', [y, y], FLOAT64), range)).toBe(true); // ±2e300 stays finite
    expect(cannotFail(call('add', [col(5, 'w', FLOAT64), col(5, 'w', FLOAT64)], FLOAT64), (id) => (id === 5 ? { min: 0, max: 1.7e308 } : undefined))).toBe(false);
    expect(cannotFail(call('add', [col(3, 'z', INT32), lit(1, INT32)], INT32), range)).toBe(false); // no range known
    expect(cannotFail(call('div', [x, lit(2, INT32)], INT32), range)).toBe(false);
    expect(cannotFail(call('mul', [y, y], FLOAT64), range)).toBe(false); // float products can underflow
    expect(cannotFail({ kind: 'cast', expr: col(4, 's', UTF8), type: INT32 }, range)).toBe(false);
  });
});

/** Plays (fact) and users (dimension); user 999 plays nothing and holds extreme values. */
function music(extreme: boolean, disabledRules: string[] = []): SessionContext {
  const ctx = new SessionContext({ batchSize: 512, partitions: 1, disabledRules });
  const n = 6000;
  ctx.registerArrow('plays', tableFromArrays({
    user_id: Int32Array.from({ length: n }, (_, i) => 1 + (i % 50)),
    ms: Int32Array.from({ length: n }, (_, i) => (i * 7919) % 300_000),
  }));
  const ids = Int32Array.from({ length: 51 }, (_, i) => (i === 50 ? 999 : i + 1));
  ctx.registerArrow('users', tableFromArrays({
    user_id: ids,
    birth_year: Int32Array.from(ids, (id) => (id === 999 && extreme ? 2_147_483_000 : 1950 + (id % 60))),
    country: Array.from(ids, (id) => ['KR', 'US', 'DE'][id % 3]),
  }));
  return ctx;
}

const BUCKETS = "SELECT CASE WHEN u.birth_year + 1000 < 2990 THEN 'old' ELSE 'young' END AS b, count(*) AS n, sum(p.ms) AS ms FROM plays p JOIN users u ON u.user_id = p.user_id GROUP BY 1 ORDER BY 1";

async function explain(ctx: SessionContext, sql: string): Promise<string> {
  const { rows } = await (await ctx.sql(`EXPLAIN ${sql}`)).collectText();
  return rows.map((r) => r.join(' ')).join('\n');
}

describe('project_build_side', () => {
  it('computes a group key over the dimension on the dimension side', async () => {
    const ctx = music(false);
    const plan = await explain(ctx, BUCKETS);
    expect(plan).toMatch(/Projection: user_id, CASE WHEN u\.birth_year \+ 1000 < 2990[^\n]*\n\s+TableScan: users/);
    const { rows } = await (await ctx.sql(BUCKETS)).collectText();
    const off = music(false, ['project_build_side']);
    expect(await explain(off, BUCKETS)).not.toMatch(/Projection: user_id, CASE/);
    expect((await (await off.sql(BUCKETS)).collectText()).rows).toEqual(rows);
    expect(rows.length).toBe(2);
  });

  it('leaves it above the join when an unmatched dimension row would overflow', async () => {
    const ctx = music(true);
    // user 999 (birth_year + 1000 overflows int32) joins no play: the query answers, as PostgreSQL does
    const { rows } = await (await ctx.sql(BUCKETS)).collectText();
    expect(rows.map((r) => r[0])).toEqual(['old', 'young']);
    expect(await explain(ctx, BUCKETS)).not.toMatch(/Projection: user_id, CASE/);
  });

  it('does not move expressions into the preserved side of a LEFT join', async () => {
    const ctx = music(false);
    const sql = "SELECT coalesce(u.country, 'none') AS c, count(*) FROM plays p LEFT JOIN users u ON u.user_id = p.user_id + 40 GROUP BY 1 ORDER BY 1";
    expect(await explain(ctx, sql)).not.toMatch(/Projection: user_id, coalesce/);
    const { rows } = await (await ctx.sql(sql)).collectText();
    expect(rows.map((r) => r[0])).toEqual(['DE', 'KR', 'US', 'none']);
  });
});
