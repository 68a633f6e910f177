import { describe, expect, it } from 'vitest';
import { formatLogicalPlan } from '../../src/logical/display.js';
import { outputFields, type LogicalPlan } from '../../src/logical/plan.js';
import { broadcastJoin } from '../../src/optimizer/broadcast-join.js';
import { estimateBytes, estimateRows } from '../../src/optimizer/estimate.js';
import { DEFAULT_OPTIMIZER_CONFIG, type OptimizerConfig } from '../../src/optimizer/rule.js';
import { validatePlan } from '../../src/optimizer/validate.js';
import { BOOL, INT32, INT64 } from '../../src/types/data-type.js';
import { customersTable, salesTable } from './fixtures.js';
import { agg, aggregate, eq, FakeTable, filter, gt, i32, i64, Ids, isNull, join, limit, lt, results, scan, sort, asc, str, values, window } from './helpers.js';
import { call } from '../../src/logical/expr.js';

function run(plan: LogicalPlan, config: Partial<OptimizerConfig> = {}): LogicalPlan {
  const out = broadcastJoin.rewrite(plan, { ...DEFAULT_OPTIMIZER_CONFIG, ...config }) ?? plan;
  validatePlan(out);
  expect(outputFields(out)).toEqual(outputFields(plan));
  expect(results(out)).toEqual(results(plan));
  return out;
}

describe('estimateRows', () => {
  it('follows the documented heuristics', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable({ numRows: 1000 }));
    expect(estimateRows(s.plan)).toBe(1000);
    expect(estimateRows(filter(s.plan, eq(s.c.id, i32(1))))).toBeCloseTo(100);
    expect(estimateRows({ ...s.plan, filters: [gt(s.c.id, i32(1)), gt(s.c.qty, i32(1))] })).toBeCloseTo(1000 * 0.3 * Math.sqrt(0.3));
    expect(estimateRows(aggregate(ids, s.plan, [], [['n', agg('count_star', null)]]).plan)).toBe(1);
    expect(estimateRows(aggregate(ids, s.plan, [['f', s.c.flag]], []).plan)).toBe(3);
    expect(estimateRows(aggregate(ids, s.plan, [['c', s.c.category]], []).plan)).toBe(100);
    expect(estimateRows(limit(s.plan, 0, 7))).toBe(7);
    expect(estimateRows(sort(s.plan, [asc(s.c.id)], 9))).toBe(9);
    const c = scan(ids, 'customers', customersTable({ numRows: 50 }));
    expect(estimateRows(join('inner', s.plan, c.plan, [[s.c.customer_id, c.c.id]]))).toBe(1000);
    expect(estimateRows(join('cross', s.plan, c.plan))).toBe(50_000);
    expect(estimateRows(scan(ids, 'x', new FakeTable([['a', INT32]], [], {})).plan)).toBeUndefined();
    expect(estimateRows(values(ids, [['b', BOOL]], [[true], [false]]).plan)).toBe(2);
    expect(estimateBytes(c.plan)).toBe(50 * (4 + 20 + 20 + 4));
  });
});

