import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { EngineError, SessionContext } from '../../src/index.js';
import { recursionLimit } from '../../src/operators/recursive-cte.js';

/** Engine-only behaviour of the SQL added with set operations, subqueries and WITH RECURSIVE. */
function context(): SessionContext {
  const ctx = new SessionContext({ batchSize: 7 });
  const id = Int32Array.from({ length: 50 }, (_, i) => i + 1);
  const grp = Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? null : `g${i % 3}`));
  ctx.registerArrow('t', tableFromArrays({ id, grp }));
  return ctx;
}

async function rows(ctx: SessionContext, sql: string): Promise<string[][]> {
  return (await (await ctx.sql(sql)).collectText()).rows as string[][];
}

async function error(ctx: SessionContext, sql: string): Promise<EngineError> {
  try {
    await (await ctx.sql(sql)).collect();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error(`expected an error: ${sql}`);
}

describe('SQL coverage (engine-only behaviour)', () => {
  it('a recursive CTE that does not reach a fixpoint fails after the iteration cap', async () => {
    const saved = recursionLimit.steps;
    recursionLimit.steps = 50;
    try {
      const e = await error(context(), 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r');
      expect(e.message).toBe('WITH RECURSIVE query "r" did not finish after 50 iterations');
      // UNION reaches a fixpoint even though the recursive term never runs dry
      expect(await rows(context(), 'WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT (n + 1) % 10 FROM r) SELECT count(*) FROM r')).toEqual([['10']]);
    } finally {
      recursionLimit.steps = saved;
    }
  });

  it('set operations across batches keep dictionary-encoded strings and NULLs', async () => {
    const ctx = context();
    expect(await rows(ctx, 'SELECT grp FROM t UNION SELECT grp FROM t ORDER BY 1 NULLS FIRST')).toEqual([[''], ['g0'], ['g1'], ['g2']].map((r, i) => (i === 0 ? [null as unknown as string] : r)));
    expect(await rows(ctx, "SELECT count(*) FROM (SELECT grp FROM t INTERSECT ALL SELECT grp FROM t WHERE id > 25) x")).toEqual([['25']]);
    expect(await rows(ctx, "SELECT count(*) FROM (SELECT grp FROM t EXCEPT ALL SELECT grp FROM t WHERE id > 25) x")).toEqual([['25']]);
  });

  it('scalar subqueries: a second row is an error at run time, zero rows give NULL', async () => {
    const ctx = context();
    expect((await error(ctx, 'SELECT (SELECT id FROM t WHERE id > 48)')).message).toBe('more than one row returned by a subquery used as an expression');
    expect(await rows(ctx, 'SELECT (SELECT id FROM t WHERE id > 50) IS NULL')).toEqual([['t']]);
  });

  it('non-constant lag/lead offsets are reported as unsupported', async () => {
    const e = await error(context(), 'SELECT lag(id, id % 3) OVER (ORDER BY id) FROM t');
    expect(e).toMatchObject({ code: 'feature_not_supported', message: 'a non-constant lag offset is not supported' });
  });
});
