/** One engine under test, in one mode, over one dataset's tables. */
import type { Rows } from '../compare.js';
import type { Mode } from '../args.js';

/** Table name → file (Parquet) of a generated dataset; the dataset directory for loaders that need it. */
export interface DatasetFiles {
  readonly dir: string;
  readonly tables: Readonly<Record<string, string>>;
}

export interface BenchEngine {
  readonly name: string;
  readonly mode: Mode;
  /** Known after prepare(). */
  readonly version: string;
  /**
   * One-off set-up, timed apart: hot modes load the tables into memory here, PostgreSQL loads
   * them with COPY. Cold modes only remember where the files are.
   */
  prepare(data: DatasetFiles): Promise<void>;
  /** Runs a query and returns its rows as text cells (for the cross-engine comparison). */
  run(sql: string): Promise<Rows>;
  close(): Promise<void>;
}
