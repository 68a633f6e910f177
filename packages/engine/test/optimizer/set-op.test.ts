import { describe, expect, it } from 'vitest';
import { formatLogicalPlan } from '../../src/logical/display.js';
import { outputFields, type LogicalPlan, type SetOpNode } from '../../src/logical/plan.js';
import { col } from '../../src/logical/expr.js';
import { pushDownFilter } from '../../src/optimizer/push-down-filter.js';
import { pushDownProjection } from '../../src/optimizer/push-down-projection.js';
import { DEFAULT_OPTIMIZER_CONFIG } from '../../src/optimizer/rule.js';
import { validatePlan } from '../../src/optimizer/validate.js';
import { salesTable } from './fixtures.js';
import { and, eq, filter, gt, i32, Ids, isNull, or, project, results, scan, str } from './helpers.js';

function setOp(ids: Ids, op: SetOpNode['op'], all: boolean, inputs: LogicalPlan[]): { plan: SetOpNode; c: ReturnType<typeof col>[] } {
  const fields = outputFields(inputs[0]).map((f) => ({ id: ids.id(), name: f.name, type: f.type, nullable: true }));
  return { plan: { kind: 'set_op', op, all, inputs, fields }, c: fields.map((f) => col(f.id, f.name, f.type)) };
}

function branches(ids: Ids) {
  const a = scan(ids, 'sales', salesTable(), 'a');
  const b = scan(ids, 'sales', salesTable(), 'b');
  const pa = project(ids, filter(a.plan, gt(a.c.id, i32(40))), [['id', a.c.id], ['category', a.c.category], ['qty', a.c.qty]]);
  const pb = project(ids, b.plan, [['id', b.c.id], ['category', b.c.category], ['qty', b.c.qty]]);
  return [pa.plan, pb.plan];
}

function run(rule: typeof pushDownFilter, plan: LogicalPlan): string {
  const out = rule.rewrite(plan, DEFAULT_OPTIMIZER_CONFIG) ?? plan;
  validatePlan(out);
  expect(outputFields(out)).toEqual(outputFields(plan));
  expect(results(out)).toEqual(results(plan));
  return formatLogicalPlan(out);
}

describe('set operations in the optimizer', () => {
  for (const [op, all] of [['union', true], ['union', false], ['intersect', false], ['intersect', true], ['except', false], ['except', true]] as const) {
    it(`push_down_filter moves conjuncts into every input of ${op}${all ? ' all' : ''}`, () => {
      const ids = new Ids();
      const u = setOp(ids, op, all, branches(ids));
      const plan = filter(u.plan, and(or(eq(u.c[1], str('category_1')), isNull(u.c[1])), gt(u.c[2], i32(2))));
      const text = run(pushDownFilter, plan);
      expect(text.split('\n')[0]).toMatch(/^(Union|Intersect|Except)/);
      expect(text).not.toMatch(/^Filter/);
      expect(text.match(/filters=\[.*qty > 2/g)?.length).toBe(2);
    });
  }

  it('push_down_projection prunes UNION ALL inputs by position', () => {
    const ids = new Ids();
    const u = setOp(ids, 'union', true, branches(ids));
    const p = project(ids, u.plan, [['category', u.c[1]]]);
    const text = run(pushDownProjection, p.plan);
    expect(text).toContain('Union All: [category]');
    expect(text).toContain('TableScan: sales AS b projection=[category]');
    expect(text).toContain('TableScan: sales AS a projection=[id, category]');
  });

  it('push_down_projection keeps every column of a distinct set operation', () => {
    const ids = new Ids();
    const u = setOp(ids, 'except', false, branches(ids));
    const p = project(ids, u.plan, [['category', u.c[1]]]);
    const text = run(pushDownProjection, p.plan);
    expect(text).toContain('Except: [id, category, qty]');
    expect(text).toContain('TableScan: sales AS b projection=[id, category, qty]');
  });

  it('validate rejects inputs of another width or type', () => {
    const ids = new Ids();
    const [x, y] = branches(ids);
    const narrow = project(ids, y, [['id', col(outputFields(y)[0].id!, 'id', outputFields(y)[0].type)]]).plan;
    const bad = setOp(ids, 'union', true, [x, narrow]).plan;
    expect(() => validatePlan(bad)).toThrow(/columns/);
  });
});