describe('broadcast_join', () => {
  it('broadcasts a small right side', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable({ numRows: 5000 }), 's');
    const c = scan(ids, 'customers', customersTable({ numRows: 50 }), 'c');
    const out = run(join('inner', s.plan, c.plan, [[s.c.customer_id, c.c.id]]));
    expect(formatLogicalPlan(out).split('\n')[0]).toBe('Inner Join: s.customer_id = c.id, strategy=broadcast (right side ~50 rows ≤ 1000000)');
  });

  it('swaps a much smaller left input of an inner join and restores the column order', () => {
    const ids = new Ids();
    const c = scan(ids, 'customers', customersTable({ numRows: 50 }), 'c');
    const s = scan(ids, 'sales', salesTable({ numRows: 5000 }), 's');
    const out = run(join('inner', c.plan, s.plan, [[c.c.id, s.c.customer_id]], gt(s.c.amount, c.c.tier)));
    expect(formatLogicalPlan(out).split('\n').slice(0, 2)).toEqual([
      'Projection: c.id, c.name, c.city, c.tier, s.id, s.customer_id, s.category, s.region, s.amount, s.qty, s.price, s.flag, s.day, s.big',
      '  Inner Join: s.customer_id = c.id, filter=s.amount > c.tier, strategy=broadcast (right side ~50 rows ≤ 1000000)',
    ]);
    // Idempotent: a second application changes nothing.
    expect(broadcastJoin.rewrite(out, DEFAULT_OPTIMIZER_CONFIG)).toBeNull();
  });

  it('never swaps a left join; picks partitioned over the thresholds or when unknown', () => {
    const ids = new Ids();
    const c = scan(ids, 'customers', customersTable({ numRows: 50 }), 'c');
    const s = scan(ids, 'sales', salesTable({ numRows: 5000 }), 's');
    const left = run(join('left', c.plan, s.plan, [[c.c.id, s.c.customer_id]]), { broadcastThresholdRows: 1000 });
    expect(formatLogicalPlan(left).split('\n')[0]).toBe('Left Join: c.id = s.customer_id, strategy=partitioned (right side ~5000 rows > 1000)');
    const bytes = run(join('inner', s.plan, c.plan, [[s.c.customer_id, c.c.id]]), { broadcastThresholdBytes: 1000 });
    expect(formatLogicalPlan(bytes).split('\n')[0]).toBe('Inner Join: s.customer_id = c.id, strategy=partitioned (right side ~0.0 MiB > 0.0 MiB)');
    const u = scan(ids, 'u', new FakeTable([['k', INT32]], [{ k: 1 }], {}));
    const unknown = run(join('inner', s.plan, u.plan, [[s.c.customer_id, u.c.k]]));
    expect(formatLogicalPlan(unknown).split('\n')[0]).toBe('Inner Join: s.customer_id = u.k, strategy=partitioned (right side size unknown)');
  });

  it('backs off across conjuncts and reads IN lists, NULL tests and ranking filters', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable({ numRows: 10_000 }), 's');
    const inList = { kind: 'in_list' as const, expr: s.c.category!, list: [str('a'), str('b'), str('c')], negated: false, type: BOOL };
    expect(estimateRows({ ...s.plan, filters: [inList] })).toBeCloseTo(3000);
    expect(estimateRows({ ...s.plan, filters: [{ ...inList, negated: true }] })).toBeCloseTo(7000);
    expect(estimateRows({ ...s.plan, filters: [isNull(s.c.qty)] })).toBeCloseTo(500);
    expect(estimateRows({ ...s.plan, filters: [call('is_not_null', [s.c.qty!], BOOL)] })).toBeCloseTo(9500);
    // most selective first, then ½ and ¼ powers: 0.1 · 0.3^½ · 0.95^¼
    expect(estimateRows({ ...s.plan, filters: [call('is_not_null', [s.c.qty!], BOOL), gt(s.c.id, i32(1)), eq(s.c.qty, i32(2))] }))
      .toBeCloseTo(10_000 * 0.1 * Math.sqrt(0.3) * 0.95 ** 0.25);
    const w = window(ids, s.plan, [['rn', { fn: 'row_number', arg: null, partitionBy: [s.c.id!], orderBy: [asc(s.c.day!)], frame: { mode: 'range' }, type: INT64 }]]);
    expect(estimateRows(filter(w.plan, eq(w.c.rn!, i64(1))))).toBeCloseTo(9000);
  });

  it('keeps a cleaned fact table on the probe side of a join with a large dimension (seed 000 gold)', () => {
    const ids = new Ids();
    const c = scan(ids, 'customers', customersTable({ numRows: 100_000 }), 'c');
    const s = scan(ids, 'sales', salesTable({ numRows: 10_000_000 }), 's');
    const cleaned = {
      ...s.plan,
      filters: [
        call('is_not_null', [s.c.amount!], BOOL), gt(s.c.amount!, i32(0)), call('is_not_null', [s.c.customer_id!], BOOL),
        { kind: 'in_list' as const, expr: s.c.category!, list: [str('a'), str('b'), str('c'), str('d')], negated: false, type: BOOL },
        gt(s.c.day!, i32(19000)), lt(s.c.day!, i32(19365)),
      ],
    };
    const w = window(ids, cleaned, [['rn', { fn: 'row_number', arg: null, partitionBy: [s.c.id!], orderBy: [asc(s.c.day!)], frame: { mode: 'range' }, type: INT64 }]]);
    const out = run(join('inner', c.plan, filter(w.plan, eq(w.c.rn!, i64(1))), [[c.c.id, s.c.customer_id]]));
    // the inputs swap so that the 100k-row dimension, not the ~1M cleaned rows, is the build (right) side
    expect(out.kind).toBe('projection');
    const inner = (out as { input: LogicalPlan }).input;
    expect(inner.kind).toBe('join');
    expect((inner as { right: LogicalPlan }).right).toBe(c.plan);
    expect(formatLogicalPlan(inner).split('\n')[0]).toBe('Inner Join: s.customer_id = c.id, strategy=broadcast (right side ~100000 rows ≤ 1000000)');
  });

  it('uses filtered estimates', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable({ numRows: 1_000_000 }), 's');
    const c = scan(ids, 'customers', customersTable({ numRows: 3_000_000 }), 'c');
    const filtered = { ...c.plan, filters: [eq(c.c.city, str('Oslo'))] };
    const out = run(join('inner', s.plan, filtered, [[s.c.customer_id, c.c.id]]));
    expect(formatLogicalPlan(out).split('\n')[0]).toBe('Inner Join: s.customer_id = c.id, strategy=broadcast (right side ~300000 rows ≤ 1000000)');
  });
});
