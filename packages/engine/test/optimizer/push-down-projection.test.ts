import { describe, expect, it } from 'vitest';
import { formatLogicalPlan } from '../../src/logical/display.js';
import { outputFields, type LogicalPlan } from '../../src/logical/plan.js';
import { pushDownProjection } from '../../src/optimizer/push-down-projection.js';
import { DEFAULT_OPTIMIZER_CONFIG } from '../../src/optimizer/rule.js';
import { validatePlan } from '../../src/optimizer/validate.js';
import { INT32, INT64, UTF8 } from '../../src/types/data-type.js';
import { customersTable, salesTable } from './fixtures.js';
import {
  add, agg, aggregate, asc, eq, FakeTable, filter, gt, i32, Ids, join, limit, project, results, scan, sort, values, window,
} from './helpers.js';

function run(plan: LogicalPlan): string {
  const out = pushDownProjection.rewrite(plan, DEFAULT_OPTIMIZER_CONFIG) ?? plan;
  validatePlan(out);
  expect(outputFields(out)).toEqual(outputFields(plan));
  expect(results(out)).toEqual(results(plan));
  return formatLogicalPlan(out);
}

describe('push_down_projection', () => {
  it('reads only the columns the query uses, including filter columns', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable());
    const scanF = { ...s.plan, filters: [gt(s.c.qty, i32(2))] };
    const g = aggregate(ids, filter(scanF, gt(s.c.price, i32(3))), [['category', s.c.category]], [['sum', agg('sum', s.c.amount)]]);
    const p = project(ids, g.plan, [['category', g.c.category], ['sum', g.c.sum]]);
    expect(run(p.plan)).toBe(
      [
        'Projection: category, sum',
        '  Aggregate: groupBy=[[sales.category]], aggr=[[sum(sales.amount)]]',
        '    Filter: sales.price > 3',
        '      TableScan: sales projection=[category, amount, qty, price], filters=[sales.qty > 2]',
      ].join('\n'),
    );
  });

  it('keeps the narrowest fixed-width column for COUNT(*) where a source must read one (CSV)', () => {
    const ids = new Ids();
    const wide = Object.assign(new FakeTable([['name', UTF8], ['big', INT64], ['small', INT32], ['other', INT32]], [{ name: 'a', big: 1, small: 2, other: 3 }]), { kind: 'csv' as const });
    const s = scan(ids, 't', wide as unknown as FakeTable);
    const g = aggregate(ids, s.plan, [], [['count', agg('count_star', null)]]);
    expect(run(g.plan)).toBe('Aggregate: groupBy=[[]], aggr=[[count(*)]]\n  TableScan: t projection=[small]');
  });

  it('reads no column for COUNT(*) from Parquet or memory (row counts only)', () => {
    const ids = new Ids();
    const wide = new FakeTable([['name', UTF8], ['big', INT64], ['small', INT32]], [{ name: 'a', big: 1, small: 2 }]);
    const s = scan(ids, 't', wide);
    const g = aggregate(ids, s.plan, [], [['count', agg('count_star', null)]]);
    expect(run(g.plan)).toBe('Aggregate: groupBy=[[]], aggr=[[count(*)]]\n  TableScan: t projection=[]');
  });

  it('drops unread projection expressions, aggregates and windows below the root', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable());
    const w = window(ids, s.plan, [
      ['rn', { fn: 'row_number', arg: null, partitionBy: [], orderBy: [asc(s.c.id)], frame: { mode: 'range' }, type: INT64 }],
    ]);
    const p1 = project(ids, w.plan, [['a', s.c.amount], ['b', add(s.c.qty, i32(1))], ['c', s.c.category]]);
    const g = aggregate(ids, p1.plan, [['c', p1.c.c]], [['s', agg('sum', p1.c.a)], ['m', agg('max', p1.c.b)]]);
    const root = project(ids, g.plan, [['c', g.c.c], ['s', g.c.s]]);
    expect(run(root.plan)).toBe(
      [
        'Projection: c, s',
        '  Aggregate: groupBy=[[c]], aggr=[[sum(a)]]',
        '    Projection: sales.amount AS a, sales.category AS c',
        '      TableScan: sales projection=[category, amount]',
      ].join('\n'),
    );
  });

  it('never changes the root output', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable());
    const g = aggregate(ids, s.plan, [['cat', s.c.category]], [['n', agg('count_star', null)], ['mx', agg('max', s.c.amount)]]);
    expect(run(g.plan)).toBe(
      'Aggregate: groupBy=[[sales.category AS cat]], aggr=[[count(*), max(sales.amount)]]\n  TableScan: sales projection=[category, amount]',
    );
  });

  it('prunes both join sides to keys, filters and what is read above', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable(), 's');
    const c = scan(ids, 'customers', customersTable(), 'c');
    const j = join('left', s.plan, c.plan, [[s.c.customer_id, c.c.id]], gt(s.c.amount, c.c.tier));
    const p = project(ids, limit(sort(j, [asc(s.c.id)]), 0, 5), [['name', c.c.name]]);
    expect(run(p.plan)).toBe(
      [
        'Projection: c.name',
        '  Limit: skip=0, fetch=5',
        '    Sort: s.id ASC NULLS LAST',
        '      Left Join: s.customer_id = c.id, filter=s.amount > c.tier',
        '        TableScan: sales AS s projection=[id, customer_id, amount]',
        '        TableScan: customers AS c projection=[id, name, tier]',
      ].join('\n'),
    );
  });

  it('removes a pass-through projection below the root and prunes values', () => {
    const ids = new Ids();
    const v = values(ids, [['x', INT32], ['y', UTF8], ['z', INT32]], [[1, 'a', 10], [2, 'b', 20]]);
    const inner = { kind: 'projection' as const, input: v.plan, exprs: [{ id: v.c.z.id, name: 'z', expr: v.c.z }, { id: v.c.x.id, name: 'x', expr: v.c.x }] };
    const root = project(ids, filter(inner, gt(v.c.x, i32(1))), [['z2', add(v.c.z, v.c.z)]]);
    expect(run(root.plan)).toBe('Projection: z + z AS z2\n  Filter: x > 1\n    Values: (1, 10), (2, 20)');
  });

  it('merges a projection over a projection unless that would compute an expression twice', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable());
    const inner = project(ids, s.plan, [['category', s.c.category], ['a2', add(s.c.amount, s.c.amount)]]);
    const outer = project(ids, inner.plan, [['cat', inner.c.category], ['a2', inner.c.a2]]);
    expect(run(outer.plan)).toBe('Projection: sales.category AS cat, sales.amount + sales.amount AS a2\n  TableScan: sales projection=[category, amount]');
    const twice = project(ids, inner.plan, [['x', add(inner.c.a2, inner.c.a2)]]);
    expect(run(twice.plan).split('\n')[1]).toBe('  Projection: sales.amount + sales.amount AS a2');
  });

  it('returns null when nothing can be pruned', () => {
    const ids = new Ids();
    const s = scan(ids, 't', new FakeTable([['a', INT32]], [{ a: 1 }]));
    expect(pushDownProjection.rewrite(filter(s.plan, eq(s.c.a, i32(1))), DEFAULT_OPTIMIZER_CONFIG)).toBeNull();
  });
});
