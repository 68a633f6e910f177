import { describe, expect, it } from 'vitest';
import { formatLogicalPlan } from '../../src/logical/display.js';
import type { LogicalPlan } from '../../src/logical/plan.js';
import { pushDownFilter } from '../../src/optimizer/push-down-filter.js';
import { DEFAULT_OPTIMIZER_CONFIG } from '../../src/optimizer/rule.js';
import { validatePlan } from '../../src/optimizer/validate.js';
import { INT32 } from '../../src/types/data-type.js';
import { customersTable, salesTable } from './fixtures.js';
import {
  add, agg, aggregate, and, asc, eq, filter, gt, i32, Ids, isNull, join, limit, lt, or, project, results, scan, sort, str, window,
} from './helpers.js';

/** Applies the rule, checks invariants and unchanged results, returns the EXPLAIN text. */
function run(plan: LogicalPlan): string {
  const out = pushDownFilter.rewrite(plan, DEFAULT_OPTIMIZER_CONFIG) ?? plan;
  validatePlan(out);
  expect(results(out)).toEqual(results(plan));
  return formatLogicalPlan(out);
}

function setup() {
  const ids = new Ids();
  const s = scan(ids, 'sales', salesTable(), 's');
  const c = scan(ids, 'customers', customersTable(), 'c');
  return { ids, s, c };
}

