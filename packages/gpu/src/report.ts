/**
 * GPU on vs GPU off for a query, and what to do about it: seed 003's analyzer rules (utilization
 * under 5% → CPU; GPU memory over 80% → too big) made real, plus what the plan says (no GPU node and
 * why, CPU fallback) and whether both runs returned the same rows.
 */
import { runQuery, type QueryRunResult, type RunQueryOptions } from './run/query.js';

export const LOW_UTILIZATION_PCT = 5;
export const HIGH_MEMORY_PCT = 80;
export const WORTHWHILE_SPEEDUP = 1.1;

export interface Recommendation {
  code: 'no-gpu-backend' | 'plan-off-gpu' | 'cpu-fallback' | 'low-gpu-utilization' | 'gpu-utilization-unknown' | 'gpu-memory-high' | 'gpu-slower' | 'use-gpu' | 'results-differ';
  action: string;
  reason: string;
}

export interface RunBrief {
  gpuRequested: string;
  gpuApplied: string;
  medianMs: number;
  runsMs: number[];
  gpuNodes: number | null;
  cpuNodes: number | null;
  gpuProviders: string[];
  executionMs: number | null;
}

export interface QueryReport {
  label: string;
  sql: string;
  backend: 'pgstrom' | 'postgres';
  pgStromInstalled: boolean;
  /** True only when the GPU-on plan had a GpuScan/GpuJoin/GpuPreAgg node. */
  ranOnGpu: boolean;
  /** One plain sentence: where the query ran and how the two compare. */
  summary: string;
  cpu: RunBrief;
  gpu: RunBrief;
  /** CPU median / GPU median (> 1: the GPU was faster); null when the GPU-on run did not use the GPU. */
  speedup: number | null;
  /** GPU-off median / GPU-on median whatever ran: on a CPU-only server this is run-to-run noise. */
  ratio: number;
  fallback: { detected: boolean; details: string[] };
  gpuBlockers: string[];
  utilization: { available: boolean; reason?: string; avgPct?: number | null; maxPct?: number | null; maxMemoryPct?: number | null; perGpu?: unknown[] };
  resultsMatch: boolean | null;
  recommendations: Recommendation[];
}

function brief(r: QueryRunResult): RunBrief {
  return {
    gpuRequested: r.gpu.requested,
    gpuApplied: r.gpu.applied,
    medianMs: r.timings.medianMs,
    runsMs: r.timings.runsMs,
    gpuNodes: r.plan?.gpuNodes ?? null,
    cpuNodes: r.plan?.cpuNodes ?? null,
    gpuProviders: r.plan?.gpuProviders ?? [],
    executionMs: r.plan?.executionMs ?? null,
  };
}

/** Rows compared as multisets (no ORDER BY → any order); null when either run kept only part of them. */
function sameRows(a: QueryRunResult, b: QueryRunResult): boolean | null {
  if (a.rowsTruncated || b.rowsTruncated) return a.rowCount === b.rowCount ? null : false;
  if (a.rowCount !== b.rowCount) return false;
  const key = (r: (string | null)[]) => JSON.stringify(r);
  const x = a.rows.map(key).sort();
  const y = b.rows.map(key).sort();
  return x.every((v, i) => v === y[i]);
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '?' : `${v.toFixed(1)}%`);

