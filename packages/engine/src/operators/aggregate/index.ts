export { HashAggregateExec, groupValuesKind, type AggregateMode, type AggregateSpec, type HashAggregateOptions } from './hash-aggregate.js';
export { createAccumulator, stateFields, type GroupsAccumulator } from './accumulators/index.js';
export { DictionaryGroupValues } from './group_values/dictionary.js';
export { PrimitiveGroupValues } from './group_values/primitive.js';
export { MultiGroupValues, StringInterner } from './group_values/multi.js';
export { PerfectHashGroupValues, PERFECT_HASH_LIMIT } from './group_values/perfect.js';
export { ColumnIds, COLUMN_ID_LIMIT } from './group_values/column-ids.js';
export { NoGroupValues, type GroupValues } from './group_values/types.js';
