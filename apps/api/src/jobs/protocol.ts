/** Messages between a worker and the child process that runs one job's SQL (Node IPC). */
import type { GpuMonitorResult } from '@phaselab/gpu';

export interface RunRequest {
  type: 'run';
  sql: string;
  /** Tables to register: name → absolute file path. */
  tables: { name: string; path: string }[];
  memoryLimitBytes: number;
  previewRows: number;
  /** engine (default) or postgres / pgstrom (jobs/backends/postgres.ts). */
  backend?: string;
  /** The job's dataset, for backends that load it elsewhere (postgres, pgstrom). */
  dataset?: { id: string; directory: string } | null;
  timeoutMs?: number;
  /** Engine worker-thread partitions (job params.partitions); absent: the engine's default. */
  partitions?: number;
}

export interface StageTiming {
  stage: 'register' | 'plan' | 'execute' | 'output';
  wallMs: number;
  rowsIn?: number;
  rowsOut?: number;
  peakMemoryBytes?: number;
}

export interface OperatorJson {
  name: string;
  description: string;
  metrics: { outputRows: number; outputBatches: number; elapsedComputeMs: number; peakMemoryBytes: number; extra?: Record<string, number | string> };
  children: OperatorJson[];
}

export type PreviewValue = string | number | boolean | null;

export interface RunResult {
  type: 'result';
  columns: { name: string; type: string }[];
  /** First `previewRows` rows, keyed by column name. */
  rows: Record<string, PreviewValue>[];
  resultRows: number;
  rowsRead: number;
  wallMs: number;
  cpuMs: number;
  /** Engine-accounted peak memory (sum of operator peaks, as EXPLAIN ANALYZE reports it). */
  peakMemoryBytes: number;
  processMaxRssBytes: number;
  /** The engine's worker-thread partitions for this run (engine backend). */
  enginePartitions?: number;
  stages: StageTiming[];
  plan: OperatorJson | null;
  explain: string;
  /** Set by backends other than the engine (e.g. "PostgreSQL 15.18"). */
  backendVersion?: string;
  /** nvidia-smi during the run (postgres / pgstrom backends): stored in the Run's `machine.gpuMonitor`. */
  gpuMonitor?: GpuMonitorRecord;
}

/**
 * The GPU monitor of a run as stored: @phaselab/gpu's series with its run marks (every
 * `sampleStep`-th sample time kept, 1 = all, so a long run stays a few hundred kB), or why there
 * is none.
 */
export type GpuMonitorRecord =
  | (Extract<GpuMonitorResult, { available: true }> & { sampleStep: number })
  | Extract<GpuMonitorResult, { available: false }>;

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'stage'; stage: StageTiming['stage'] }
  | { type: 'progress'; rowsRead: number; totalRows?: number }
  | RunResult
  | { type: 'error'; message: string; code?: string };
