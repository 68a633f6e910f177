import type { Column, DataType, Field } from '@phaselab/engine';

export type OutputFormat = 'parquet' | 'arrow' | 'csv';

/** One column of a generated table, as data. */
export interface ColumnDef {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
  readonly description: string;
}

/** A table a dataset writes: static description (the `DATASETS` catalog is plain data plus `plan`). */
export interface TableDef {
  readonly name: string;
  readonly description: string;
  /** How the row count follows from `--rows` (human-readable; the plan computes it). */
  readonly rowsRule: string;
  readonly columns: readonly ColumnDef[];
}

/** A kind of injected dirt, its default rate (fraction of fact rows) and what it does. */
export interface DirtKindDef {
  readonly name: string;
  readonly defaultRate: number;
  readonly description: string;
}

export interface DatasetDef {
  readonly name: string;
  readonly description: string;
  /** Seed posts the dataset reproduces (file prefixes in shared/seeds). */
  readonly seeds: readonly string[];
  /** The table whose row count is `--rows`. */
  readonly factTable: string;
  readonly tables: readonly TableDef[];
  readonly dirt: readonly DirtKindDef[];
  /** Row counts and batch generators for one run. */
  plan(options: PlanOptions): DatasetPlan;
}

export interface PlanOptions {
  readonly seed: number;
  /** Rows of the fact table. */
  readonly rows: number;
  /** Rate per dirt kind (every kind of the dataset present; 0 = off). */
  readonly dirt: Readonly<Record<string, number>>;
}

/** Columns of rows [start, start + count) of a table, and how many of each dirt kind they hold. */
export interface GeneratedColumns {
  readonly columns: Column[];
  readonly dirt?: Readonly<Record<string, number>>;
}

export interface TablePlan {
  readonly name: string;
  readonly rows: number;
  readonly fields: readonly Field[];
  /**
   * Rows [start, start + count). A pure function of the plan's options and the row range: the
   * concatenation of any split of [0, rows) into ranges is the same data.
   */
  generate(start: number, count: number): GeneratedColumns;
}

export interface DatasetPlan {
  readonly tables: readonly TablePlan[];
}

export function fieldsOf(t: TableDef): Field[] {
  return t.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable }));
}