export function buildReport(cpu: QueryRunResult, gpu: QueryRunResult, label = 'query'): QueryReport {
  const recs: Recommendation[] = [];
  const ranOnGpu = gpu.plan?.usesGpu ?? false;
  const speedup = cpu.timings.medianMs / gpu.timings.medianMs;
  const m = gpu.monitor;
  const per = m.available ? m.perGpu : [];
  const utils = per.map((g) => g.avgUtilizationPct).filter((v): v is number => v !== null);
  const utilization: QueryReport['utilization'] = m.available
    ? {
        available: true,
        avgPct: utils.length ? utils.reduce((a, b) => a + b, 0) / utils.length : null,
        maxPct: Math.max(...per.map((g) => g.maxUtilizationPct ?? 0)),
        maxMemoryPct: Math.max(...per.map((g) => g.maxMemoryPct ?? 0)),
        perGpu: per,
      }
    : { available: false, reason: m.reason };
  const tables = gpu.plan?.relations.length ? gpu.plan.relations.join(', ') : 'no table';

  if (!gpu.pgStromInstalled) {
    recs.push({
      code: 'no-gpu-backend',
      action: 'keep this query on the CPU (PostgreSQL) or the engine; measure the GPU on a PG-Strom server',
      reason: `PG-Strom is not active on this server (${gpu.gpu.note.replace(/^.*?but /, '')}): both runs used the CPU, so "GPU on" is plain PostgreSQL again`,
    });
  } else if (!ranOnGpu) {
    recs.push({
      code: 'plan-off-gpu',
      action: gpu.gpuBlockers.length ? `rewrite the query without ${gpu.gpuBlockers.join(', ')}, or keep it on the CPU` : 'keep it on the CPU, or check `SET client_min_messages = debug2` output by hand',
      reason: gpu.gpuBlockers.length
        ? `with pg_strom.enabled = on the plan has no GPU node; PG-Strom's planner named ${gpu.gpuBlockers.join(', ')} as not runnable on the GPU (DEBUG2 notices)`
        : 'with pg_strom.enabled = on the plan has no GpuScan/GpuJoin/GpuPreAgg node, and the DEBUG2 notices named no function',
    });
  }
  if (gpu.fallback.detected) {
    recs.push({
      code: 'cpu-fallback',
      action: 'find the rows that fall back (TOASTed/compressed values, buffer overflow); with pg_strom.cpu_fallback = off they raise an error instead',
      reason: `PG-Strom fell back to the CPU: ${gpu.fallback.details.join('; ')}`,
    });
  }
  if (ranOnGpu && m.available && utilization.avgPct !== null && utilization.avgPct !== undefined && utilization.avgPct < LOW_UTILIZATION_PCT) {
    recs.push({
      code: 'low-gpu-utilization',
      action: 'keep it on the CPU or the engine',
      reason: `GPU utilization averaged ${pct(utilization.avgPct)} (max ${pct(utilization.maxPct)}) during the GPU runs, under ${LOW_UTILIZATION_PCT}%`,
    });
  }
  if (ranOnGpu && !m.available) {
    recs.push({ code: 'gpu-utilization-unknown', action: 'run where nvidia-smi can see the database server\'s GPUs', reason: `no GPU utilization: ${m.reason}` });
  }
  if (m.available) {
    for (const g of per) {
      if (g.maxMemoryPct !== null && g.maxMemoryPct > HIGH_MEMORY_PCT) {
        recs.push({
          code: 'gpu-memory-high',
          action: `shrink what ${label} sends to the GPU (filter or partition ${tables}) or lower pg_strom.gpu_mempool_max_ratio`,
          reason: `GPU ${g.gpu} memory peaked at ${pct(g.maxMemoryPct)} (${g.maxMemoryUsedMiB} of ${g.memoryTotalMiB} MiB) while running ${label} over ${tables}`,
        });
      }
    }
  }
  if (ranOnGpu && speedup < 1) {
    recs.push({ code: 'gpu-slower', action: 'keep it on the CPU', reason: `GPU-on median ${gpu.timings.medianMs.toFixed(1)} ms vs CPU ${cpu.timings.medianMs.toFixed(1)} ms (speedup ${speedup.toFixed(2)}×)` });
  } else if (ranOnGpu && speedup >= WORTHWHILE_SPEEDUP && !recs.some((r) => r.code === 'low-gpu-utilization' || r.code === 'cpu-fallback')) {
    recs.push({ code: 'use-gpu', action: 'run it with the GPU', reason: `GPU-on median ${gpu.timings.medianMs.toFixed(1)} ms vs CPU ${cpu.timings.medianMs.toFixed(1)} ms (speedup ${speedup.toFixed(2)}×)` });
  }
  const resultsMatch = sameRows(cpu, gpu);
  if (resultsMatch === false) {
    recs.push({ code: 'results-differ', action: 'do not trust the GPU result until the difference is explained', reason: `GPU on returned ${gpu.rowCount} rows, GPU off ${cpu.rowCount}, and their contents differ` });
  }

  const summary = !gpu.pgStromInstalled
    ? `both runs on the CPU (plain PostgreSQL ${gpu.server.version}; PG-Strom not installed): off ${cpu.timings.medianMs.toFixed(1)} ms, "on" ${gpu.timings.medianMs.toFixed(1)} ms`
    : ranOnGpu
      ? `GPU on used ${gpu.plan!.gpuProviders.join(', ')}: ${gpu.timings.medianMs.toFixed(1)} ms vs ${cpu.timings.medianMs.toFixed(1)} ms on the CPU (speedup ${speedup.toFixed(2)}×)`
      : `both runs on the CPU: with pg_strom.enabled = on the planner chose no GPU node (${gpu.timings.medianMs.toFixed(1)} ms vs ${cpu.timings.medianMs.toFixed(1)} ms)`;

  return {
    label,
    sql: gpu.sql,
    backend: gpu.backend,
    pgStromInstalled: gpu.pgStromInstalled,
    ranOnGpu,
    summary,
    cpu: brief(cpu),
    gpu: brief(gpu),
    speedup: ranOnGpu ? speedup : null,
    ratio: speedup,
    fallback: { detected: gpu.fallback.detected, details: gpu.fallback.details },
    gpuBlockers: gpu.gpuBlockers,
    utilization,
    resultsMatch,
    recommendations: recs,
  };
}

/** Runs the query with the GPU off, then on, and reports. */
export async function compareGpu(opts: Omit<RunQueryOptions, 'gpu'> & { label?: string }): Promise<{ report: QueryReport; cpu: QueryRunResult; gpu: QueryRunResult }> {
  const cpu = await runQuery({ ...opts, gpu: 'off' });
  const gpu = await runQuery({ ...opts, gpu: 'on', probe: opts.probe });
  return { report: buildReport(cpu, gpu, opts.label ?? 'query'), cpu, gpu };
}
