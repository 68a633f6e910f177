import { describe, expect, it } from 'vitest';
import { formatLogicalPlan } from '../../src/logical/display.js';
import type { LogicalPlan } from '../../src/logical/plan.js';
import { pushDownLimit } from '../../src/optimizer/push-down-limit.js';
import { DEFAULT_OPTIMIZER_CONFIG, type OptimizerRule } from '../../src/optimizer/rule.js';
import { topK } from '../../src/optimizer/topk.js';
import { validatePlan } from '../../src/optimizer/validate.js';
import { salesTable } from './fixtures.js';
import { add, asc, desc, i32, Ids, limit, project, results, scan, sort } from './helpers.js';

function run(rule: OptimizerRule, plan: LogicalPlan): string {
  const out = rule.rewrite(plan, DEFAULT_OPTIMIZER_CONFIG) ?? plan;
  validatePlan(out);
  expect(results(out, true)).toEqual(results(plan, true));
  return formatLogicalPlan(out);
}

describe('topk', () => {
  it('sets Sort.fetch = skip + fetch from a Limit above, keeping the Limit', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable());
    expect(run(topK, limit(sort(s.plan, [desc(s.c.amount), asc(s.c.id)]), 3, 10)).split('\n').slice(0, 2)).toEqual([
      'Limit: skip=3, fetch=10',
      '  Sort: sales.amount DESC NULLS FIRST, sales.id ASC NULLS LAST, fetch=13',
    ]);
  });

  it('looks through a projection and never raises an existing smaller fetch', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable());
    const p = project(ids, sort(s.plan, [asc(s.c.id)]), [['x', add(s.c.id, i32(1))]]);
    expect(run(topK, limit(p.plan, 0, 4)).split('\n')[2]).toBe('    Sort: sales.id ASC NULLS LAST, fetch=4');
    expect(topK.rewrite(limit(sort(s.plan, [asc(s.c.id)], 2), 0, 4), DEFAULT_OPTIMIZER_CONFIG)).toBeNull();
    expect(topK.rewrite(limit(sort(s.plan, [asc(s.c.id)]), 0, null), DEFAULT_OPTIMIZER_CONFIG)).toBeNull();
  });
});

describe('push_down_limit', () => {
  it('moves a Limit below a Projection', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable());
    const p = project(ids, sort(s.plan, [asc(s.c.id)]), [['x', add(s.c.id, i32(1))]]);
    expect(run(pushDownLimit, limit(p.plan, 2, 5)).split('\n').slice(0, 3)).toEqual([
      'Projection: sales.id + 1 AS x',
      '  Limit: skip=2, fetch=5',
      '    Sort: sales.id ASC NULLS LAST',
    ]);
  });

  it('merges adjacent limits', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable());
    const sorted = sort(s.plan, [asc(s.c.id)]);
    expect(run(pushDownLimit, limit(limit(sorted, 5, 10), 3, 20)).split('\n')[0]).toBe('Limit: skip=8, fetch=7');
    expect(run(pushDownLimit, limit(limit(sorted, 5, null), 3, 4)).split('\n')[0]).toBe('Limit: skip=8, fetch=4');
    expect(run(pushDownLimit, limit(limit(sorted, 0, 2), 3, 4)).split('\n')[0]).toBe('Limit: skip=3, fetch=0');
  });
});
