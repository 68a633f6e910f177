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
};
