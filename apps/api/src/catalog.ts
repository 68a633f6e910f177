/**
 * The workload catalog the store holds: the catalog of @phaselab/workloads (medallion,
 * charts_by_age, pgstrom_suite, aggregation_modes — dataset, queries and phases as data) after the
 * platform's first three workloads, whose keys stored runs, schedules and series already use.
 * syncCatalog() upserts it into the store (workloads, phases).
 */
import type { PrismaClient } from '@prisma/client';
import { WORKLOADS } from '@phaselab/workloads';

export interface CatalogPhase {
  name: string;
  optimization: string;
  sql: string;
}

export interface CatalogWorkload {
  key: string;
  name: string;
  description: string;
  /** Generator in packages/workloads. */
  dataset: string;
  phases: CatalogPhase[];
}

const PLATFORM_WORKLOADS: CatalogWorkload[] = [
  {
    key: 'sales-aggregation',
    name: 'Sales aggregation (seed 003)',
    description: 'Group-by and filtered aggregates over one wide sales table; the CPU baseline for the PG-Strom GPU on/off comparison.',
    dataset: 'sales',
    phases: [
      {
        name: 'group by category',
        optimization: 'baseline: full scan, hash aggregation over 100 dictionary-encoded keys',
        sql: 'SELECT category, count(*) AS orders, sum(amount) AS revenue FROM l40s_sales_large GROUP BY category ORDER BY revenue DESC',
      },
      {
        name: 'filtered region totals',
        optimization: 'filter pushed into the scan, row groups skipped by statistics',
        sql: "SELECT region, count(*) AS orders, avg(amount) AS avg_amount FROM l40s_sales_large WHERE order_date >= DATE '2023-07-01' AND partition_key = 1 GROUP BY region ORDER BY region",
      },
      {
        name: 'top-10 days',
        optimization: 'top-k instead of a full sort',
        sql: 'SELECT order_date, sum(amount) AS revenue FROM l40s_sales_large GROUP BY order_date ORDER BY revenue DESC LIMIT 10',
      },
    ],
  },
  {
    key: 'finance-medallion',
    name: 'Finance medallion pipeline (seeds 000, 001)',
    description: 'Bronze → silver → gold over card transactions: de-duplication, data-quality filters and a gold aggregate, first in separate passes, then as one pass.',
    dataset: 'finance',
    phases: [
      {
        name: 'standard: silver then gold',
        optimization: 'baseline: de-duplicate and filter into silver, aggregate silver into gold (two passes)',
        sql:
          "SELECT c.category_group, count(*) AS txns, sum(t.amount) AS total FROM (SELECT DISTINCT * FROM transactions WHERE status = 'APPROVED' AND amount > 0) t " +
          'JOIN categories c ON c.category_id = t.category_id GROUP BY c.category_group ORDER BY total DESC',
      },
      {
        name: 'one-pass DAG, broadcast join',
        optimization: 'no intermediate silver table; the 30-row dimension is broadcast; duplicates handled by the aggregate',
        sql:
          "SELECT c.category_group, count(DISTINCT t.transaction_id) AS txns, sum(t.amount) AS total FROM transactions t JOIN categories c ON c.category_id = t.category_id " +
          "WHERE t.status = 'APPROVED' AND t.amount > 0 GROUP BY c.category_group ORDER BY total DESC",
      },
    ],
  },
  {
    key: 'salary-groupby',
    name: 'Group-by cardinality sweep (seed 004)',
    description: 'The same aggregate over keys from 10 to millions of distinct values: where hash aggregation stops fitting in cache.',
    dataset: 'salary',
    phases: [
      { name: '10 groups', optimization: 'small-key fast path', sql: 'SELECT department, count(*), avg(salary) FROM salary GROUP BY department ORDER BY department' },
      { name: '800 groups', optimization: 'two-key hash aggregation', sql: 'SELECT country, job, count(*), avg(salary) FROM salary GROUP BY country, job ORDER BY 1, 2' },
      { name: 'one group per row', optimization: 'high-cardinality keys: partial aggregation does not pay', sql: 'SELECT employee_id, sum(salary) FROM salary GROUP BY employee_id ORDER BY 2 DESC LIMIT 10' },
    ],
  },
];

export const CATALOG: CatalogWorkload[] = [
  ...PLATFORM_WORKLOADS,
  ...WORKLOADS.map((w) => ({
    key: w.key,
    name: w.name,
    description: w.description,
    dataset: w.dataset,
    phases: w.phases.map((p) => ({ name: p.name, optimization: p.optimization, sql: p.sql })),
  })),
];

export async function syncCatalog(prisma: PrismaClient): Promise<void> {
  for (const w of CATALOG) {
    const row = await prisma.workload.upsert({
      where: { catalogKey: w.key },
      create: { catalogKey: w.key, name: w.name, description: w.description },
      update: { name: w.name, description: w.description },
    });
    for (const [i, p] of w.phases.entries()) {
      const data = { name: p.name, optimization: p.optimization, sql: p.sql };
      await prisma.phase.upsert({
        where: { workloadId_order: { workloadId: row.id, order: i + 1 } },
        create: { workloadId: row.id, order: i + 1, ...data },
        update: data,
      });
    }
  }
}

export const catalogDataset = (key: string): string | null => CATALOG.find((w) => w.key === key)?.dataset ?? null;
