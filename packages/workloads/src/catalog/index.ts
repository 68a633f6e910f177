/** The workload catalog: every workload the API, the dashboard, the pipeline CLI and the bench read. */
import { aggregationModes } from './aggregation-modes.js';
import { chartsByAge } from './charts-by-age.js';
import { medallion } from './medallion.js';
import { pgstromSuite } from './pgstrom-suite.js';
import type { Workload } from './types.js';

export const WORKLOADS: readonly Workload[] = [medallion, chartsByAge, pgstromSuite, aggregationModes];

export function findWorkload(key: string): Workload | undefined {
  return WORKLOADS.find((w) => w.key === key);
}

export { aggregationModes, chartsByAge, medallion, pgstromSuite };
export { PGSTROM_AGGREGATES, PGSTROM_GROUPBY, PGSTROM_WINDOWS } from './pgstrom-suite.js';
export { DQ_DUPLICATE_RULE, DQ_RULES, DQ_SAMPLE_MODULUS, MEDALLION_QUERIES, VALID_STATUSES, bronzeSql, dqSql, goldSql, onePassSql, silverSql } from './medallion.js';
export type { Workload, WorkloadPhase, WorkloadQuery } from './types.js';
