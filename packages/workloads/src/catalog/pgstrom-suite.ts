/**
 * Seed 003 (PG-Strom on 3× L40S): its phase 2 GROUP BY, aggregate and window queries on
 * `l40s_sales_large`, verbatim (the seed's shell arrays, trailing semicolons dropped).
 */
import type { Workload, WorkloadQuery } from './types.js';

const T = 'l40s_sales_large';

export const PGSTROM_GROUPBY: readonly WorkloadQuery[] = [
  { id: 'q1_count_by_category', sql: `SELECT category, COUNT(*) FROM ${T} GROUP BY category` },
  { id: 'q2_sum_by_category', sql: `SELECT category, SUM(amount) FROM ${T} GROUP BY category` },
  { id: 'q3_avg_by_category_region', sql: `SELECT category, region, AVG(amount) FROM ${T} GROUP BY category, region` },
  {
    id: 'q4_sum_by_partition_month',
    sql: `SELECT partition_key, DATE_TRUNC('month', order_date), SUM(amount) FROM ${T} GROUP BY partition_key, DATE_TRUNC('month', order_date)`,
  },
  { id: 'q5_all_aggs_by_category', sql: `SELECT category, COUNT(*), SUM(amount), AVG(amount), MIN(amount), MAX(amount) FROM ${T} GROUP BY category` },
];

export const PGSTROM_AGGREGATES: readonly WorkloadQuery[] = [
  { id: 'a1_count', sql: `SELECT COUNT(*) FROM ${T}` },
  { id: 'a2_sum_avg_min_max', sql: `SELECT SUM(amount), AVG(amount), MIN(amount), MAX(amount) FROM ${T}` },
  { id: 'a3_count_distinct', sql: `SELECT COUNT(DISTINCT category), COUNT(DISTINCT region) FROM ${T}` },
  { id: 'a4_stddev_variance', sql: `SELECT STDDEV(amount), VARIANCE(amount) FROM ${T} WHERE amount > 1000` },
  { id: 'a5_having', sql: `SELECT category, COUNT(*), SUM(amount), AVG(amount) FROM ${T} GROUP BY category HAVING COUNT(*) > 50000` },
];

// The window queries return every row and ROW_NUMBER/ROWS frames are not unique under ties in
// `amount`/`order_date`: the benchmark times the same windows folded into tie-invariant sums
// (a row number's or rank's sum over a partition does not depend on how ties are ordered). The
// moving average's frame does depend on the order of ties, so its bench form breaks ties by id.
export const PGSTROM_WINDOWS: readonly WorkloadQuery[] = [
  {
    id: 'w1_row_number',
    sql: `SELECT id, amount, ROW_NUMBER() OVER (PARTITION BY category ORDER BY amount DESC) FROM ${T}`,
    benchSql: `SELECT COUNT(*), SUM(rn), SUM(amount) FROM (SELECT id, amount, ROW_NUMBER() OVER (PARTITION BY category ORDER BY amount DESC) AS rn FROM ${T}) w`,
  },
  {
    id: 'w2_running_sum',
    sql: `SELECT id, amount, SUM(amount) OVER (PARTITION BY category ORDER BY order_date) FROM ${T}`,
    benchSql: `SELECT COUNT(*), SUM(running) FROM (SELECT id, amount, SUM(amount) OVER (PARTITION BY category ORDER BY order_date) AS running FROM ${T}) w`,
  },
  {
    id: 'w3_moving_avg',
    sql: `SELECT id, amount, AVG(amount) OVER (PARTITION BY region ORDER BY order_date ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) FROM ${T}`,
    benchSql: `SELECT COUNT(*), SUM(ma) FROM (SELECT id, amount, AVG(amount) OVER (PARTITION BY region ORDER BY order_date, id ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) AS ma FROM ${T}) w`,
  },
  {
    id: 'w4_rank_dense_rank',
    sql: `SELECT id, amount, RANK() OVER (ORDER BY amount DESC), DENSE_RANK() OVER (ORDER BY amount DESC) FROM ${T}`,
    benchSql: `SELECT COUNT(*), SUM(r), SUM(dr) FROM (SELECT id, amount, RANK() OVER (ORDER BY amount DESC) AS r, DENSE_RANK() OVER (ORDER BY amount DESC) AS dr FROM ${T}) w`,
  },
];

export const pgstromSuite: Workload = {
  key: 'pgstrom_suite',
  name: 'PG-Strom query suite (seed 003)',
  description:
    "Seed 003's phase 2 queries on the l40s_sales_large table: five GROUP BY, five aggregate and four window queries, runnable on the engine, DuckDB, Polars and PostgreSQL (with or without PG-Strom).",
  seeds: ['003'],
  dataset: 'sales',
  queries: [...PGSTROM_GROUPBY, ...PGSTROM_AGGREGATES, ...PGSTROM_WINDOWS],
  phases: [
    {
      name: 'GROUP BY (phase 2.1)',
      optimization: 'baseline: hash aggregation over 100 category keys on a full scan',
      sql: PGSTROM_GROUPBY[4].sql,
    },
    {
      name: 'aggregates (phase 2.2)',
      optimization: 'ungrouped aggregates and COUNT(DISTINCT) over dictionary codes; HAVING after aggregation',
      sql: PGSTROM_AGGREGATES[1].sql,
    },
    {
      name: 'window functions (phase 2.3)',
      optimization: 'sort once per partition key, evaluate ROW_NUMBER/RANK in one pass',
      sql: PGSTROM_WINDOWS[0].benchSql!,
    },
  ],
};
