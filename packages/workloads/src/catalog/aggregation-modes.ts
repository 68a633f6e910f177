/**
 * Seed 004 (DataFusion's aggregation modes): its country/job query, and the same aggregate at a low
 * (10 groups) and a high (one group per row) cardinality — where partial aggregation pays and where
 * it does not.
 */
import type { Workload, WorkloadQuery } from './types.js';

const COUNTRY_JOB: WorkloadQuery = {
  id: 'country_job',
  // The seed's `select country, job, min(salary), avg(salary) from table group by country, job`, on
  // the salary table; output names given because Polars' SQL refuses two columns named `salary`.
  sql: 'SELECT country, job, MIN(salary) AS min_salary, AVG(salary) AS avg_salary FROM salary GROUP BY country, job',
  description: '800 groups: partial then final aggregation',
};
const LOW_CARDINALITY: WorkloadQuery = {
  id: 'low_cardinality',
  sql: 'SELECT department, MIN(salary) AS min_salary, AVG(salary) AS avg_salary FROM salary GROUP BY department',
  description: '10 groups: partial aggregation shrinks every batch to 10 rows',
};
const MID_CARDINALITY: WorkloadQuery = {
  id: 'mid_cardinality',
  sql: 'SELECT country, job, level, MIN(salary) AS min_salary, AVG(salary) AS avg_salary FROM salary GROUP BY country, job, level',
  description: '5,600 groups over three keys',
};
const HIGH_CARDINALITY: WorkloadQuery = {
  id: 'high_cardinality',
  sql: 'SELECT employee_id, MIN(salary) AS min_salary, AVG(salary) AS avg_salary FROM salary GROUP BY employee_id',
  // One group per row: the result is as large as the input, so the bench folds it into sums.
  benchSql: 'SELECT COUNT(*), SUM(m), SUM(a) FROM (SELECT employee_id, MIN(salary) AS m, AVG(salary) AS a FROM salary GROUP BY employee_id) g',
  description: 'one group per row: partial aggregation does not pay (DataFusion skips it past a ratio)',
};

export const aggregationModes: Workload = {
  key: 'aggregation_modes',
  name: 'Aggregation modes (seed 004)',
  description: 'The country/job MIN/AVG query of seed 004 plus low- and high-cardinality variants of the same aggregate on the salary table.',
  seeds: ['004'],
  dataset: 'salary',
  queries: [COUNTRY_JOB, LOW_CARDINALITY, MID_CARDINALITY, HIGH_CARDINALITY],
  phases: [
    { name: 'Single: low cardinality', optimization: 'one aggregation stage; 10 groups fit in cache', sql: LOW_CARDINALITY.sql },
    { name: 'Partial → Final: country, job', optimization: 'partial aggregation per batch, merged by a final stage (800 groups)', sql: COUNTRY_JOB.sql },
    {
      name: 'skip partial: high cardinality',
      optimization: 'groups ≈ rows: partial aggregation skipped, rows go straight to the final hash table',
      sql: HIGH_CARDINALITY.benchSql!,
    },
  ],
};
