import { columnsOf, type Expr, type LiteralExpr } from '../logical/expr.js';
import { valueAt } from '../types/column.js';
import { compileExpr } from './compile.js';

const ONE_ROW = { schema: [], columns: [], numRows: 1 } as const;

/**
 * Evaluates an expression that reads no columns and returns it as a literal of the
 * expression's type (storage domain: dates as days, decimals unscaled, …). Returns null when
 * the expression reads columns, or when evaluating it raises (division by zero, bad cast
 * input…): those errors are left to run time, where the row may never be evaluated.
 */
export function evaluateConstant(expr: Expr): LiteralExpr | null {
  if (expr.kind === 'literal') return expr;
  if (columnsOf(expr).size > 0) return null;
  try {
    const col = compileExpr(expr, []).evaluate(ONE_ROW);
    return { kind: 'literal', value: valueAt(col, 0), type: expr.type };
  } catch {
    return null;
  }
}