describe('push_down_filter', () => {
  it('moves conjuncts into the scan through a projection (substituting expressions)', () => {
    const { ids, s } = setup();
    const p = project(ids, s.plan, [['cat', s.c.category], ['double', add(s.c.amount, s.c.amount)]]);
    const plan = filter(p.plan, and(eq(p.c.cat, str('category_1')), gt(p.c.double, i32(1000))));
    expect(run(plan)).toBe(
      [
        'Projection: s.category AS cat, s.amount + s.amount AS double',
        "  TableScan: sales AS s projection=[id, customer_id, category, region, amount, qty, price, flag, day, big], filters=[s.category = 'category_1', s.amount + s.amount > 1000]",
      ].join('\n'),
    );
  });

  it('merges stacked filters and passes through a Sort without fetch', () => {
    const { s } = setup();
    const plan = filter(sort(filter(s.plan, gt(s.c.amount, i32(10))), [asc(s.c.id)]), lt(s.c.id, i32(30)));
    expect(run(plan)).toBe(
      [
        'Sort: s.id ASC NULLS LAST',
        '  TableScan: sales AS s projection=[id, customer_id, category, region, amount, qty, price, flag, day, big], filters=[s.amount > 10, s.id < 30]',
      ].join('\n'),
    );
  });

  it('never pushes below a Limit or a top-k Sort', () => {
    const { s } = setup();
    const p1 = filter(limit(s.plan, 0, 10), gt(s.c.amount, i32(500)));
    expect(run(p1).split('\n')[0]).toBe('Filter: s.amount > 500');
    const p2 = filter(sort(s.plan, [asc(s.c.amount)], 5), gt(s.c.id, i32(3)));
    expect(run(p2).split('\n')[0]).toBe('Filter: s.id > 3');
  });

  it('pushes group-key conjuncts below an aggregate, keeps the others above', () => {
    const { ids, s } = setup();
    const g = aggregate(ids, s.plan, [['cat', s.c.category]], [['total', agg('sum', s.c.amount)]]);
    const plan = filter(g.plan, and(eq(g.c.cat, str('category_2')), gt(g.c.total, i32(100))));
    expect(run(plan)).toBe(
      [
        'Filter: total > 100',
        '  Aggregate: groupBy=[[s.category AS cat]], aggr=[[sum(s.amount)]]',
        "    TableScan: sales AS s projection=[id, customer_id, category, region, amount, qty, price, flag, day, big], filters=[s.category = 'category_2']",
      ].join('\n'),
    );
  });

  it('keeps column-free conjuncts above a global aggregate', () => {
    const { ids, s } = setup();
    const g = aggregate(ids, s.plan, [], [['n', agg('count_star', null)]]);
    const plan = filter(g.plan, eq(i32(1), i32(2)));
    expect(run(plan).split('\n')[0]).toBe('Filter: 1 = 2');
  });

  it('pushes through a window only on partition columns', () => {
    const { ids, s } = setup();
    const w = window(ids, s.plan, [
      ['rs', { fn: 'sum', arg: s.c.amount, partitionBy: [s.c.category], orderBy: [asc(s.c.id)], frame: { mode: 'range' }, type: INT32 }],
    ]);
    const plan = filter(w.plan, and(eq(s.c.category, str('category_3')), gt(s.c.id, i32(20))));
    const text = run(plan);
    expect(text.split('\n')[0]).toBe('Filter: s.id > 20');
    expect(text).toContain("filters=[s.category = 'category_3']");
  });

  it('turns a cross join with an equality into an inner join and splits single-side conjuncts', () => {
    const { s, c } = setup();
    const plan = filter(
      join('cross', s.plan, c.plan),
      and(and(eq(s.c.customer_id, c.c.id), gt(s.c.amount, i32(100))), and(eq(c.c.city, str('Oslo')), lt(s.c.amount, c.c.tier))),
    );
    expect(run(plan)).toBe(
      [
        'Filter: s.amount < c.tier',
        '  Inner Join: s.customer_id = c.id',
        '    TableScan: sales AS s projection=[id, customer_id, category, region, amount, qty, price, flag, day, big], filters=[s.amount > 100]',
        "    TableScan: customers AS c projection=[id, name, city, tier], filters=[c.city = 'Oslo']",
      ].join('\n'),
    );
  });

  it('recognises equalities written right = left', () => {
    const { s, c } = setup();
    const plan = filter(join('cross', s.plan, c.plan), eq(c.c.id, s.c.customer_id));
    expect(run(plan).split('\n')[0]).toBe('Inner Join: s.customer_id = c.id');
  });

  it('left join: left-only conjuncts go down, right-side conjuncts from above stay above', () => {
    const { s, c } = setup();
    const plan = filter(
      join('left', s.plan, c.plan, [[s.c.customer_id, c.c.id]]),
      and(and(gt(s.c.amount, i32(100)), isNull(c.c.name)), or(isNull(c.c.city), eq(c.c.city, str('Rome')))),
    );
    expect(run(plan)).toBe(
      [
        "Filter: c.name IS NULL AND (c.city IS NULL OR c.city = 'Rome')",
        '  Left Join: s.customer_id = c.id',
        '    TableScan: sales AS s projection=[id, customer_id, category, region, amount, qty, price, flag, day, big], filters=[s.amount > 100]',
        '    TableScan: customers AS c projection=[id, name, city, tier]',
      ].join('\n'),
    );
  });

  it("left join: the ON condition's right-only conjuncts filter the right input, left-only ones stay", () => {
    const { s, c } = setup();
    const plan = join('left', s.plan, c.plan, [], and(and(eq(s.c.customer_id, c.c.id), eq(c.c.city, str('Oslo'))), gt(s.c.amount, i32(1000))));
    expect(run(plan)).toBe(
      [
        'Left Join: s.customer_id = c.id, filter=s.amount > 1000',
        '  TableScan: sales AS s projection=[id, customer_id, category, region, amount, qty, price, flag, day, big]',
        "  TableScan: customers AS c projection=[id, name, city, tier], filters=[c.city = 'Oslo']",
      ].join('\n'),
    );
  });

  it('turns a left join into an inner join under a null-rejecting conjunct', () => {
    const { s, c } = setup();
    const plan = filter(
      join('left', s.plan, c.plan, [[s.c.customer_id, c.c.id]], gt(s.c.amount, c.c.tier)),
      and(or(eq(c.c.city, str('Oslo')), gt(add(c.c.tier, i32(1)), i32(2))), gt(s.c.amount, i32(5))),
    );
    expect(run(plan)).toBe(
      [
        'Inner Join: s.customer_id = c.id, filter=s.amount > c.tier',
        '  TableScan: sales AS s projection=[id, customer_id, category, region, amount, qty, price, flag, day, big], filters=[s.amount > 5]',
        "  TableScan: customers AS c projection=[id, name, city, tier], filters=[c.city = 'Oslo' OR c.tier + 1 > 2]",
      ].join('\n'),
    );
    // IS NULL / COALESCE-style conjuncts keep it a left join.
    const keep = filter(join('left', s.plan, c.plan, [[s.c.customer_id, c.c.id]]), or(isNull(c.c.city), eq(c.c.city, str('Rome'))));
    expect(run(keep).split('\n')[1]).toBe('  Left Join: s.customer_id = c.id');
  });

  it('inner join filter conjuncts are pushed to the sides', () => {
    const { s, c } = setup();
    const plan = join('inner', s.plan, c.plan, [[s.c.customer_id, c.c.id]], and(gt(c.c.tier, i32(0)), gt(s.c.amount, c.c.tier)));
    expect(run(plan)).toBe(
      [
        'Inner Join: s.customer_id = c.id, filter=s.amount > c.tier',
        '  TableScan: sales AS s projection=[id, customer_id, category, region, amount, qty, price, flag, day, big]',
        '  TableScan: customers AS c projection=[id, name, city, tier], filters=[c.tier > 0]',
      ].join('\n'),
    );
  });

  it('is idempotent', () => {
    const { s, c } = setup();
    const plan = filter(join('cross', s.plan, c.plan), and(eq(s.c.customer_id, c.c.id), gt(s.c.amount, i32(100))));
    const once = pushDownFilter.rewrite(plan, DEFAULT_OPTIMIZER_CONFIG)!;
    expect(pushDownFilter.rewrite(once, DEFAULT_OPTIMIZER_CONFIG)).toBeNull();
  });
});
