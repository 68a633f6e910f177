import { describe, expect, it } from 'vitest';
import { call, col, lit } from '../../src/logical/expr.js';
import { formatAggregate, formatExpr, formatLogicalPlan } from '../../src/logical/display.js';
import { BOOL, DATE, INT32, TIMESTAMP, UTF8, decimal } from '../../src/types/data-type.js';
import { customersTable, salesTable } from './fixtures.js';
import {
  add, agg, aggregate, and, desc, eq, filter, gt, i32, Ids, isNull, join, limit, mul, not, or, project, scan, sort, str, values, window,
} from './helpers.js';

const a = col(1, 't.a', INT32);
const b = col(2, 't.b', INT32);
const c = col(3, 't.c', INT32);

describe('formatExpr', () => {
  it('prints operators infix with minimal parentheses', () => {
    expect(formatExpr(add(a, mul(b, c)))).toBe('t.a + t.b * t.c');
    expect(formatExpr(mul(add(a, b), c))).toBe('(t.a + t.b) * t.c');
    expect(formatExpr(call('sub', [a, call('sub', [b, c], INT32)], INT32))).toBe('t.a - (t.b - t.c)');
    expect(formatExpr(and(or(gt(a, i32(1)), eq(b, i32(2))), not(isNull(c))))).toBe(
      '(t.a > 1 OR t.b = 2) AND NOT t.c IS NULL',
    );
    expect(formatExpr(and(and(gt(a, i32(1)), gt(b, i32(2))), gt(c, i32(3))))).toBe('t.a > 1 AND t.b > 2 AND t.c > 3');
    expect(formatExpr(call('neg', [add(a, b)], INT32))).toBe('-(t.a + t.b)');
  });

  it('prints literals as PostgreSQL would', () => {
    expect(formatExpr(eq(col(4, 'category', UTF8), str('category_5')))).toBe("category = 'category_5'");
    expect(formatExpr(str("it's"))).toBe("'it''s'");
    expect(formatExpr(lit(null, INT32))).toBe('NULL');
    expect(formatExpr(lit(true, BOOL))).toBe('TRUE');
    expect(formatExpr(lit(1250, decimal(15, 2)))).toBe('12.50');
    expect(formatExpr(lit(-5, decimal(15, 2)))).toBe('-0.05');
    expect(formatExpr(lit(19723, DATE))).toBe("DATE '2024-01-01'");
    expect(formatExpr(lit(1704067200_000_000 + 3_723_500_000, TIMESTAMP))).toBe("TIMESTAMP '2024-01-01 01:02:03.5'");
  });

  it('prints calls, casts, CASE and IN', () => {
    expect(formatExpr(call('lower', [col(4, 'name', UTF8)], UTF8))).toBe('lower(name)');
    expect(formatExpr({ kind: 'cast', expr: a, type: decimal(15, 2) })).toBe('CAST(t.a AS numeric(15,2))');
    expect(
      formatExpr({ kind: 'case', whens: [{ when: gt(a, i32(0)), then: str('pos') }], otherwise: str('neg'), type: UTF8 }),
    ).toBe("CASE WHEN t.a > 0 THEN 'pos' ELSE 'neg' END");
    expect(formatExpr({ kind: 'in_list', expr: a, list: [i32(1), i32(2)], negated: true, type: BOOL })).toBe('t.a NOT IN (1, 2)');
  });

  it('formats aggregates', () => {
    expect(formatAggregate(agg('sum', a))).toBe('sum(t.a)');
    expect(formatAggregate(agg('count_star', null))).toBe('count(*)');
    expect(formatAggregate(agg('count', a, { distinct: true, filter: gt(b, i32(0)) }))).toBe(
      'count(DISTINCT t.a) FILTER (WHERE t.b > 0)',
    );
  });
});

describe('formatLogicalPlan', () => {
  it('prints the DataFusion-style tree', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable());
    const scanNode = { ...s.plan, fields: s.plan.fields.filter((f) => f.name === 'category' || f.name === 'amount'), filters: [gt(s.c.amount, i32(1000))] };
    const g = aggregate(ids, scanNode, [['category', s.c.category]], [['sum(sales.amount)', agg('sum', s.c.amount)]]);
    const p = project(ids, g.plan, [['category', g.c.category], ['sum(sales.amount)', g.c['sum(sales.amount)']]]);
    expect(formatLogicalPlan(p.plan)).toBe(
      [
        'Projection: category, sum(sales.amount)',
        '  Aggregate: groupBy=[[sales.category]], aggr=[[sum(sales.amount)]]',
        '    TableScan: sales projection=[category, amount], filters=[sales.amount > 1000]',
      ].join('\n'),
    );
  });

  it('prints joins, sorts, limits, windows, values and aliases', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable(), 's');
    const c = scan(ids, 'customers', customersTable(), 'c');
    const j = { ...join('inner', s.plan, c.plan, [[s.c.customer_id, c.c.id]]), strategy: 'broadcast' as const, strategyReason: 'right side ~6 rows ≤ 1000000' };
    const w = window(ids, j, [
      ['rn', { fn: 'row_number', arg: null, partitionBy: [c.c.city], orderBy: [desc(s.c.amount)], frame: { mode: 'rows', preceding: 10, following: 0 }, type: INT32 }],
    ]);
    const p = project(ids, w.plan, [['total', add(s.c.amount, i32(1))], ['rn', w.c.rn]]);
    const plan = limit(sort(p.plan, [desc(p.c.total)], 10), 0, 10);
    expect(formatLogicalPlan(plan)).toBe(
      [
        'Limit: skip=0, fetch=10',
        '  Sort: total DESC NULLS FIRST, fetch=10',
        '    Projection: s.amount + 1 AS total, rn',
        '      WindowAggr: windowExpr=[[row_number() PARTITION BY [c.city] ORDER BY [s.amount DESC NULLS FIRST] ROWS BETWEEN 10 PRECEDING AND CURRENT ROW]]',
        '        Inner Join: s.customer_id = c.id, strategy=broadcast (right side ~6 rows ≤ 1000000)',
        '          TableScan: sales AS s projection=[id, customer_id, category, region, amount, qty, price, flag, day, big]',
        '          TableScan: customers AS c projection=[id, name, city, tier]',
      ].join('\n'),
    );
    const v = values(ids, [['x', INT32], ['y', UTF8]], [[1, 'a'], [2, null]]);
    expect(formatLogicalPlan(filter(v.plan, gt(v.c.x, i32(1))))).toBe("Filter: x > 1\n  Values: (1, 'a'), (2, NULL)");
    expect(formatLogicalPlan(limit(v.plan, 5, null))).toMatch(/^Limit: skip=5, fetch=None/);
    expect(formatLogicalPlan(join('left', v.plan, c.plan, [], gt(v.c.x, c.c.tier)))).toMatch(/^Left Join: filter=x > c\.tier\n/);
    expect(formatLogicalPlan(join('cross', v.plan, c.plan))).toMatch(/^Cross Join:\n/);
  });
});
