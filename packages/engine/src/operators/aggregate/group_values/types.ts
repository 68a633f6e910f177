import type { Column } from '../../../types/column.js';

/**
 * Key → group index (DataFusion's GroupValues). `intern` assigns every row of a batch its group
 * index (creating groups for new keys, in first-seen order); `emit` returns the key columns of
 * all groups in group-index order. NULL keys form a group of their own.
 */
export interface GroupValues {
  /** Shown in EXPLAIN as `keys=<name>`. */
  readonly name: string;
  intern(cols: readonly Column[], numRows: number, groupIdx: Int32Array): void;
  numGroups(): number;
  emit(): Column[];
  size(): number;
}

/** No GROUP BY: a single group 0, present even for empty input. */
export class NoGroupValues implements GroupValues {
  readonly name = 'none';
  intern(_cols: readonly Column[], numRows: number, groupIdx: Int32Array): void {
    groupIdx.fill(0, 0, numRows);
  }
  numGroups(): number {
    return 1;
  }
  emit(): Column[] {
    return [];
  }
  size(): number {
    return 0;
  }
}
