/**
 * Seed 004 (DataFusion aggregation: `select country, job, min(salary), avg(salary) from t group by
 * country, job`): one salary table. Group-by variants by cardinality: country (20), department
 * (10), job (40), country × job (800), country × job × level (5,600), employee_id (rows).
 */
import { DATE, INT32, INT64, UTF8 } from '../types-engine.js';
import { col, epochDay } from '../columns.js';
import { Weighted, below, normal, streamKey, unit } from '../rng.js';
import { fieldsOf, type DatasetDef, type TableDef } from '../types.js';

/** [country, salary multiplier vs. US, share of employees] */
const COUNTRY_ROWS: readonly (readonly [string, number, number])[] = [
  ['United States', 1.0, 18], ['South Korea', 0.55, 14], ['Japan', 0.5, 9], ['Germany', 0.75, 7], ['United Kingdom', 0.72, 7],
  ['India', 0.18, 9], ['China', 0.35, 8], ['France', 0.68, 4], ['Canada', 0.8, 4], ['Australia', 0.82, 3],
  ['Brazil', 0.25, 3], ['Singapore', 0.78, 2], ['Netherlands', 0.8, 2], ['Sweden', 0.7, 1.5], ['Spain', 0.5, 2],
  ['Vietnam', 0.12, 2], ['Poland', 0.38, 2], ['Mexico', 0.22, 2], ['Switzerland', 1.15, 1], ['Israel', 0.85, 1.5],
];
const COUNTRIES = COUNTRY_ROWS.map((c) => c[0]);
const COUNTRY_MUL = Float64Array.from(COUNTRY_ROWS.map((c) => c[1]));
const COUNTRY_PICK = new Weighted(COUNTRY_ROWS.map((c) => c[2]));

const DEPARTMENTS = ['Engineering', 'Data', 'Product', 'Design', 'Sales', 'Marketing', 'Operations', 'Finance', 'HR', 'Legal'];
/** [job, department index, US base salary (USD/year), share] */
const JOB_ROWS: readonly (readonly [string, number, number, number])[] = [
  ['Software Engineer', 0, 130_000, 14], ['Backend Engineer', 0, 135_000, 6], ['Frontend Engineer', 0, 120_000, 5],
  ['Mobile Engineer', 0, 125_000, 2], ['DevOps Engineer', 0, 135_000, 2], ['Site Reliability Engineer', 0, 145_000, 1.5],
  ['Security Engineer', 0, 145_000, 1], ['QA Engineer', 0, 95_000, 2.5], ['Engineering Manager', 0, 175_000, 2],
  ['Embedded Engineer', 0, 120_000, 1], ['Data Engineer', 1, 135_000, 4], ['Data Scientist', 1, 140_000, 3],
  ['Data Analyst', 1, 90_000, 4], ['Machine Learning Engineer', 1, 160_000, 2], ['Analytics Engineer', 1, 120_000, 1],
  ['Product Manager', 2, 140_000, 3], ['Technical Program Manager', 2, 145_000, 1], ['Product Owner', 2, 115_000, 1],
  ['UX Designer', 3, 105_000, 2], ['UI Designer', 3, 95_000, 1.5], ['UX Researcher', 3, 110_000, 0.7],
  ['Account Executive', 4, 95_000, 4], ['Sales Development Rep', 4, 60_000, 3], ['Sales Manager', 4, 130_000, 1.5],
  ['Solutions Engineer', 4, 135_000, 1.5], ['Marketing Manager', 5, 110_000, 2], ['Content Strategist', 5, 75_000, 1],
  ['Growth Marketer', 5, 95_000, 1], ['SEO Specialist', 5, 70_000, 0.8], ['Operations Manager', 6, 95_000, 2],
  ['Customer Support Specialist', 6, 50_000, 5], ['Project Coordinator', 6, 62_000, 1.5], ['Supply Chain Analyst', 6, 75_000, 1],
  ['Accountant', 7, 78_000, 2], ['Financial Analyst', 7, 90_000, 1.5], ['Controller', 7, 150_000, 0.5],
  ['HR Generalist', 8, 70_000, 1.5], ['Recruiter', 8, 75_000, 2], ['Legal Counsel', 9, 170_000, 0.6], ['Paralegal', 9, 65_000, 0.6],
];
const JOBS = JOB_ROWS.map((j) => j[0]);
const JOB_DEPT = Int32Array.from(JOB_ROWS.map((j) => j[1]));
const JOB_BASE = Float64Array.from(JOB_ROWS.map((j) => j[2]));
const JOB_PICK = new Weighted(JOB_ROWS.map((j) => j[3]));
/** Levels 1 … 7 (junior … principal). */
const LEVEL_PICK = new Weighted([18, 26, 24, 16, 9, 5, 2]);
const DAY_2024_12_31 = epochDay(2024, 12, 31);

