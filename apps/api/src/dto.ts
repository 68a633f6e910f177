/**
 * What the API returns: zod schemas (they are the OpenAPI document's response types too) and the
 * mappers from store rows. BigInt columns become numbers (exact below 2^53), dates ISO strings.
 */
import type { Dataset, Job, OperatorMetric, Phase, Run, StageMetric, Workload } from '@prisma/client';
import { z } from 'zod';

const num = (v: bigint | number | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));
const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export const Backend = z.enum(['engine', 'postgres', 'pgstrom', 'duckdb', 'polars']);
export const JobStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);

const Column = z.object({ name: z.string(), type: z.string() });
const Json = z.unknown();

export const DatasetOut = z.object({
  id: z.string(),
  name: z.string(),
  generator: z.string(),
  seed: z.number(),
  rows: z.number(),
  format: z.string(),
  directory: z.string(),
  status: z.string(),
  tables: z.array(z.object({ name: z.string(), file: z.string(), rows: z.number(), columns: z.array(Column) })),
  createdAt: z.string(),
  /** Generation progress (see routers/dataset.ts DatasetProgress); null for datasets registered ready. */
  progress: z.unknown().nullable(),
  error: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export function datasetOut(d: Dataset): z.infer<typeof DatasetOut> {
  return {
    id: d.id,
    name: d.name,
    generator: d.generator,
    seed: d.seed,
    rows: Number(d.rows),
    format: d.format,
    directory: d.directory,
    status: d.status,
    tables: d.tables as z.infer<typeof DatasetOut>['tables'],
    createdAt: d.createdAt.toISOString(),
    progress: d.progress ?? null,
    error: d.error,
    startedAt: iso(d.startedAt),
    finishedAt: iso(d.finishedAt),
  };
}

export const PhaseOut = z.object({
  id: z.string(),
  workload: z.string(),
  name: z.string(),
  order: z.number(),
  optimization: z.string(),
  sql: z.string().nullable(),
});
export const phaseOut = (p: Phase, workloadKey: string): z.infer<typeof PhaseOut> => ({
  id: p.id,
  workload: workloadKey,
  name: p.name,
  order: p.order,
  optimization: p.optimization,
  sql: p.sql,
});

export const WorkloadOut = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  description: z.string(),
  dataset: z.string().nullable(),
  phases: z.array(PhaseOut),
});
export const workloadOut = (w: Workload & { phases: Phase[] }, dataset: string | null): z.infer<typeof WorkloadOut> => ({
  id: w.id,
  key: w.catalogKey,
  name: w.name,
  description: w.description,
  dataset,
  phases: w.phases.sort((a, b) => a.order - b.order).map((p) => phaseOut(p, w.catalogKey)),
});

export const Progress = z.object({
  stage: z.string(),
  rowsProcessed: z.number(),
  totalRows: z.number().optional(),
  percent: z.number().optional(),
  reason: z.string().optional(),
});

export const OperatorOut = z.object({
  index: z.number(),
  path: z.string(),
  name: z.string(),
  description: z.string(),
  parentIndex: z.number().nullable(),
  outputRows: z.number(),
  outputBatches: z.number(),
  elapsedMs: z.number(),
  peakMemoryBytes: z.number(),
  extra: Json.optional(),
});
const operatorOut = (o: OperatorMetric): z.infer<typeof OperatorOut> => ({
  index: o.operatorIndex,
  path: o.path,
  name: o.name,
  description: o.description,
  parentIndex: o.parentIndex,
  outputRows: Number(o.outputRows),
  outputBatches: o.outputBatches,
  elapsedMs: o.elapsedMs,
  peakMemoryBytes: Number(o.peakMemoryBytes),
  ...(o.extra !== null ? { extra: o.extra } : {}),
});

export const StageOut = z.object({
  stage: z.string(),
  order: z.number(),
  wallMs: z.number(),
  rowsIn: z.number().nullable(),
  rowsOut: z.number().nullable(),
  peakMemoryBytes: z.number().nullable(),
});
const stageOut = (s: StageMetric): z.infer<typeof StageOut> => ({
  stage: s.stage,
  order: s.order,
  wallMs: s.wallMs,
  rowsIn: num(s.rowsIn),
  rowsOut: num(s.rowsOut),
  peakMemoryBytes: num(s.peakMemoryBytes),
});

export const Metrics = z.object({
  wallMs: z.number(),
  cpuMs: z.number(),
  peakMemoryBytes: z.number(),
  resultRows: z.number(),
});

export const RunSummaryOut = z.object({
  id: z.string(),
  jobId: z.string().nullable(),
  backend: Backend,
  backendVersion: z.string(),
  dataset: z.string().nullable(),
  phaseId: z.string().nullable(),
  sql: z.string(),
  rowsScale: z.number().nullable(),
  metrics: Metrics,
  createdAt: z.string(),
  /** job | seed | cli | external */
  source: z.string(),
  labels: Json,
});
type RunWithDataset = Run & { dataset: { name: string } | null };
export const runSummaryOut = (r: RunWithDataset): z.infer<typeof RunSummaryOut> => ({
  id: r.id,
  jobId: r.jobId,
  backend: r.backend,
  backendVersion: r.backendVersion,
  dataset: r.dataset?.name ?? r.datasetKey ?? null,
  phaseId: r.phaseId,
  sql: r.sql,
  rowsScale: num(r.rowsScale),
  metrics: { wallMs: r.wallMs, cpuMs: r.cpuMs, peakMemoryBytes: Number(r.peakMemoryBytes), resultRows: Number(r.resultRows) },
  createdAt: r.createdAt.toISOString(),
  source: r.source,
  labels: r.labels,
});

