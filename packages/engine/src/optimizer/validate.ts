import { columnsOf, type Expr } from '../logical/expr.js';
import { outputFields, type LogicalPlan } from '../logical/plan.js';
import { formatExpr, formatNode } from '../logical/display.js';
import { typesEqual } from '../types/data-type.js';

/** An internal invariant of a logical plan is broken (an engine bug, not a user error). */
export class PlanValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanValidationError';
  }
}

/**
 * Checks the structural invariants every rule must keep:
 *  - every column an expression of a node reads is produced by that node's inputs (join keys:
 *    left key over the left input, right key over the right input; scan filters over the scan's fields);
 *  - output ids of a node are unique, and a join's two sides share no id;
 *  - values rows have one expression per field; limit/fetch values are non-negative.
 * Throws PlanValidationError on the first violation.
 */
export function validatePlan(plan: LogicalPlan): void {
  visit(plan);
}

function ids(plan: LogicalPlan): Set<number> {
  const out = new Set<number>();
  for (const f of outputFields(plan)) {
    if (f.id === undefined) fail(plan, `output field "${f.name}" has no id`);
    if (out.has(f.id)) fail(plan, `duplicate output column id ${f.id} ("${f.name}")`);
    out.add(f.id);
  }
  return out;
}

function fail(plan: LogicalPlan, msg: string): never {
  throw new PlanValidationError(`invalid plan at "${formatNode(plan)}": ${msg}`);
}

function check(plan: LogicalPlan, e: Expr | null, available: ReadonlySet<number>, what: string): void {
  if (e === null) return;
  for (const id of columnsOf(e)) {
    if (!available.has(id)) fail(plan, `${what} ${formatExpr(e)} reads column #${id}, which its input does not produce`);
  }
}

function visit(plan: LogicalPlan): void {
  switch (plan.kind) {
    case 'scan': {
      const have = ids(plan);
      const names = new Set(plan.source.schema.map((f) => f.name));
      for (const f of plan.fields) if (!names.has(f.name)) fail(plan, `source has no column "${f.name}"`);
      for (const e of plan.filters) check(plan, e, have, 'filter');
      return;
    }
    case 'values':
      ids(plan);
      for (const r of plan.rows) {
        if (r.length !== plan.fields.length) fail(plan, `row has ${r.length} values for ${plan.fields.length} fields`);
        for (const e of r) check(plan, e, new Set(), 'value');
      }
      return;
    case 'join': {
      visit(plan.left);
      visit(plan.right);
      const l = ids(plan.left);
      const r = ids(plan.right);
      for (const id of l) if (r.has(id)) fail(plan, `column id ${id} is produced by both join sides`);
      for (const k of plan.on) {
        check(plan, k.left, l, 'left join key');
        check(plan, k.right, r, 'right join key');
      }
      check(plan, plan.filter, new Set([...l, ...r]), 'join filter');
      if (plan.joinType === 'cross' && plan.on.length > 0) fail(plan, 'cross join with equi keys');
      return;
    }
    case 'work_table':
      ids(plan);
      return;
    case 'recursive_cte': {
      const have = ids(plan);
      for (const input of [plan.static, plan.recursive]) {
        visit(input);
        const fs = outputFields(input);
        if (fs.length !== plan.fields.length) fail(plan, `term has ${fs.length} columns for ${plan.fields.length} fields`);
        fs.forEach((f, i) => {
          if (!typesEqual(f.type, plan.fields[i].type)) fail(plan, `term column ${i + 1} ("${f.name}") has another type than the output`);
          if (have.has(f.id!)) fail(plan, `column id ${f.id} is both a term and an output column`);
        });
      }
      return;
    }
    case 'set_op': {
      const have = ids(plan);
      if (plan.inputs.length < 2) fail(plan, 'set operation with fewer than two inputs');
      if (plan.op !== 'union' && plan.inputs.length !== 2) fail(plan, `${plan.op} with ${plan.inputs.length} inputs`);
      for (const input of plan.inputs) {
        visit(input);
        const fs = outputFields(input);
        if (fs.length !== plan.fields.length) fail(plan, `input has ${fs.length} columns for ${plan.fields.length} fields`);
        fs.forEach((f, i) => {
          if (!typesEqual(f.type, plan.fields[i].type)) fail(plan, `input column ${i + 1} ("${f.name}") has another type than the output`);
          if (have.has(f.id!)) fail(plan, `column id ${f.id} is both an input and an output column`);
        });
      }
      return;
    }
    default:
      break;
  }
  visit(plan.input);
  const have = ids(plan.input);
  switch (plan.kind) {
    case 'projection':
      if (plan.exprs.length === 0) fail(plan, 'projection without expressions');
      for (const n of plan.exprs) check(plan, n.expr, have, 'expression');
      break;
    case 'filter':
      check(plan, plan.predicate, have, 'predicate');
      break;
    case 'aggregate':
      for (const g of plan.groupBy) check(plan, g.expr, have, 'group key');
      for (const a of plan.aggregates) {
        check(plan, a.agg.arg, have, 'aggregate argument');
        check(plan, a.agg.filter, have, 'aggregate filter');
      }
      break;
    case 'sort':
      for (const k of plan.keys) check(plan, k.expr, have, 'sort key');
      if (plan.fetch !== null && plan.fetch < 0) fail(plan, 'negative fetch');
      break;
    case 'limit':
      if (plan.skip < 0 || (plan.fetch !== null && plan.fetch < 0)) fail(plan, 'negative skip/fetch');
      break;
    case 'max_one_row':
      for (const k of plan.keys ?? []) check(plan, k, have, 'key');
      break;
    case 'window':
      if (plan.windows.length === 0) fail(plan, 'window node without window expressions');
      for (const w of plan.windows) {
        check(plan, w.window.arg, have, 'window argument');
        check(plan, w.window.defaultValue ?? null, have, 'window default');
        for (const p of w.window.partitionBy) check(plan, p, have, 'partition key');
        for (const k of w.window.orderBy) check(plan, k.expr, have, 'window order key');
      }
      break;
  }
  ids(plan);
}
