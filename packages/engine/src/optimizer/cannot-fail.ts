import type { NumericRange } from '../catalog.js';
import type { Expr } from '../logical/expr.js';
import type { DataType } from '../types/data-type.js';
import { NEVER_RAISING } from '../expr/compile.js';

/**
 * Can evaluating `e` raise an error on any row of its input? A rule that moves an expression to
 * where it sees rows it did not see before (a dimension's rows that no fact row joins) may only
 * move one that cannot: PostgreSQL would not have evaluated it there, so neither may we fail
 * there. Conservative: true only for expressions built from operators that never fail (columns,
 * literals, comparisons, AND/OR/NOT, IS [NOT] NULL, CASE, IN, COALESCE, string case and length,
 * concatenation, widening casts) and integer/float additions, subtractions and integer
 * multiplications whose result range — from the columns' known ranges — stays inside the type.
 */
export function cannotFail(e: Expr, range: (columnId: number) => NumericRange | undefined): boolean {
  const ok = (x: Expr): boolean => cannotFail(x, range);
  switch (e.kind) {
    case 'column':
    case 'literal':
      return true;
    case 'case':
      return e.whens.every((w) => ok(w.when) && ok(w.then)) && (e.otherwise === null || ok(e.otherwise));
    case 'in_list':
      return ok(e.expr) && e.list.every(ok);
    case 'cast':
      return widening(e.expr.type, e.type) && ok(e.expr);
    case 'call':
      if (NEVER_FAIL.has(e.fn)) return e.args.every(ok);
      if (e.fn === 'add' || e.fn === 'sub' || e.fn === 'mul' || e.fn === 'neg') {
        if (!e.args.every(ok)) return false;
        if (e.fn === 'mul' && e.type.kind === 'float64') return false; // can underflow
        const r = interval(e, range);
        return r !== undefined && fits(r, e.type);
      }
      return false;
  }
}

// the scan's never-raising operators, and string and NULL-handling functions that cannot fail either
const NEVER_FAIL: ReadonlySet<string> = new Set([...NEVER_RAISING, 'coalesce', 'concat', 'lower', 'upper', 'length']);

function widening(from: DataType, to: DataType): boolean {
  if (to.kind === 'utf8') return from.kind !== 'decimal';
  if (from.kind === to.kind) return from.kind !== 'decimal';
  if (from.kind === 'int32') return to.kind === 'int64' || to.kind === 'float64';
  if (from.kind === 'int64') return to.kind === 'float64';
  return from.kind === 'date' && to.kind === 'timestamp';
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
// the int64 kernels fail at ±2^63 (their values are float64)
const INT64_LIMIT = 2 ** 63;

function fits(r: NumericRange, type: DataType): boolean {
  switch (type.kind) {
    case 'int32': return r.min >= INT32_MIN && r.max <= INT32_MAX;
    case 'int64': return r.min > -INT64_LIMIT && r.max < INT64_LIMIT;
    case 'float64': return Number.isFinite(r.min) && Number.isFinite(r.max);
    default: return false;
  }
}

/** The range of a numeric expression's values, when the ranges of the columns it reads are known. */
export function interval(e: Expr, range: (columnId: number) => NumericRange | undefined): NumericRange | undefined {
  switch (e.kind) {
    case 'column':
      return e.type.kind === 'int32' || e.type.kind === 'int64' || e.type.kind === 'float64' ? range(e.id) : undefined;
    case 'literal':
      return typeof e.value === 'number' ? { min: e.value, max: e.value } : undefined;
    case 'cast':
      return widening(e.expr.type, e.type) && e.type.kind !== 'utf8' ? interval(e.expr, range) : undefined;
    case 'call': {
      const [a, b] = e.args.map((x) => interval(x, range));
      if (a === undefined || (e.fn !== 'neg' && b === undefined)) return undefined;
      switch (e.fn) {
        case 'neg': return { min: -a.max, max: -a.min };
        case 'add': return { min: a.min + b!.min, max: a.max + b!.max };
        case 'sub': return { min: a.min - b!.max, max: a.max - b!.min };
        case 'mul': {
          const p = [a.min * b!.min, a.min * b!.max, a.max * b!.min, a.max * b!.max];
          return { min: Math.min(...p), max: Math.max(...p) };
        }
        default: return undefined;
      }
    }
    default:
      return undefined;
  }
}
