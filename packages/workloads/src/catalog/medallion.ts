/**
 * Seeds 000/001 (Spark medallion pipeline over card transactions): bronze → silver → gold as SQL
 * stages on the `finance` dataset. The pipeline CLI (src/pipeline) runs them either staged (each
 * layer written to disk and read back, the classic medallion) or in one pass (one DAG, only gold
 * written: seed 000's "Supersonic" mode).
 */
import type { Workload, WorkloadQuery } from './types.js';

export const VALID_STATUSES = ['APPROVED', 'DECLINED', 'PENDING', 'REFUNDED'] as const;
const STATUS_LIST = VALID_STATUSES.map((s) => `'${s}'`).join(', ');
const TS_IN_2024 = "ts >= TIMESTAMP '2024-01-01 00:00:00' AND ts < TIMESTAMP '2025-01-01 00:00:00'";

/**
 * Data-quality rules, each a predicate on a bronze row that flags it (the rule names are the
 * manifest's `dirt.injectedCounts` keys, so a run can be checked against what was injected).
 * Duplicates are counted apart: rows minus distinct transaction ids.
 */
export const DQ_RULES: readonly { readonly name: string; readonly predicate: string }[] = [
  { name: 'null_amount', predicate: 'amount IS NULL' },
  { name: 'null_account_id', predicate: 'account_id IS NULL' },
  { name: 'null_status', predicate: 'status IS NULL' },
  { name: 'nonpositive_amount', predicate: 'amount <= 0' },
  { name: 'invalid_status', predicate: `status NOT IN (${STATUS_LIST})` },
  { name: 'bad_timestamp', predicate: `NOT (${TS_IN_2024})` },
];
export const DQ_DUPLICATE_RULE = 'duplicate_transaction_id';

/** Fraction of transaction ids the sampled DQ checks look at (seed 000's phase 2). */
export const DQ_SAMPLE_MODULUS = 10;

/** One row: `rows`, then one count per rule, then the duplicate count. `sampled` keeps every 10th id. */
export function dqSql(table: string, sampled = false): string {
  const counts = DQ_RULES.map((r) => `SUM(CASE WHEN ${r.predicate} THEN 1 ELSE 0 END) AS ${r.name}`);
  const where = sampled ? ` WHERE transaction_id % ${DQ_SAMPLE_MODULUS} = 0` : '';
  return `SELECT COUNT(*) AS rows, ${counts.join(', ')}, COUNT(*) - COUNT(DISTINCT transaction_id) AS ${DQ_DUPLICATE_RULE} FROM ${table}${where}`;
}

/** Bronze: the raw transactions as ingested. */
export const bronzeSql = (raw: string): string => `SELECT * FROM ${raw}`;

/**
 * Silver: rows that pass every rule, with `tx_date` derived, one row per transaction id. The
 * filter runs before the de-duplication: duplicates are exact copies, so filtering first gives the
 * same rows and leaves the window fewer to sort.
 */
export function silverSql(bronze: string): string {
  const valid = `amount IS NOT NULL AND amount > 0 AND account_id IS NOT NULL AND status IN (${STATUS_LIST}) AND ${TS_IN_2024}`;
  return (
    'SELECT transaction_id, account_id, merchant_id, category_id, amount, currency, ts, CAST(ts AS DATE) AS tx_date, status, channel, installment_months ' +
    `FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY transaction_id ORDER BY ts) AS rn FROM ${bronze} WHERE ${valid}) d WHERE rn = 1`
  );
}

/** Gold: the daily fact table by city, category group and customer segment (dimensions are small: broadcast). */
export function goldSql(silver: string, dims = { accounts: 'accounts', merchants: 'merchants', categories: 'categories' }): string {
  return (
    'SELECT s.tx_date, m.city, c.category_group, a.segment, COUNT(*) AS txns, ' +
    "SUM(CASE WHEN s.status = 'APPROVED' THEN 1 ELSE 0 END) AS approved_txns, " +
    "SUM(CASE WHEN s.status = 'APPROVED' THEN s.amount ELSE 0.00 END) AS approved_amount, " +
    'SUM(s.amount) AS total_amount, MAX(s.amount) AS max_amount ' +
    `FROM ${silver} s JOIN ${dims.categories} c ON c.category_id = s.category_id ` +
    `JOIN ${dims.merchants} m ON m.merchant_id = s.merchant_id ` +
    `JOIN ${dims.accounts} a ON a.account_id = s.account_id ` +
    'GROUP BY s.tx_date, m.city, c.category_group, a.segment'
  );
}

/** Bronze → silver → gold as one query (one DAG): nothing between raw and gold is materialized. */
export const onePassSql = (raw: string): string => `WITH silver AS (${silverSql(raw)}) ${goldSql('silver')}`;

/** The medallion's gold queries, as the benchmark runs them on the raw tables. */
export const MEDALLION_QUERIES: readonly WorkloadQuery[] = [
  { id: 'dq_full', sql: dqSql('transactions'), description: 'data-quality counts per rule over every bronze row' },
  { id: 'dq_sampled', sql: dqSql('transactions', true), description: 'the same checks on every 10th transaction id (seed 000 phase 2)' },
  {
    id: 'gold_one_pass',
    sql: onePassSql('transactions'),
    benchSql: `SELECT COUNT(*), SUM(txns), SUM(approved_amount), SUM(total_amount) FROM (${onePassSql('transactions')}) g`,
    description: 'filter + ROW_NUMBER dedup + three dimension joins + daily fact aggregate, in one query',
  },
  {
    id: 'silver_count',
    sql: `SELECT COUNT(*), SUM(amount) FROM (${silverSql('transactions')}) s`,
    description: 'cleaning and de-duplication alone',
  },
];

export const medallion: Workload = {
  key: 'medallion',
  name: 'Finance medallion pipeline (seeds 000, 001)',
  description:
    'Bronze reads the raw card transactions; silver casts, cleans, de-duplicates and runs data-quality checks (full or sampled); gold broadcast-joins the dimensions and aggregates into a daily fact table written as Parquet. Staged or one-pass.',
  seeds: ['000', '001'],
  dataset: 'finance',
  queries: MEDALLION_QUERIES,
  // Seed 000's phase table (100M records on one 12-core node, Spark).
  phases: [
    {
      name: 'standard (staged)',
      optimization: 'baseline: bronze, silver and gold each written to disk and read back; full data-quality checks',
      sql: `SELECT COUNT(*), SUM(total_amount) FROM (${goldSql(`(${silverSql('transactions')})`)}) g`,
      seedResult: '686.5 s (Phase 5: partitioning, Z-order, memory tuning)',
    },
    {
      name: 'parallel stages, sampled DQ',
      optimization: 'independent stages run concurrently; data-quality checks on a 10% sample of transaction ids',
      sql: dqSql('transactions', true),
      seedResult: '331.0 s (2.1× faster)',
    },
    {
      name: 'one-pass DAG (Supersonic)',
      optimization: 'one DAG from raw to gold: no intermediate writes, dimensions broadcast, only the gold fact table written',
      sql: `SELECT COUNT(*), SUM(total_amount) FROM (${onePassSql('transactions')}) g`,
      seedResult: '200.5 s (3.4× faster; the 60 s goal missed)',
    },
  ],
};
