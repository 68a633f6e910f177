import { arithmetic, negate } from './arith.js';
import { comparison } from './compare.js';
import { dateArith, dateTrunc, extract, makeDate, timestampAddIntervalKernel } from './datetime.js';
import type { KernelBuilder } from './kernel.js';
import { andOr, not, nullif, nullTest } from './logic.js';
import { abs, floatBinary, floatUnary, floorCeil, pi, round } from './math.js';
import { concatFn, concatOp, length, like, lower, substring, upper } from './string.js';
import { aggArgs } from './agg-args.js';
import { STRICT_TEXT_FUNCTIONS, concatWs, strictTextFn } from './text-fns.js';

/**
 * Kernel builders by function name (names as in logical/expr.ts CallExpr, plus the resolver's
 * renames: concat_op, date_add_days, date_sub_days, date_diff_days, date_part).
 * coalesce is compiled in compile.ts (it evaluates arguments lazily).
 */
export const BUILDERS: Record<string, KernelBuilder> = {
  add: arithmetic, sub: arithmetic, mul: arithmetic, div: arithmetic, mod: arithmetic,
  neg: negate,
  eq: comparison, neq: comparison, lt: comparison, lte: comparison, gt: comparison, gte: comparison,
  and: andOr, or: andOr, not,
  is_null: nullTest, is_not_null: nullTest, is_true: nullTest, is_false: nullTest,
  is_not_true: nullTest, is_not_false: nullTest,
  like, not_like: like, ilike: like, not_ilike: like,
  concat: concatFn, concat_op: concatOp,
  lower, upper, length, char_length: length, substring, substr: substring,
  date_trunc: dateTrunc, extract, date_part: extract,
  timestamp_add_interval: timestampAddIntervalKernel, make_date: makeDate,
  date_add_days: dateArith, date_sub_days: dateArith, date_diff_days: dateArith,
  round, trunc: round, abs, floor: floorCeil,
  sqrt: floatUnary, cbrt: floatUnary, exp: floatUnary, ln: floatUnary, log10: floatUnary, sign: floatUnary,
  power: floatBinary, log_base: floatBinary, pi, ceil: floorCeil, ceiling: floorCeil,
  nullif,
  concat_ws: concatWs,
  agg_args: aggArgs,
  ...Object.fromEntries(STRICT_TEXT_FUNCTIONS.map((f) => [f, strictTextFn])),
};
