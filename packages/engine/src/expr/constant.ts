import { columnsOf, type Expr, type LiteralExpr } from '../logical/expr.js';
import { valueAt } from '../types/column.js';
import { compileExpr } from './compile.js';
import { NOT_FOLDABLE } from './kernels/agg-args.js';

function hasNotFoldable(e: Expr): boolean {
  switch (e.kind) {
    case 'call': return NOT_FOLDABLE.has(e.fn) || e.args.some(hasNotFoldable);
    case 'cast': return hasNotFoldable(e.expr);
    case 'case': return e.whens.some((w) => hasNotFoldable(w.when) || hasNotFoldable(w.then)) || (e.otherwise !== null && hasNotFoldable(e.otherwise));
    case 'in_list': return hasNotFoldable(e.expr) || e.list.some(hasNotFoldable);
    default: return false;
  }
}

const ONE_ROW = { schema: [], columns: [], numRows: 1 } as const;

/**
 * Evaluates an expression that reads no columns and returns it as a literal of the
 * expression's type (storage domain: dates as days, decimals unscaled, …). Returns null when
 * the expression reads columns, or when evaluating it raises (division by zero, bad cast
 * input…): those errors are left to run time, where the row may never be evaluated.
 */
export function evaluateConstant(expr: Expr): LiteralExpr | null {
  if (expr.kind === 'literal') return expr;
  if (columnsOf(expr).size > 0 || hasNotFoldable(expr)) return null;
  try {
    const col = compileExpr(expr, []).evaluate(ONE_ROW);
    return { kind: 'literal', value: valueAt(col, 0), type: expr.type };
  } catch {
    return null;
  }
}
