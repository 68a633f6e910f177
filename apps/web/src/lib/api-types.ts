/** The API's types, inferred from its router: the dashboard never restates a response shape. */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@phaselab/api/src/routers/root';

export type { AppRouter };
export type Outputs = inferRouterOutputs<AppRouter>;
export type Inputs = inferRouterInputs<AppRouter>;

export type Dataset = Outputs['dataset']['list'][number];
export type JobSummary = Outputs['job']['list'][number];
export type Job = Outputs['job']['get'];
export type JobStatus = JobSummary['status'];
export type Progress = NonNullable<JobSummary['progress']>;
export type RunSummary = Outputs['run']['list'][number];
export type Run = Outputs['run']['get'];
export type Operator = Run['operators'][number];
export type Stage = Run['stages'][number];
export type Comparison = Outputs['run']['compare'];
export type Backend = RunSummary['backend'];

/** Every backend the API names, with how the dashboard labels it. A Record, so that a backend added
 * to the API's enum fails the typecheck here until it has a label. */
export const BACKEND_LABELS: Record<Backend, string> = {
  engine: 'Phaselab engine (Arrow, vectorized)',
  duckdb: 'DuckDB',
  polars: 'Polars',
  postgres: 'PostgreSQL',
  pgstrom: 'PG-Strom (GPU)',
};
export const BACKENDS = Object.keys(BACKEND_LABELS) as Backend[];
export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
export const TERMINAL: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];
