import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { SessionContext } from '../../src/index.js';
import { formatLogicalPlan } from '../../src/logical/display.js';
import { outputFields, type LogicalPlan } from '../../src/logical/plan.js';
import { aggregateBeforeJoin } from '../../src/optimizer/aggregate-before-join.js';
import { DEFAULT_OPTIMIZER_CONFIG } from '../../src/optimizer/rule.js';
import { validatePlan } from '../../src/optimizer/validate.js';
import { customersTable, salesTable } from './fixtures.js';
import { agg, aggregate, eq, gt, i32, Ids, join, optimizeChecked, results, scan } from './helpers.js';

function run(plan: LogicalPlan): LogicalPlan {
  const out = aggregateBeforeJoin.rewrite(plan, DEFAULT_OPTIMIZER_CONFIG) ?? plan;
  validatePlan(out);
  expect(outputFields(out)).toEqual(outputFields(plan));
  expect(results(out)).toEqual(results(plan));
  return out;
}

function star() {
  const ids = new Ids();
  const s = scan(ids, 'sales', salesTable(), 's');
  const c = scan(ids, 'customers', customersTable(), 'c');
  return { ids, s, c, j: join('inner', s.plan, c.plan, [[s.c.customer_id, c.c.id]]) };
}

describe('aggregate_before_join', () => {
  it('groups the fact side on its keys before joining when the join key is a group key', () => {
    const { ids, s, c, j } = star();
    const g = aggregate(ids, j, [['cust', s.c.customer_id], ['city', c.c.city], ['cat', s.c.category]], [
      ['n', agg('count_star', null)],
      ['total', agg('sum', s.c.amount, { filter: gt(s.c.qty, i32(3)) })],
      ['top', agg('max', s.c.price)],
      ['q', agg('count', s.c.qty)],
    ]);
    const out = run(g.plan);
    expect(formatLogicalPlan(out)).toBe(
      [
        'Aggregate: groupBy=[[cust, c.city, cat]], aggr=[[sum(n), sum(total), max(top), sum(q)]]',
        '  Inner Join: cust = c.id',
        '    Aggregate: groupBy=[[s.customer_id AS cust, s.category AS cat]], aggr=[[count(*), sum(s.amount) FILTER (WHERE s.qty > 3), max(s.price), count(s.qty)]]',
        '      TableScan: sales AS s projection=[id, customer_id, category, region, amount, qty, price, flag, day, big]',
        '    TableScan: customers AS c projection=[id, name, city, tier]',
      ].join('\n'),
    );
    // its own output is left alone on the next pass (the grouped side is an aggregate now)
    expect(aggregateBeforeJoin.rewrite(out, DEFAULT_OPTIMIZER_CONFIG)).toBeNull();
  });

  it('counts every match when the other side has duplicate keys', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable(), 's');
    const c = scan(ids, 'customers', customersTable(), 'c');
    // customers joined on tier (0..2): every sales row with customer_id in 0..2 matches two customers
    const j = join('inner', s.plan, c.plan, [[s.c.customer_id, c.c.tier]]);
    const g = aggregate(ids, j, [['cust', s.c.customer_id], ['city', c.c.city]], [['n', agg('count_star', null)], ['total', agg('sum', s.c.amount)]]);
    const out = run(g.plan);
    expect(out).not.toEqual(g.plan);
    expect(results(out).length).toBeGreaterThan(0);
  });

  it('leaves other shapes alone', () => {
    const { ids, s, c, j } = star();
    const cases: LogicalPlan[] = [
      // the join key is not a group key: the inner groups could outnumber the original ones
      aggregate(ids, j, [['cat', s.c.category], ['city', c.c.city]], [['n', agg('count_star', null)]]).plan,
      // no group key from the other side: nothing to save
      aggregate(ids, j, [['cust', s.c.customer_id]], [['n', agg('count_star', null)]]).plan,
      // an aggregate reading the other side
      aggregate(ids, j, [['cust', s.c.customer_id], ['city', c.c.city]], [['t', agg('sum', c.c.tier)]]).plan,
      // DISTINCT has no partial state
      aggregate(ids, j, [['cust', s.c.customer_id], ['city', c.c.city]], [['d', agg('count', s.c.qty, { distinct: true })]]).plan,
      // a LEFT join keeps unmatched rows
      aggregate(ids, join('left', s.plan, c.plan, [[s.c.customer_id, c.c.id]]), [['cust', s.c.customer_id], ['city', c.c.city]], [['n', agg('count_star', null)]]).plan,
      // a residual join filter
      aggregate(ids, join('inner', s.plan, c.plan, [[s.c.customer_id, c.c.id]], gt(s.c.amount, c.c.tier)), [['cust', s.c.customer_id], ['city', c.c.city]], [['n', agg('count_star', null)]]).plan,
      // a group key over both sides
      aggregate(ids, j, [['cust', s.c.customer_id], ['same', eq(s.c.qty, c.c.tier)]], [['n', agg('count_star', null)]]).plan,
    ];
    for (const plan of cases) expect(aggregateBeforeJoin.rewrite(plan, DEFAULT_OPTIMIZER_CONFIG)).toBeNull();
  });

  it('runs with the other rules to a fixpoint and keeps the results', () => {
    const { ids, s, c, j } = star();
    const g = aggregate(ids, j, [['cust', s.c.customer_id], ['name', c.c.name]], [['n', agg('count_star', null)], ['total', agg('sum', s.c.amount)]]);
    const { plan } = optimizeChecked(g.plan);
    expect(formatLogicalPlan(plan)).toContain('Aggregate: groupBy=[[s.customer_id AS cust]], aggr=[[count(*), sum(s.amount)]]');
    expect(results(plan)).toEqual(results(g.plan));
  });
});