const Preview = z.object({ columns: z.array(Column), rows: z.array(z.record(z.string(), Json)) });

const nn = z.number().nullable();
/** The run's nvidia-smi series (machine.gpuMonitor, see jobs/backends/postgres.ts), or why there is none. */
export const GpuMonitorOut = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    host: z.string(),
    intervalMs: z.number(),
    command: z.string(),
    sampleStep: z.number(),
    samples: z.array(z.object({ tMs: z.number(), gpu: z.number(), utilizationPct: nn, memoryUsedMiB: nn, memoryTotalMiB: nn, temperatureC: nn })),
    perGpu: z.array(z.object({ gpu: z.number(), samples: z.number(), avgUtilizationPct: nn, maxUtilizationPct: nn, maxMemoryUsedMiB: nn, memoryTotalMiB: nn, maxMemoryPct: nn, maxTemperatureC: nn })),
    marks: z.array(z.object({ label: z.string(), tMs: z.number() })),
  }),
  z.object({ available: z.literal(false), host: z.string().nullable(), reason: z.string() }),
]);

export function gpuMonitorOf(r: Pick<Run, 'backend' | 'machine'>): z.infer<typeof GpuMonitorOut> {
  const m = r.machine && typeof r.machine === 'object' ? (r.machine as Record<string, unknown>) : {};
  const parsed = GpuMonitorOut.safeParse(m.gpuMonitor);
  if (parsed.success) return parsed.data;
  const host = typeof m.hostname === 'string' ? m.hostname : null;
  if (r.backend === 'postgres' || r.backend === 'pgstrom') return { available: false, host, reason: 'this run was recorded without a GPU monitor series' };
  return { available: false, host, reason: `the ${r.backend} backend runs on the CPU; only postgres and pgstrom runs sample nvidia-smi` };
}

export const RunOut = RunSummaryOut.extend({
  operators: z.array(OperatorOut),
  stages: z.array(StageOut),
  plan: Json,
  explain: z.string(),
  machine: Json,
  gpuMonitor: GpuMonitorOut,
  resultLocation: z.string().nullable(),
  columns: z.array(Column),
  rows: z.array(z.record(z.string(), Json)),
});
export const runOut = (r: RunWithDataset & { operators: OperatorMetric[]; stages: StageMetric[] }): z.infer<typeof RunOut> => {
  const preview = r.resultPreview as z.infer<typeof Preview>;
  return {
    ...runSummaryOut(r),
    operators: [...r.operators].sort((a, b) => a.operatorIndex - b.operatorIndex).map(operatorOut),
    stages: [...r.stages].sort((a, b) => a.order - b.order).map(stageOut),
    plan: r.plan,
    explain: r.explain,
    // the GPU series is its own field (below), not repeated inside machine
    machine: r.machine && typeof r.machine === 'object' && !Array.isArray(r.machine) ? Object.fromEntries(Object.entries(r.machine).filter(([k]) => k !== 'gpuMonitor')) : r.machine,
    gpuMonitor: gpuMonitorOf(r),
    resultLocation: r.resultLocation,
    columns: preview?.columns ?? [],
    // jsonb does not keep key order: put each row's keys back in column order
    rows: (preview?.rows ?? []).map((row) => Object.fromEntries((preview?.columns ?? []).map((c) => [c.name, row[c.name] ?? null]))),
  };
};

export const JobSummaryOut = z.object({
  id: z.string(),
  status: JobStatus,
  backend: Backend,
  sql: z.string(),
  dataset: z.string().nullable(),
  phaseId: z.string().nullable(),
  progress: Progress.nullable(),
  error: z.string().nullable(),
  attempts: z.number(),
  maxAttempts: z.number(),
  timeoutMs: z.number(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  cancelRequestedAt: z.string().nullable(),
  runId: z.string().nullable(),
});
type JobWith = Job & { dataset: { name: string } | null; run: { id: string } | null };
export const jobSummaryOut = (j: JobWith): z.infer<typeof JobSummaryOut> => ({
  id: j.id,
  status: j.status,
  backend: j.backend,
  sql: j.sql,
  dataset: j.dataset?.name ?? null,
  phaseId: j.phaseId,
  progress: (j.progress as z.infer<typeof Progress> | null) ?? null,
  error: j.error,
  attempts: j.attempts,
  maxAttempts: j.maxAttempts,
  timeoutMs: j.timeoutMs,
  createdAt: j.createdAt.toISOString(),
  startedAt: iso(j.startedAt),
  finishedAt: iso(j.finishedAt),
  cancelRequestedAt: iso(j.cancelRequestedAt),
  runId: j.run?.id ?? null,
});

export const JobOut = JobSummaryOut.extend({
  params: Json,
  /** The run's headline metrics, null until the job succeeded. */
  metrics: Metrics.nullable(),
  run: RunOut.nullable(),
  columns: z.array(Column),
  /** First 100 result rows, keyed by column name. */
  rows: z.array(z.record(z.string(), Json)),
});
export const jobOut = (j: JobWith, run: z.infer<typeof RunOut> | null): z.infer<typeof JobOut> => ({
  ...jobSummaryOut(j),
  params: j.params,
  metrics: run?.metrics ?? null,
  run,
  columns: run?.columns ?? [],
  rows: run?.rows ?? [],
});
