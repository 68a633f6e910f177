import { describe, expect, it } from 'vitest';
import { formatLogicalPlan } from '../../src/logical/display.js';
import { outputFields, type LogicalPlan } from '../../src/logical/plan.js';
import { countIndicator } from '../../src/optimizer/count-indicator.js';
import { DEFAULT_OPTIMIZER_CONFIG } from '../../src/optimizer/rule.js';
import { validatePlan } from '../../src/optimizer/validate.js';
import type { Expr } from '../../src/logical/expr.js';
import { salesTable } from './fixtures.js';
import { agg, aggregate, filter, gt, i32, i64, Ids, isNull, results, scan } from './helpers.js';

function run(plan: LogicalPlan): LogicalPlan {
  const out = countIndicator.rewrite(plan, DEFAULT_OPTIMIZER_CONFIG) ?? plan;
  validatePlan(out);
  expect(outputFields(out)).toEqual(outputFields(plan));
  expect(results(out)).toEqual(results(plan));
  return out;
}

const indicator = (when: Expr, then: Expr = i32(1), otherwise: Expr | null = i32(0)): Expr => ({ kind: 'case', whens: [{ when, then }], otherwise, type: then.type });

describe('count_indicator', () => {
  it('counts the condition under GROUP BY, a FILTER joined to it', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable());
    const g = aggregate(ids, s.plan, [['cat', s.c.category]], [
      ['nulls', agg('sum', indicator(isNull(s.c.qty)))],
      ['big', agg('sum', indicator(gt(s.c.amount, i32(1000))), { filter: gt(s.c.qty, i32(2)) })],
    ]);
    const out = run(g.plan);
    expect(formatLogicalPlan(out)).toContain('aggr=[[count(*) FILTER (WHERE sales.qty IS NULL), count(*) FILTER (WHERE sales.qty > 2 AND sales.amount > 1000)]]');
  });

  it('keeps SUM\'s NULL over no rows without GROUP BY', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable());
    const plans = [
      aggregate(ids, s.plan, [], [['n', agg('count_star', null)], ['nulls', agg('sum', indicator(isNull(s.c.qty)))]]).plan,
      // no count(*) of its own: one is added for the test
      aggregate(ids, filter(s.plan, gt(s.c.amount, i32(1_000_000))), [], [['nulls', agg('sum', indicator(isNull(s.c.qty)))]]).plan,
    ];
    for (const p of plans) {
      const out = run(p);
      expect(out.kind).toBe('projection');
      expect(formatLogicalPlan(out)).toMatch(/CASE WHEN (n|rows) = 0 THEN NULL ELSE nulls END AS nulls/);
    }
    // over no rows: NULL, as SUM gives (results() of both plans compared in run)
    expect(results(plans[1]!)).toEqual(['[null]']);
  });

  it('leaves other sums alone', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable());
    const cases: LogicalPlan[] = [
      aggregate(ids, s.plan, [['cat', s.c.category]], [['x', agg('sum', indicator(isNull(s.c.qty), i32(2)))]]).plan,
      aggregate(ids, s.plan, [['cat', s.c.category]], [['x', agg('sum', indicator(isNull(s.c.qty), i32(1), null))]]).plan,
      aggregate(ids, s.plan, [['cat', s.c.category]], [['x', agg('sum', indicator(isNull(s.c.qty), i64(1), i64(0)))]]).plan,
      aggregate(ids, s.plan, [['cat', s.c.category]], [['x', agg('sum', indicator(isNull(s.c.qty)), { distinct: true })]]).plan,
      aggregate(ids, s.plan, [['cat', s.c.category]], [['x', agg('sum', s.c.qty)]]).plan,
    ];
    for (const p of cases) expect(countIndicator.rewrite(p, DEFAULT_OPTIMIZER_CONFIG)).toBeNull();
  });
});
