/**
 * The `postgres` and `pgstrom` backends of the job runner (inside the job's child process, see
 * runner-child.ts). The job's dataset is loaded once into a schema of the target server — PGSTROM_URL
 * when set, else DATABASE_URL's server — and reloaded only when its files change (dataset id + newest
 * file mtime, stored as the schema's comment). The SQL runs through @phaselab/gpu: a read-only
 * transaction as a role that sees only that schema, then EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON),
 * whose plan nodes become the Run's operator metrics, as the engine's operators do.
 *
 * `pgstrom` runs with pg_strom.enabled = on and fails when the server has no PG-Strom (a CPU run filed
 * as "pgstrom" would mislead every comparison); `postgres` runs with the GPU off, i.e. plain
 * PostgreSQL on the same server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GpuError, loadDataset, loadedKey, connect, planSummaryText, planToOperators, probe, redactUrl, runQuery, type QueryRunResult } from '@phaselab/gpu';
import type { ChildMessage, GpuMonitorRecord, OperatorJson, PreviewValue, RunRequest, RunResult, StageTiming } from '../protocol.js';

/** OIDs PostgreSQL returns as JSON numbers / booleans in the preview, as the engine backend does. */
const NUMBER_OIDS = new Set([20, 21, 23, 700, 701]);
const BOOL_OID = 16;

/**
 * The server these backends run on: PGSTROM_URL when set, else the platform's own PostgreSQL
 * (DATABASE_URL, or `platformUrl` where the caller knows it, as the API server does).
 */
export function targetUrl(platformUrl?: string): string {
  return targetOf(platformUrl).url;
}

export function targetOf(platformUrl?: string): { url: string; source: 'PGSTROM_URL' | 'DATABASE_URL' } {
  if (process.env.PGSTROM_URL) return { url: process.env.PGSTROM_URL, source: 'PGSTROM_URL' };
  const url = platformUrl || process.env.DATABASE_URL;
  if (!url) throw new Error('no PostgreSQL to run on: set PGSTROM_URL or DATABASE_URL');
  return { url, source: 'DATABASE_URL' };
}

/** Most sample times kept on a Run (per GPU); longer series keep every k-th time. */
export const MAX_MONITOR_TIMES = 2000;

/** The run's nvidia-smi result as stored on the Run (samples thinned past MAX_MONITOR_TIMES sample times). */
export function monitorRecord(m: QueryRunResult['monitor']): GpuMonitorRecord {
  if (!m.available) return { available: false, host: m.host, reason: m.reason };
  const times = [...new Set(m.samples.map((x) => x.tMs))];
  const step = Math.max(1, Math.ceil(times.length / MAX_MONITOR_TIMES));
  const keep = new Set(times.filter((_, i) => i % step === 0));
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    available: true,
    host: m.host,
    intervalMs: m.intervalMs,
    command: m.command,
    sampleStep: step,
    samples: m.samples
      .filter((x) => keep.has(x.tMs))
      .map((x) => ({ tMs: Math.round(x.tMs), gpu: x.gpu, utilizationPct: round(x.utilizationPct), memoryUsedMiB: x.memoryUsedMiB, memoryTotalMiB: x.memoryTotalMiB, temperatureC: x.temperatureC })),
    perGpu: m.perGpu,
    marks: m.marks.map((k) => ({ label: k.label, tMs: Math.round(k.tMs) })),
  };
}

