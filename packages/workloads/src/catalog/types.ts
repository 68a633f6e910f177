/**
 * The workload catalog's shape: a workload is data — the dataset it runs on, its queries (what the
 * benchmark harness times on every engine) and its phases (the same question asked with one more
 * optimization each time, after the seed studies; what the API stores and the dashboard shows).
 */

/** One query of a workload, in portable SQL every peer (engine, DuckDB, Polars, PostgreSQL) runs. */
export interface WorkloadQuery {
  readonly id: string;
  /** As the seed wrote it (table names are the dataset's). */
  readonly sql: string;
  /**
   * What the benchmark times and compares when `sql` is not fit for it: a query whose rows are not
   * unique under ties (ROW_NUMBER without a tie-break), or that returns every input row (then the
   * timing would be the client's transfer). Wraps the same work into a tie-invariant checksum.
   */
  readonly benchSql?: string;
  readonly description?: string;
}

export interface WorkloadPhase {
  readonly name: string;
  /** What this phase changes compared with the previous one. */
  readonly optimization: string;
  /** One runnable query that stands for the phase (what the API's job runner executes). */
  readonly sql: string;
  /** Seed measurement of the phase, if the seed reports one (e.g. seed 000: 686.5 s for 100M rows). */
  readonly seedResult?: string;
}

export interface Workload {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  /** Seed posts the workload reproduces (file prefixes in shared/seeds). */
  readonly seeds: readonly string[];
  /** Generator in this package (DATASETS). */
  readonly dataset: string;
  readonly queries: readonly WorkloadQuery[];
  readonly phases: readonly WorkloadPhase[];
}
