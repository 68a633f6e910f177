/** Benchmark suites: seed 003's queries on its sales table, verbatim but for the table name. */
export interface BenchQuery {
  id: string;
  sql: string;
}

export interface BenchSuite {
  name: string;
  description: string;
  table: 'sales';
  queries: BenchQuery[];
}

export const SUITES: Record<string, BenchSuite> = {
  groupby: {
    name: 'groupby',
    description: "seed 003 phase 2.1: GROUP BY queries on l40s_sales_large",
    table: 'sales',
    queries: [
      { id: 'q1_count_by_category', sql: 'SELECT category, COUNT(*) FROM sales GROUP BY category' },
      { id: 'q2_sum_by_category', sql: 'SELECT category, SUM(amount) FROM sales GROUP BY category' },
      { id: 'q3_avg_by_category_region', sql: 'SELECT category, region, AVG(amount) FROM sales GROUP BY category, region' },
      {
        id: 'q4_sum_by_partition_month',
        sql: "SELECT partition_key, DATE_TRUNC('month', order_date), SUM(amount) FROM sales GROUP BY partition_key, DATE_TRUNC('month', order_date)",
      },
      {
        id: 'q5_all_aggs_by_category',
        sql: 'SELECT category, COUNT(*), SUM(amount), AVG(amount), MIN(amount), MAX(amount) FROM sales GROUP BY category',
      },
    ],
  },
  aggregates: {
    name: 'aggregates',
    description: 'seed 003 phase 2.2: aggregate functions on l40s_sales_large',
    table: 'sales',
    queries: [
      { id: 'a1_count', sql: 'SELECT COUNT(*) FROM sales' },
      { id: 'a2_sum_avg_min_max', sql: 'SELECT SUM(amount), AVG(amount), MIN(amount), MAX(amount) FROM sales' },
      { id: 'a3_count_distinct', sql: 'SELECT COUNT(DISTINCT category), COUNT(DISTINCT region) FROM sales' },
      { id: 'a4_stddev_variance', sql: 'SELECT STDDEV(amount), VARIANCE(amount) FROM sales WHERE amount > 1000' },
      {
        id: 'a5_having',
        sql: 'SELECT category, COUNT(*), SUM(amount), AVG(amount) FROM sales GROUP BY category HAVING COUNT(*) > 50000',
      },
    ],
  },
  windows: {
    name: 'windows',
    description: 'seed 003 phase 2.3: window functions on l40s_sales_large (ties broken by id so every engine returns the same rows)',
    table: 'sales',
    queries: [
      { id: 'w1_row_number', sql: 'SELECT id, amount, ROW_NUMBER() OVER (PARTITION BY category ORDER BY amount DESC, id) FROM sales' },
      { id: 'w2_running_sum', sql: 'SELECT id, amount, SUM(amount) OVER (PARTITION BY category ORDER BY order_date) FROM sales' },
      {
        id: 'w3_moving_avg',
        sql: 'SELECT id, amount, AVG(amount) OVER (PARTITION BY region ORDER BY order_date, id ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) FROM sales',
      },
      { id: 'w4_rank_dense_rank', sql: 'SELECT id, amount, RANK() OVER (ORDER BY amount DESC), DENSE_RANK() OVER (ORDER BY amount DESC) FROM sales' },
    ],
  },
};
