import { describe, expect, it } from 'vitest';
import { col } from '../../src/logical/expr.js';
import { PlanValidationError, validatePlan } from '../../src/optimizer/validate.js';
import { INT32 } from '../../src/types/data-type.js';
import { customersTable, salesTable } from './fixtures.js';
import { eq, filter, gt, i32, Ids, join, project, scan } from './helpers.js';

describe('validatePlan', () => {
  it('accepts a well-formed plan', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable());
    const c = scan(ids, 'customers', customersTable());
    expect(() => validatePlan(filter(join('inner', s.plan, c.plan, [[s.c.customer_id, c.c.id]]), gt(s.c.amount, c.c.tier)))).not.toThrow();
  });

  it('rejects references to columns the input does not produce', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable());
    const pruned = { ...s.plan, fields: s.plan.fields.filter((f) => f.name !== 'amount') };
    expect(() => validatePlan(filter(pruned, gt(s.c.amount, i32(1))))).toThrow(PlanValidationError);
    expect(() => validatePlan({ ...pruned, filters: [gt(s.c.amount, i32(1))] })).toThrow(/reads column #5/);
    expect(() => validatePlan(project(ids, s.plan, [['x', col(999, 'ghost', INT32)]]).plan)).toThrow(/ghost/);
  });

  it('rejects join keys on the wrong side and shared ids', () => {
    const ids = new Ids();
    const s = scan(ids, 'sales', salesTable());
    const c = scan(ids, 'customers', customersTable());
    expect(() => validatePlan(join('inner', s.plan, c.plan, [[c.c.id, s.c.customer_id]]))).toThrow(/left join key/);
    expect(() => validatePlan(join('inner', s.plan, s.plan, [[s.c.id, s.c.id]]))).toThrow(/both join sides/);
    expect(() => validatePlan(join('cross', s.plan, c.plan, [[s.c.id, c.c.id]]))).toThrow(/cross join/);
    expect(() => validatePlan(join('inner', s.plan, c.plan, [], eq(s.c.id, col(999, 'x', INT32))))).toThrow(/join filter/);
  });
});
