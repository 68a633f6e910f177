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

export const BACKENDS: readonly Backend[] = ['engine', 'postgres', 'pgstrom'];
export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
export const TERMINAL: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];
