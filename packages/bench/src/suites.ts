/**
 * Benchmark suites: the catalog's workloads (@phaselab/workloads) and seed 003's three query groups
 * on their own. A suite is a dataset plus queries; the harness times `benchSql` where a query has
 * one (a tie-invariant, small-result form of the same work) and `sql` otherwise.
 */
import { PGSTROM_AGGREGATES, PGSTROM_GROUPBY, PGSTROM_WINDOWS, WORKLOADS, type WorkloadQuery } from '@phaselab/workloads';

export interface BenchQuery {
  readonly id: string;
  readonly sql: string;
}

export interface BenchSuite {
  readonly name: string;
  readonly description: string;
  /** Generator in @phaselab/workloads. */
  readonly dataset: string;
  readonly queries: readonly BenchQuery[];
}

const timed = (qs: readonly WorkloadQuery[]): BenchQuery[] => qs.map((q) => ({ id: q.id, sql: q.benchSql ?? q.sql }));

export const SUITES: Record<string, BenchSuite> = {
  ...Object.fromEntries(WORKLOADS.map((w) => [w.key, { name: w.key, description: w.name, dataset: w.dataset, queries: timed(w.queries) }])),
  groupby: { name: 'groupby', description: 'seed 003 phase 2.1: GROUP BY queries on l40s_sales_large', dataset: 'sales', queries: timed(PGSTROM_GROUPBY) },
  aggregates: { name: 'aggregates', description: 'seed 003 phase 2.2: aggregate functions on l40s_sales_large', dataset: 'sales', queries: timed(PGSTROM_AGGREGATES) },
  windows: { name: 'windows', description: 'seed 003 phase 2.3: window functions on l40s_sales_large (folded into tie-invariant sums)', dataset: 'sales', queries: timed(PGSTROM_WINDOWS) },
};

export const SUITE_NAMES = Object.keys(SUITES);
