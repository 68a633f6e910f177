import { describe, expect, it } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import { SessionContext } from '../../../src/session.js';
import { cannotRaise } from '../../../src/expr/compile.js';
import type { Expr } from '../../../src/logical/expr.js';
import type { LogicalPlan } from '../../../src/logical/plan.js';

describe('scan filters: combined selection for conjuncts that cannot fail', () => {
  it('still guards a division behind its zero test', async () => {
    const ctx = new SessionContext({ batchSize: 16 });
    ctx.registerArrow('t', tableFromArrays({ x: Int32Array.from({ length: 100 }, (_, i) => (i % 10) - 3), y: Int32Array.from({ length: 100 }, (_, i) => i) }));
    const df = await ctx.sql('SELECT count(*) AS n, sum(y) AS s FROM t WHERE y >= 5 AND x <> 0 AND 10 / x > 1 AND y < 95');
    expect(await df.explain()).toMatch(/filters=\[/);
    const row = (await df.collect()).toArray()[0];
    let n = 0, s = 0;
    for (let i = 0; i < 100; i++) { const x = (i % 10) - 3; if (i >= 5 && x !== 0 && Math.trunc(10 / x) > 1 && i < 95) { n++; s += i; } }
    expect(Number(row.n)).toBe(n);
    expect(Number(row.s)).toBe(s);
  });

  it('classifies comparisons, logic, NULL tests and IN lists as safe, arithmetic and casts as not', async () => {
    const ctx = new SessionContext();
    ctx.registerArrow('t', tableFromArrays({ x: Int32Array.of(1), y: Int32Array.of(2) }));
    const conjuncts = async (where: string): Promise<Expr[]> => {
      let p: LogicalPlan = (await ctx.sql(`SELECT x FROM t WHERE ${where}`)).logicalPlan;
      while (p.kind !== 'filter') p = (p as { input: LogicalPlan }).input;
      const out: Expr[] = [];
      const split = (e: Expr): void => { if (e.kind === 'call' && e.fn === 'and') e.args.forEach(split); else out.push(e); };
      split(p.predicate);
      return out;
    };
    const safe = (w: string) => conjuncts(w);
    expect((await safe('x > 1 AND (y = 2 OR x IS NULL) AND NOT (y IN (1, 2))')).every((e) => cannotRaise(e))).toBe(true);
    expect((await safe('10 / x > 1')).some((e) => cannotRaise(e))).toBe(false);
    expect((await safe("CAST(x AS text) = '1'")).some((e) => cannotRaise(e))).toBe(false);
  });
});
