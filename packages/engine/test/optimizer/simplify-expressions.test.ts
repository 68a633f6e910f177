import { describe, expect, it, vi } from 'vitest';

// expr/constant.ts is another module's (its kernels may be incomplete): fold with the reference
// interpreter so these tests check the rule, not the kernels.
vi.mock('../../src/expr/constant.js', async () => {
  const { evalExpr } = await import('./interp.js');
  const { columnsOf } = await import('../../src/logical/expr.js');
  return {
    evaluateConstant: (e: import('../../src/logical/expr.js').Expr) => {
      if (e.kind === 'literal') return e;
      if (columnsOf(e).size > 0) return null;
      try {
        return { kind: 'literal', value: evalExpr(e, {}), type: e.type };
      } catch {
        return null;
      }
    },
  };
});
import { formatExpr, formatLogicalPlan } from '../../src/logical/display.js';
import { call, col, lit } from '../../src/logical/expr.js';
import { simplifyExpr, simplifyExpressions } from '../../src/optimizer/simplify-expressions.js';
import { DEFAULT_OPTIMIZER_CONFIG } from '../../src/optimizer/rule.js';
import { BOOL, INT32, UTF8 } from '../../src/types/data-type.js';
import { salesTable } from './fixtures.js';
import { add, and, bool, eq, filter, gt, i32, Ids, mul, not, or, project, results, scan, str } from './helpers.js';

const x = col(1, 'x', BOOL);
const a = col(2, 'a', INT32);
const s = (e: Parameters<typeof simplifyExpr>[0]) => formatExpr(simplifyExpr(e));

describe('simplifyExpr', () => {
  it('simplifies boolean connectives (three-valued safe)', () => {
    expect(s(and(x, bool(true)))).toBe('x');
    expect(s(and(bool(true), x))).toBe('x');
    expect(s(and(x, bool(false)))).toBe('FALSE');
    expect(s(or(x, bool(true)))).toBe('TRUE');
    expect(s(or(bool(false), x))).toBe('x');
    expect(s(not(not(x)))).toBe('x');
    expect(s(and(and(x, bool(true)), gt(a, i32(1))))).toBe('x AND a > 1');
    // NULL is neither neutral nor absorbing for AND with an unknown x.
    expect(s(and(x, bool(null)))).toBe('x AND NULL');
  });

  it('folds constant sub-expressions', () => {
    expect(s(gt(a, add(i32(1), mul(i32(2), i32(3)))))).toBe('a > 7');
    expect(s(eq(call('lower', [str('ABC')], UTF8), col(3, 'name', UTF8)))).toBe("'abc' = name");
    expect(s(and(gt(a, i32(0)), gt(i32(2), i32(1))))).toBe('a > 0');
    expect(s(add(i32(1), lit(null, INT32)))).toBe('NULL');
  });

  it('leaves erroring constants to run time', () => {
    expect(s(call('div', [i32(1), i32(0)], INT32))).toBe('1 / 0');
  });

  it('simplifies CASE and no-op casts', () => {
    expect(
      s({ kind: 'case', whens: [{ when: bool(false), then: i32(1) }, { when: gt(a, i32(0)), then: i32(2) }], otherwise: null, type: INT32 }),
    ).toBe('CASE WHEN a > 0 THEN 2 END');
    expect(s({ kind: 'case', whens: [{ when: bool(true), then: a }], otherwise: i32(3), type: INT32 })).toBe('a');
    expect(s({ kind: 'cast', expr: a, type: INT32 })).toBe('a');
  });
});

describe('simplify_expressions rule', () => {
  it('removes Filter TRUE and turns Filter FALSE into an empty relation', () => {
    const ids = new Ids();
    const t = scan(ids, 'sales', salesTable());
    const p1 = filter(t.plan, and(gt(i32(2), i32(1)), bool(true)));
    const out1 = simplifyExpressions.rewrite(p1, DEFAULT_OPTIMIZER_CONFIG)!;
    expect(out1.kind).toBe('scan');
    const p2 = project(ids, filter(t.plan, and(t.c.flag, eq(i32(1), i32(2)))), [['id', t.c.id]]).plan;
    const out2 = simplifyExpressions.rewrite(p2, DEFAULT_OPTIMIZER_CONFIG)!;
    expect(formatLogicalPlan(out2)).toBe('Projection: sales.id\n  EmptyRelation: [id, customer_id, category, region, amount, qty, price, flag, day, big]');
    expect(results(out2)).toEqual([]);
  });

  it('returns null when nothing changes', () => {
    const ids = new Ids();
    const t = scan(ids, 'sales', salesTable());
    expect(simplifyExpressions.rewrite(filter(t.plan, gt(t.c.amount, i32(3))), DEFAULT_OPTIMIZER_CONFIG)).toBeNull();
  });
});
