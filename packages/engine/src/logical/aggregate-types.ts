import { FLOAT64, INT64, BOOL, UTF8, decimal, type DataType } from '../types/data-type.js';
import type { AggregateFn } from './expr.js';

/**
 * Result type of an aggregate, as PostgreSQL: count → bigint; sum(int) → bigint;
 * sum(bigint) → numeric; sum(numeric(p,s)) → numeric(38,s); min/max keep the type.
 * Deviation (documented in the README): avg/stddev/variance over exact types return double
 * precision where PostgreSQL returns numeric with 16+ significant digits.
 * Returns null when the aggregate does not accept the type.
 */
export function aggregateReturnType(fn: AggregateFn, arg: DataType | null): DataType | null {
  if (fn === 'count_star' || fn === 'count') return INT64;
  if (arg === null) return null;
  switch (fn) {
    case 'min':
    case 'max':
      return arg.kind === 'null' ? null : arg;
    case 'sum':
      switch (arg.kind) {
        case 'int32': return INT64;
        case 'int64': return decimal(38, 0);
        case 'decimal': return decimal(38, arg.scale);
        case 'float64': return FLOAT64;
        default: return null;
      }
    case 'avg':
    case 'stddev_samp':
    case 'stddev_pop':
    case 'var_samp':
    case 'var_pop':
      return arg.kind === 'int32' || arg.kind === 'int64' || arg.kind === 'decimal' || arg.kind === 'float64' ? FLOAT64 : null;
    case 'bool_and':
    case 'bool_or':
      return arg.kind === 'bool' ? BOOL : null;
    case 'string_agg':
      return arg.kind === 'utf8' ? UTF8 : null;
  }
}