describe('aggregate_before_join at run time', () => {
  async function run(dimIds: number[], disabledRules: string[] = []) {
    const ctx = new SessionContext({ batchSize: 256, partitions: 1, disabledRules });
    const n = 3000;
    ctx.registerArrow('plays', tableFromArrays({
      track_id: Int32Array.from({ length: n }, (_, i) => (i * 7) % 40),
      ms: Int32Array.from({ length: n }, (_, i) => (i * 7919) % 1000),
    }));
    ctx.registerArrow('tracks', tableFromArrays({
      track_id: Int32Array.from(dimIds),
      title: dimIds.map((id, i) => `title_${id}_${i % 2}`),
    }));
    const sql = 'SELECT p.track_id, t.title, count(*) AS n, sum(p.ms) AS ms, max(p.ms) AS top FROM plays p JOIN tracks t ON t.track_id = p.track_id GROUP BY p.track_id, t.title';
    const result = await (await ctx.sql(sql)).collectText();
    const analyzed = await (await ctx.sql(`EXPLAIN ANALYZE ${sql}`)).collectText();
    return { rows: result.rows.map((r) => r.join('|')).sort(), plan: analyzed.rows.map((r) => r.join(' ')).join('\n') };
  }

  it('passes rows through the outer aggregate when the dimension keys are distinct, and groups when they are not', async () => {
    const unique = await run(Array.from({ length: 30 }, (_, i) => i));
    expect(unique.plan).toMatch(/mode=Single.*groups=one per input row \(distinct build keys\)/);
    expect(unique.rows).toEqual((await run(Array.from({ length: 30 }, (_, i) => i), ['aggregate_before_join'])).rows);
    expect(unique.rows.length).toBe(30);
    // track 5 three times, under two titles (title_5_1 twice): the outer aggregate groups for real
    const dup = [...Array.from({ length: 30 }, (_, i) => i), 5, 5];
    const twice = await run(dup);
    expect(twice.plan).not.toMatch(/one per input row/);
    expect(twice.rows).toEqual((await run(dup, ['aggregate_before_join'])).rows);
    expect(twice.rows.length).toBe(31); // 29 tracks + track 5's two titles
  });
});