const SALARY: TableDef = {
  name: 'salary',
  description: 'One row per employee: yearly salary by country, job and level (log-normal noise).',
  rowsRule: 'rows',
  columns: [
    { name: 'employee_id', type: INT64, nullable: false, description: '1 … rows (high-cardinality GROUP BY key)' },
    { name: 'country', type: UTF8, nullable: false, description: '20 countries, skewed (United States 18%)' },
    { name: 'job', type: UTF8, nullable: false, description: '40 job titles, skewed' },
    { name: 'department', type: UTF8, nullable: false, description: '10 departments (a function of job)' },
    { name: 'level', type: INT32, nullable: false, description: '1 … 7' },
    { name: 'years_experience', type: INT32, nullable: false, description: '0 … 40, grows with level' },
    { name: 'salary', type: INT32, nullable: false, description: 'USD per year, base(job) × country × level × log-normal, rounded to 100' },
    { name: 'hire_date', type: DATE, nullable: false, description: 'within the last years_experience years (≤ 2024-12-31)' },
  ],
};

export const salary: DatasetDef = {
  name: 'salary',
  description: "Employee salaries by country and job for DataFusion-style aggregation (seed 004), with low- to high-cardinality group keys.",
  seeds: ['004'],
  factTable: 'salary',
  tables: [SALARY],
  dirt: [],
  plan({ seed, rows }) {
    const k = (name: string) => streamKey(seed, `salary.${name}`);
    const kCountry = k('country');
    const kJob = k('job');
    const kLevel = k('level');
    const kYears = k('years');
    const kNoise = k('noise');
    const kHire = k('hire');
    return {
      tables: [
        {
          name: SALARY.name,
          rows,
          fields: fieldsOf(SALARY),
          generate(start, n) {
            const id = new Float64Array(n);
            const country = new Int32Array(n);
            const job = new Int32Array(n);
            const dept = new Int32Array(n);
            const level = new Int32Array(n);
            const years = new Int32Array(n);
            const pay = new Int32Array(n);
            const hire = new Int32Array(n);
            for (let j = 0; j < n; j++) {
              const r = start + j;
              id[j] = r + 1;
              const c = COUNTRY_PICK.pick(unit(kCountry, r));
              const jb = JOB_PICK.pick(unit(kJob, r));
              const lv = LEVEL_PICK.pick(unit(kLevel, r)) + 1;
              country[j] = c;
              job[j] = jb;
              dept[j] = JOB_DEPT[jb];
              level[j] = lv;
              const y = Math.min(40, (lv - 1) * 3 + below(kYears, r, 6 + lv * 2));
              years[j] = y;
              const s = JOB_BASE[jb] * COUNTRY_MUL[c] * (0.7 + 0.15 * lv) * Math.exp(0.22 * normal(kNoise, r));
              pay[j] = Math.max(1000, Math.round(s / 100) * 100);
              hire[j] = DAY_2024_12_31 - below(kHire, r, Math.max(1, y) * 365 + 1);
            }
            return {
              columns: [
                col(INT64, id),
                col(UTF8, country, null, COUNTRIES),
                col(UTF8, job, null, JOBS),
                col(UTF8, dept, null, DEPARTMENTS),
                col(INT32, level),
                col(INT32, years),
                col(INT32, pay),
                col(DATE, hire),
              ],
            };
          },
        },
      ],
    };
  },
};
