import type { Batch } from '../types/batch.js';
import type { Column } from '../types/column.js';
import type { DataType } from '../types/data-type.js';

/**
 * A compiled expression bound to column positions of an input schema (from expr/compile.ts).
 * `evaluate` returns a column of batch.numRows rows. Constant sub-expressions are evaluated once.
 */
export interface PhysicalExpr {
  readonly type: DataType;
  evaluate(batch: Batch): Column;
  /** `amount@3 > 1000` style, for EXPLAIN of physical plans. */
  toString(): string;
}

/** A selection vector: the row indices (ascending) where a boolean column is true (not NULL). */
export type Selection = Int32Array;
