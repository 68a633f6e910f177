/** Writes a finished job's Run with its operator and stage metrics (inside the job's final transaction). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { repoRoot } from '../env.js';
import type { OperatorJson, RunResult } from './protocol.js';
import type { ClaimedJob } from './store.js';

let engineVersion: string | null = null;
export function backendVersion(): string {
  if (engineVersion === null) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'packages', 'engine', 'package.json'), 'utf8')) as { version: string };
      engineVersion = `@phaselab/engine ${pkg.version}`;
    } catch {
      engineVersion = '@phaselab/engine (unknown version)';
    }
  }
  return engineVersion;
}

export function machineInfo(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    platform: os.platform(),
    arch: os.arch(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? null,
    totalMemoryBytes: os.totalmem(),
    node: process.version,
    ...extra,
  };
}

interface FlatOperator {
  index: number;
  path: string;
  parentIndex: number | null;
  op: OperatorJson;
}

/** Pre-order flattening: index 0 is the root; path lists child positions from the root ("0.1.0"). */
export function flattenOperators(root: OperatorJson | null): FlatOperator[] {
  const out: FlatOperator[] = [];
  const walk = (op: OperatorJson, p: string, parentIndex: number | null) => {
    const index = out.length;
    out.push({ index, path: p, parentIndex, op });
    op.children.forEach((c, i) => walk(c, `${p}.${i}`, index));
  };
  if (root) walk(root, '0', null);
  return out;
}

/** Where a run came from and what else it carries (external runs: run.record). */
export interface RunOrigin {
  /** job | seed | cli | external; default: job when there is a job id, else cli. */
  source?: string;
  /** Dataset name or generator key when no dataset row matches. */
  datasetKey?: string | null;
  labels?: Record<string, unknown>;
  /** When it was measured, if not now. */
  createdAt?: Date | null;
}

export async function insertRun(
  client: pg.PoolClient,
  job: ClaimedJob,
  dataset: { id: string | null; rows: string | null } | null,
  result: RunResult,
  machine: Record<string, unknown>,
  origin: RunOrigin = {},
): Promise<string> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO runs (job_id, workspace_id, backend, backend_version, dataset_id, phase_id, sql, rows_scale, wall_ms, cpu_ms,
                       peak_memory_bytes, result_rows, plan, explain, machine, result_preview, source, dataset_key, labels, created_at)
     VALUES ($1, $2, $3::"Backend", $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, coalesce($20, now())) RETURNING id`,
    [
      job.id,
      job.workspace_id,
      job.backend,
      result.backendVersion ?? backendVersion(),
      dataset?.id ?? null,
      job.phase_id,
      job.sql,
      dataset?.rows ?? null,
      result.wallMs,
      result.cpuMs,
      Math.round(result.peakMemoryBytes),
      result.resultRows,
      JSON.stringify(result.plan ?? {}),
      result.explain,
      // the GPU series was sampled on the machine that ran the job: it belongs with the machine info
      JSON.stringify({
        ...machine,
        ...(result.enginePartitions !== undefined ? { enginePartitions: result.enginePartitions } : {}),
        ...(result.gpuMonitor ? { gpuMonitor: result.gpuMonitor } : {}),
      }),
      JSON.stringify({ columns: result.columns, rows: result.rows }),
      origin.source ?? (job.id ? 'job' : 'cli'),
      origin.datasetKey ?? null,
      JSON.stringify(origin.labels ?? {}),
      origin.createdAt ?? null,
    ],
  );
  const runId = rows[0].id;
  const ops = flattenOperators(result.plan);
  if (ops.length) {
    const values: unknown[] = [];
    const tuples = ops.map((o, i) => {
      const m = o.op.metrics;
      values.push(runId, o.index, o.path, o.op.name, o.op.description, o.parentIndex, m.outputRows, m.outputBatches, m.elapsedComputeMs, Math.round(m.peakMemoryBytes), m.extra ? JSON.stringify(m.extra) : null);
      const b = i * 11;
      return `(${Array.from({ length: 11 }, (_, k) => `$${b + k + 1}`).join(', ')})`;
    });
    await client.query(
      `INSERT INTO operator_metrics (run_id, operator_index, path, name, description, parent_index, output_rows, output_batches, elapsed_ms, peak_memory_bytes, extra)
       VALUES ${tuples.join(', ')}`,
      values,
    );
  }
  if (result.stages.length) {
    const values: unknown[] = [];
    const tuples = result.stages.map((s, i) => {
      values.push(runId, s.stage, i, s.wallMs, s.rowsIn ?? null, s.rowsOut ?? null, s.peakMemoryBytes ?? null);
      const b = i * 7;
      return `(${Array.from({ length: 7 }, (_, k) => `$${b + k + 1}`).join(', ')})`;
    });
    await client.query(`INSERT INTO stage_metrics (run_id, stage, "order", wall_ms, rows_in, rows_out, peak_memory_bytes) VALUES ${tuples.join(', ')}`, values);
  }
  return runId;
}
