export { HashJoinExec, JoinHashTable, ProbeCursor, joinSchema, type HashJoinOptions, type HashJoinType } from './hash-join.js';
export { NestedLoopJoinExec, type NestedLoopJoinOptions, type NestedLoopJoinType } from './nested-loop-join.js';
export { concatBatches, takeOrNull } from './util.js';
