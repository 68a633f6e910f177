import type { AggregateExpr } from '../../../logical/expr.js';
import { EngineError } from '../../../errors.js';
import { FLOAT64, INT64, type DataType } from '../../../types/data-type.js';
import { AvgAccumulator } from './avg.js';
import { CountAccumulator } from './count.js';
import { DistinctAccumulator } from './distinct.js';
import { MinMaxAccumulator, StringMinMaxAccumulator } from './min-max.js';
import { SumAccumulator, sumTypeFor } from './sum.js';
import type { GroupsAccumulator, StateField } from './types.js';
import { VarianceAccumulator } from './variance.js';
import { StringAggAccumulator, stringAggOrder } from './string-agg.js';

export * from './types.js';
export { StringAggAccumulator };
export { AvgAccumulator, CountAccumulator, DistinctAccumulator, MinMaxAccumulator, StringMinMaxAccumulator, SumAccumulator, VarianceAccumulator };

function argTypeOf(agg: AggregateExpr): DataType | null {
  return agg.arg === null ? null : agg.arg.type;
}

/** DISTINCT matters for count/sum/avg only (min/max/bool_and/bool_or are idempotent). */
export function usesDistinct(agg: AggregateExpr): boolean {
  return agg.distinct && (agg.fn === 'count' || agg.fn === 'sum' || agg.fn === 'avg' || agg.fn.startsWith('var') || agg.fn.startsWith('stddev'));
}

/** The accumulator for an aggregate call (dispatch happens here, once per query). */
export function createAccumulator(agg: AggregateExpr): GroupsAccumulator {
  const argType = argTypeOf(agg);
  const base = createPlain(agg, argType);
  if (usesDistinct(agg)) return new DistinctAccumulator(base, argType !== null && argType.kind === 'utf8');
  return base;
}

function createPlain(agg: AggregateExpr, argType: DataType | null): GroupsAccumulator {
  switch (agg.fn) {
    case 'count_star':
      return new CountAccumulator(true);
    case 'count':
      return new CountAccumulator(false);
    case 'sum':
      return new SumAccumulator(agg.type);
    case 'avg':
      return new AvgAccumulator(argType!);
    case 'min':
    case 'max':
      if (argType!.kind === 'utf8') return new StringMinMaxAccumulator(agg.type, agg.fn === 'max');
      return new MinMaxAccumulator(agg.type, agg.fn === 'max');
    case 'bool_and':
      return new MinMaxAccumulator(agg.type, false);
    case 'bool_or':
      return new MinMaxAccumulator(agg.type, true);
    case 'stddev_samp':
    case 'stddev_pop':
    case 'var_samp':
    case 'var_pop':
      return new VarianceAccumulator(argType!, agg.fn);
    case 'string_agg':
      return new StringAggAccumulator(stringAggOrder(agg), agg.distinct);
    default:
      throw new EngineError('feature_not_supported', `aggregate ${String(agg.fn)} is not supported`);
  }
}

/** Names and types of the state columns `createAccumulator(agg).state()` returns (Partial output). */
export function stateFields(agg: AggregateExpr): StateField[] {
  const argType = argTypeOf(agg);
  if (usesDistinct(agg)) throw new EngineError('feature_not_supported', 'DISTINCT aggregates are not supported in partial aggregation');
  if (agg.fn === 'string_agg') throw new EngineError('feature_not_supported', 'string_agg is not supported in partial aggregation');
  switch (agg.fn) {
    case 'count_star':
    case 'count':
      return [{ name: 'count', type: INT64 }];
    case 'sum':
      return agg.type.kind === 'float64' ? [{ name: 'sum', type: FLOAT64 }] : [{ name: 'sum', type: agg.type }, { name: 'sum_hi', type: FLOAT64 }];
    case 'avg': {
      const sum: StateField[] =
        argType!.kind === 'float64' ? [{ name: 'sum', type: FLOAT64 }] : [{ name: 'sum', type: sumTypeFor(argType!) }, { name: 'sum_hi', type: FLOAT64 }];
      return [...sum, { name: 'count', type: INT64 }];
    }
    case 'min':
    case 'max':
    case 'bool_and':
    case 'bool_or':
      return [{ name: agg.fn, type: agg.type }];
    default:
      return [{ name: 'count', type: INT64 }, { name: 'mean', type: FLOAT64 }, { name: 'm2', type: FLOAT64 }];
  }
}
