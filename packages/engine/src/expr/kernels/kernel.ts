import type { Batch } from '../../types/batch.js';
import type { Column } from '../../types/column.js';
import type { DataType } from '../../types/data-type.js';
import type { PhysicalExpr } from '../physical-expr.js';

/**
 * Builds the physical expression of one call. Builders run once per compiled expression (not per
 * batch): they inspect argument types and constant arguments and return a specialised evaluator.
 */
export type KernelBuilder = (args: readonly PhysicalExpr[], type: DataType, fn: string) => PhysicalExpr;

/** A physical expression backed by a closure chosen at compile time. */
export class FnExpr implements PhysicalExpr {
  constructor(
    readonly type: DataType,
    private readonly label: string,
    private readonly fn: (batch: Batch) => Column,
  ) {}
  evaluate(batch: Batch): Column {
    return this.fn(batch);
  }
  toString(): string {
    return this.label;
  }
}

const INFIX: Record<string, string> = {
  add: '+', sub: '-', mul: '*', div: '/', mod: '%',
  eq: '=', neq: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=',
  and: 'AND', or: 'OR', like: 'LIKE', not_like: 'NOT LIKE', ilike: 'ILIKE', not_ilike: 'NOT ILIKE',
  concat_op: '||',
};

/** EXPLAIN text of a call: infix for operators, `fn(a, b)` otherwise. */
export function callLabel(fn: string, args: readonly PhysicalExpr[]): string {
  const op = INFIX[fn];
  if (op !== undefined && args.length === 2) return `${paren(args[0])} ${op} ${paren(args[1])}`;
  switch (fn) {
    case 'neg': return `-${paren(args[0])}`;
    case 'not': return `NOT ${paren(args[0])}`;
    case 'is_null': return `${paren(args[0])} IS NULL`;
    case 'is_not_null': return `${paren(args[0])} IS NOT NULL`;
    case 'is_true': return `${paren(args[0])} IS TRUE`;
    case 'is_false': return `${paren(args[0])} IS FALSE`;
  }
  return `${fn}(${args.map((a) => a.toString()).join(', ')})`;
}

function paren(e: PhysicalExpr): string {
  const s = e.toString();
  return /^[\w@.'"()]+$/.test(s) || /^\w+\(.*\)$/.test(s) ? s : `(${s})`;
}
