import { describe, expect, it } from 'vitest';
import { formatLogicalPlan } from '../../src/logical/display.js';
import { DEFAULT_RULES, MAX_PASSES, optimize } from '../../src/optimizer/optimize.js';
import type { OptimizerRule } from '../../src/optimizer/rule.js';
import { customersTable, salesTable } from './fixtures.js';
import { agg, aggregate, and, desc, eq, filter, gt, i32, Ids, join, limit, optimizeChecked, project, results, scan, sort, str } from './helpers.js';
import { runDifferential } from './random-plans.js';

describe('optimize driver', () => {
  it('runs every rule per pass until a pass changes nothing, timing each application', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable());
    const p = project(ids, filter(s.plan, gt(s.c.amount, i32(1000))), [['id', s.c.id]]);
    const { plan, trace } = optimize(p.plan);
    expect(formatLogicalPlan(plan)).toBe('Projection: sales.id\n  TableScan: sales projection=[id, amount], filters=[sales.amount > 1000]');
    const names = DEFAULT_RULES.map((r) => r.name);
    expect(names).toEqual(['simplify_expressions', 'single_distinct_to_group_by', 'count_indicator', 'push_down_filter', 'push_down_limit', 'topk', 'push_down_projection', 'aggregate_before_join', 'project_build_side', 'aggregate_statistics', 'broadcast_join']);
    expect(trace.map((t) => t.rule)).toEqual([...names, ...names]);
    expect(trace.filter((t) => t.changed).map((t) => t.rule)).toEqual(['push_down_filter', 'push_down_projection']);
    expect(trace.slice(names.length).every((t) => !t.changed && t.pass === 2)).toBe(true);
    expect(trace.every((t) => t.ms >= 0)).toBe(true);
  });

  it('skips disabled rules', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable());
    const plan = filter(s.plan, gt(s.c.amount, i32(1000)));
    const out = optimize(plan, { disabledRules: ['push_down_filter', 'push_down_projection'] });
    expect(out.plan).toEqual(plan);
    expect(out.trace.some((t) => t.rule === 'push_down_filter')).toBe(false);
  });

  it('stops after MAX_PASSES even if a rule never settles', () => {
    let n = 0;
    const flip: OptimizerRule = { name: 'flip', rewrite: (p) => (p.kind === 'limit' ? { ...p, skip: ++n } : null) };
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable());
    const { trace } = optimize(limit(s.plan, 0, 1), {}, { rules: [flip] });
    expect(trace.length).toBe(MAX_PASSES);
  });

  it('optimizes a typical star query end to end', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable({ numRows: 2_000_000 }), 's');
    const c = scan(ids, 'customers', customersTable({ numRows: 50 }), 'c');
    const j = join('cross', s.plan, c.plan);
    const f = filter(j, and(and(eq(s.c.customer_id, c.c.id), eq(c.c.city, str('Oslo'))), gt(s.c.amount, i32(100))));
    const g = aggregate(ids, f, [['city', c.c.city], ['category', s.c.category]], [['total', agg('sum', s.c.amount)], ['n', agg('count_star', null)]]);
    const p = project(ids, g.plan, [['category', g.c.category], ['total', g.c.total]]);
    const top = limit(sort(p.plan, [desc(p.c.total)]), 0, 10);
    const { plan } = optimizeChecked(top);
    expect(formatLogicalPlan(plan)).toBe(
      [
        'Limit: skip=0, fetch=10',
        '  Sort: total DESC NULLS FIRST, fetch=10',
        '    Projection: category, total',
        '      Aggregate: groupBy=[[c.city, s.category]], aggr=[[sum(s.amount)]]',
        '        Inner Join: s.customer_id = c.id, strategy=broadcast (right side ~5 rows ≤ 1000000)',
        '          TableScan: sales AS s projection=[customer_id, category, amount], filters=[s.amount > 100]',
        "          TableScan: customers AS c projection=[id, city], filters=[c.city = 'Oslo']",
      ].join('\n'),
    );
    expect(results(plan)).toEqual(results(top));
  });
});

describe('differential: optimized plans return the same rows', () => {
  it('holds on 400 random plans', { timeout: 120_000 }, () => {
    const { checked, nonEmpty, ruleChanges } = runDifferential(400);
    expect(checked).toBeGreaterThan(250);
    expect(nonEmpty).toBeGreaterThan(150);
    for (const r of ['push_down_filter', 'push_down_projection', 'broadcast_join', 'topk', 'push_down_limit', 'single_distinct_to_group_by', 'aggregate_before_join']) {
      expect(ruleChanges.get(r) ?? 0).toBeGreaterThan(5);
    }
  });
});