/** Schema of a dataset on the target server (names from the dataset id: unique, and safe as an identifier). */
export function datasetSchema(datasetId: string): string {
  return `phaselab_ds_${datasetId.toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 50);
}

/** Changes whenever the dataset's files do: its id and the newest mtime in its directory. */
function datasetKey(id: string, dir: string): string {
  let newest = 0;
  for (const f of fs.readdirSync(dir)) {
    const st = fs.statSync(path.join(dir, f));
    if (st.isFile()) newest = Math.max(newest, st.mtimeMs);
  }
  return `${id}@${Math.round(newest)}`;
}

function previewValue(text: string | null, typeOid: number): PreviewValue {
  if (text === null) return null;
  if (NUMBER_OIDS.has(typeOid)) {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  if (typeOid === BOOL_OID) return text === 't';
  return text; // numeric stays exact as text; dates and timestamps in PostgreSQL's format
}

function sumPeak(op: OperatorJson | null): number {
  return op ? op.metrics.peakMemoryBytes + op.children.reduce((a, c) => a + sumPeak(c), 0) : 0;
}

export async function runPostgresJob(req: RunRequest, send: (msg: ChildMessage) => Promise<void>): Promise<RunResult> {
  const backend = req.backend === 'pgstrom' ? 'pgstrom' : 'postgres';
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const stages: StageTiming[] = [];
  const url = targetUrl();

  // register: the dataset into the target server (skipped when already there and unchanged)
  await send({ type: 'stage', stage: 'register' });
  const s0 = performance.now();
  let schema = 'public';
  let loadedRows = 0;
  if (req.dataset) {
    schema = datasetSchema(req.dataset.id);
    const key = datasetKey(req.dataset.id, req.dataset.directory);
    const admin = await connect(url);
    const current = await loadedKey(admin, schema).finally(() => admin.end().catch(() => {}));
    if (current !== key) {
      const r = await loadDataset({
        url,
        datasetDir: req.dataset.directory,
        schema,
        key,
        reuse: true,
        arrow: 'never',
        onProgress: (p) => void send({ type: 'progress', rowsRead: p.totalRowsDone, totalRows: p.totalRows }),
      });
      loadedRows = r.tables.reduce((a, t) => a + t.rows, 0);
    }
  }
  stages.push({ stage: 'register', wallMs: performance.now() - s0, rowsOut: loadedRows });

  const info = await probe(url);
  if (backend === 'pgstrom' && !info.pgStrom.installed) {
    throw new GpuError('invalid_argument', `backend "pgstrom": ${info.pgStrom.reason} (server ${redactUrl(url)}); use backend "postgres" for plain PostgreSQL`);
  }

  await send({ type: 'stage', stage: 'execute' });
  const e0 = performance.now();
  const run: QueryRunResult = await runQuery({
    url,
    sql: req.sql,
    schema,
    gpu: backend === 'pgstrom' ? 'on' : 'off',
    warmup: 0,
    runs: 1,
    statementTimeoutMs: req.timeoutMs ?? 300_000,
    keepRows: req.previewRows,
    probe: info,
  });
  const plan = run.plan;
  const rowsRead = plan ? plan.nodes.filter((n) => /Scan$/.test(n.nodeType) || n.device === 'GPU').reduce((a, n) => a + (n.actualRows ?? 0), 0) : 0;
  const operators = plan ? (planToOperators(plan) as OperatorJson | null) : null;
  // the server's planning time, measured by EXPLAIN ANALYZE, as the plan stage
  if (plan?.planningMs !== null && plan?.planningMs !== undefined) stages.push({ stage: 'plan', wallMs: plan.planningMs });
  stages.push({ stage: 'execute', wallMs: performance.now() - e0, rowsIn: rowsRead, rowsOut: run.rowCount, peakMemoryBytes: sumPeak(operators) });

  await send({ type: 'stage', stage: 'output' });
  const o0 = performance.now();
  const rows = run.rows.slice(0, req.previewRows).map((r) => {
    const row: Record<string, PreviewValue> = {};
    run.columns.forEach((c, i) => (row[c.name] = previewValue(r[i], c.typeOid)));
    return row;
  });
  stages.push({ stage: 'output', wallMs: performance.now() - o0 });

  const cpu = process.cpuUsage(cpu0);
  const monitor = run.monitor.available
    ? `gpu monitor (${run.monitor.host}): ${run.monitor.perGpu.map((g) => `GPU${g.gpu} avg ${g.avgUtilizationPct?.toFixed(1) ?? '?'}% max ${g.maxUtilizationPct ?? '?'}%, memory max ${g.maxMemoryUsedMiB ?? '?'}/${g.memoryTotalMiB ?? '?'} MiB`).join('; ')}`
    : `gpu monitor: unavailable (${run.monitor.reason})`;
  const summary = plan ? `${planSummaryText(plan, { backend: run.backend, mode: `${run.gpu.requested} → ${run.gpu.applied}`, note: run.gpu.note, wallMedianMs: run.timings.medianMs, runs: 1 })}\n${monitor}` : monitor;
  return {
    type: 'result',
    columns: run.columns.map((c) => ({ name: c.name, type: c.type })),
    rows,
    resultRows: run.rowCount,
    rowsRead,
    wallMs: performance.now() - t0,
    // this process's CPU (client side); the server's own CPU time is not visible from here
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakMemoryBytes: sumPeak(operators),
    processMaxRssBytes: process.resourceUsage().maxRSS * 1024,
    stages,
    plan: operators,
    explain: [`== ${backend} on ${redactUrl(url)} (PostgreSQL ${info.server.version}; ${info.pgStrom.reason}) ==`, summary, '', '== EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ==', JSON.stringify(run.explain, null, 2)].join('\n'),
    gpuMonitor: monitorRecord(run.monitor),
    backendVersion: `PostgreSQL ${info.server.version}${info.pgStrom.installed ? ` + PG-Strom ${info.pgStrom.extensionVersion ?? '?'}${info.pgStrom.githash ? ` (${info.pgStrom.githash})` : ''}` : ''}`,
  };
}
