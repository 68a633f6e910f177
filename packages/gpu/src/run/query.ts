/**
 * Runs one query with the GPU on, off or at the server's default: warm-up runs, K measured runs
 * (median wall time), then one EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) whose plan says what ran on
 * the GPU. Every run is its own READ ONLY transaction with a statement timeout, on a connection of
 * the schema's read-only role. On a server without PG-Strom the same code runs plain PostgreSQL and
 * says so. Cancellation: an AbortSignal → pg_cancel_backend on the query's backend.
 */
import os from 'node:os';
import type pg from 'pg';
import { GpuError, fromPgError } from '../errors.js';
import { connect, checkSettingName } from '../pg/connect.js';
import { blockersFromNotices, classifyPlan, type PlanSummary } from '../plan/classify.js';
import { probeClient, type ProbeResult } from '../probe.js';
import { startGpuMonitor, type GpuMonitor, type GpuMonitorResult } from '../monitor/nvidia-smi.js';
import { CPU_SETTINGS, PGSTROM_SETTINGS, READ_SETTINGS_SQL, notRealSettingMessage } from '../settings.js';
import { connectReadOnly } from './role.js';
import { explainAnalyze, fetchAll, inReadOnlyTransaction, normalizeSql, type Field } from './transaction.js';

export type GpuMode = 'on' | 'off' | 'auto';
export const GPU_MODES: readonly GpuMode[] = ['on', 'off', 'auto'];
export type CpuFallbackMode = 'on' | 'off' | 'notice';

export interface RunQueryOptions {
  url: string;
  sql: string;
  /** The dataset's schema: the only one the query can read (search_path points at it). */
  schema: string;
  gpu?: GpuMode;
  /** Unmeasured runs first (caches, JIT, GPU kernel build). Default 1. */
  warmup?: number;
  /** Measured runs; the median is reported. Default 3. */
  runs?: number;
  /** statement_timeout of every run (ms). Default 60 000. */
  statementTimeoutMs?: number;
  /** Extra settings for every run (set_config(name, value, true)); names must exist on the server. */
  settings?: Record<string, string>;
  /** pg_strom.cpu_fallback for the runs (PG-Strom only). With 'off', a fallback becomes an error. */
  cpuFallback?: CpuFallbackMode;
  /** Capture EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON). Default true. */
  explain?: boolean;
  /** client_min_messages = debug2 during EXPLAIN, to hear why PG-Strom kept the plan off the GPU. Default: when PG-Strom is installed. */
  debugNotices?: boolean;
  /** Sample nvidia-smi during the measured runs and EXPLAIN. Default true. */
  monitor?: boolean;
  monitorIntervalMs?: number;
  /** Rows of the last measured run to keep (default 1000; Infinity keeps all). */
  keepRows?: number;
  /**
   * Streams the last measured run's rows, chunk by chunk (≤ 10,000 rows, column names with each),
   * as they are fetched: a consumer that writes them out never holds the whole result.
   */
  onRows?: (columns: string[], rows: (string | null)[][]) => void | Promise<void>;
  signal?: AbortSignal;
  /** More settings to read back into `settings` (e.g. ones a sweep applied with ALTER ROLE). */
  readSettings?: string[];
  /** A probe of the same server, to skip probing again. */
  probe?: ProbeResult;
  onProgress?: (event: { phase: 'warmup' | 'run' | 'explain'; index: number; of: number }) => void;
}

export interface ResultColumn {
  name: string;
  typeOid: number;
  /** PostgreSQL's type name (format_type), e.g. `bigint`, `numeric(15,2)`, `text`. */
  type: string;
}

export interface GpuApplied {
  requested: GpuMode;
  /** What the runs actually set: pg_strom.enabled on/off, the server default, or nothing (no PG-Strom). */
  applied: 'on' | 'off' | 'server default' | 'not available';
  note: string;
}

export interface QueryRunResult {
  sql: string;
  schema: string;
  backend: 'pgstrom' | 'postgres';
  pgStromInstalled: boolean;
  gpu: GpuApplied;
  columns: ResultColumn[];
  /** PostgreSQL's text of each value (NULL → null), of the last measured run. */
  rows: (string | null)[][];
  rowCount: number;
  rowsTruncated: boolean;
  timings: { warmupMs: number[]; runsMs: number[]; medianMs: number; minMs: number; maxMs: number };
  explain: unknown | null;
  plan: PlanSummary | null;
  /** Notices of the EXPLAIN run (DEBUG2 when debugNotices), at most 500. */
  notices: string[];
  /** Functions/types PG-Strom named as not runnable on the GPU (from the notices). */
  gpuBlockers: string[];
  fallback: { detected: boolean; source: 'fallback-stats' | null; details: string[] };
  monitor: GpuMonitorResult;
  /** The relevant settings as the runs saw them (read inside the EXPLAIN transaction). */
  settings: Record<string, string | null>;
  server: { version: string };
}

/**
 * With pg_strom.cpu_fallback = off, PG-Strom raises an error where it would have fallen back to the
 * CPU. Its exact wording is not known here (no PG-Strom server to check), so any error of such a GPU
 * run that mentions a fallback counts.
 */
export function asFallbackError(err: GpuError, mode: GpuMode, cpuFallback: CpuFallbackMode | undefined): GpuError {
  if (cpuFallback === 'off' && mode !== 'off' && err.code === 'query' && /fall ?back/i.test(err.message)) {
    return new GpuError('fallback', `CPU fallback refused (pg_strom.cpu_fallback = off): ${err.message}`, err.sqlState);
  }
  return err;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function intOption(name: string, v: number | undefined, dflt: number, min: number, max: number): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < min || x > max) throw new GpuError('invalid_argument', `${name} must be an integer between ${min} and ${max}, got ${String(v)}`);
  return x;
}

/** Checks extra settings: real names only (SET on an unknown dotted name silently makes a placeholder). */
async function checkSettings(admin: pg.Client, settings: Record<string, string>, pgStrom: boolean): Promise<[string, string][]> {
  const entries = Object.entries(settings);
  for (const [name, value] of entries) {
    checkSettingName(name);
    const fake = notRealSettingMessage(name);
    if (fake) throw new GpuError('invalid_argument', fake);
    if (typeof value !== 'string') throw new GpuError('invalid_argument', `setting ${name}: value must be a string`);
    if (/^(pg_strom|arrow_fdw)\./i.test(name) && !pgStrom) {
      throw new GpuError('invalid_argument', `setting ${name} has no effect: PG-Strom is not installed on this server`);
    }
  }
  if (entries.length === 0) return [];
  const { rows } = await admin.query<{ name: string; value: string | null }>(READ_SETTINGS_SQL, [entries.map((e) => e[0])]);
  const unknown = rows.filter((r) => r.value === null).map((r) => r.name);
  if (unknown.length) throw new GpuError('invalid_argument', `unknown setting${unknown.length > 1 ? 's' : ''} on this server: ${unknown.join(', ')}`);
  return entries;
}

async function columnTypes(admin: pg.Client, fields: Field[]): Promise<ResultColumn[]> {
  if (fields.length === 0) return [];
  const { rows } = await admin.query<{ t: string }>(
    'SELECT format_type(o, NULLIF(m, -1)) AS t FROM unnest($1::oid[], $2::int[]) WITH ORDINALITY AS f(o, m, i) ORDER BY i',
    [fields.map((f) => f.typeOid), fields.map((f) => f.typeModifier)],
  );
  return fields.map((f, i) => ({
    name: f.name,
    typeOid: f.typeOid,
    // the engine says `timestamp`; PostgreSQL's long spelling would make equal types look different
    type: rows[i].t.replace(/^timestamp without time zone$/, 'timestamp').replace(/^timestamp\((\d)\) without time zone$/, 'timestamp($1)'),
  }));
}

function gpuPlan(mode: GpuMode, probe: ProbeResult): GpuApplied {
  if (!probe.pgStrom.installed) {
    return {
      requested: mode,
      applied: 'not available',
      note: `${mode === 'off' ? 'GPU off' : `GPU ${mode} requested`}, but ${probe.pgStrom.reason}: ran on plain PostgreSQL (CPU)`,
    };
  }
  if (mode === 'auto') return { requested: mode, applied: 'server default', note: `pg_strom.enabled left at the server's value (${probe.settings['pg_strom.enabled']})` };
  return { requested: mode, applied: mode, note: `pg_strom.enabled = ${mode}` };
}

export async function runQuery(opts: RunQueryOptions): Promise<QueryRunResult> {
  const sql = normalizeSql(opts.sql);
  const mode = opts.gpu ?? 'auto';
  if (!GPU_MODES.includes(mode)) throw new GpuError('invalid_argument', `--gpu must be on, off or auto, got "${String(mode)}"`);
  const warmup = intOption('warmup', opts.warmup, 1, 0, 100);
  const runs = intOption('runs', opts.runs, 3, 1, 1000);
  const timeoutMs = intOption('statement timeout (ms)', opts.statementTimeoutMs, 60_000, 1, 2_147_483_647);
  if (opts.cpuFallback !== undefined && !['on', 'off', 'notice'].includes(opts.cpuFallback)) {
    throw new GpuError('invalid_argument', `cpu_fallback must be on, off or notice, got "${String(opts.cpuFallback)}"`);
  }
  const keepRows = opts.keepRows ?? 1000;
  if (opts.signal?.aborted) throw new GpuError('cancelled', 'cancelled before the query started');

  const admin = await connect(opts.url);
  let query: pg.Client | null = null;
  let monitor: GpuMonitor | null = null;
  let cancelTimer: NodeJS.Timeout | null = null;
  let cancelled = false;
  const onAbort = () => {
    cancelled = true;
    const cancel = () => {
      if (!query) return;
      void admin.query('SELECT pg_cancel_backend($1)', [backendPid]).catch(() => {
        // Not allowed to cancel (no rights over the role's backends): drop our connection instead;
        // the server stops the query at its next client check (client_connection_check_interval).
        void query?.end().catch(() => {});
      });
    };
    cancel();
    // A cancel that lands between two statements cancels nothing: repeat until the run ends.
    cancelTimer = setInterval(cancel, 200);
  };
  let backendPid = 0;
  try {
    const probe = opts.probe ?? (await probeClient(admin, opts.url));
    const pgStrom = probe.pgStrom.installed;
    const gpu = gpuPlan(mode, probe);
    const extra = await checkSettings(admin, opts.settings ?? {}, pgStrom);
    if (opts.cpuFallback !== undefined && !pgStrom) throw new GpuError('invalid_argument', 'cpu_fallback is a PG-Strom setting: PG-Strom is not installed on this server');

    const settings: [string, string][] = [
      ['statement_timeout', String(timeoutMs)],
      ['cursor_tuple_fraction', '1'],
      ['search_path', opts.schema],
      ['DateStyle', 'ISO, MDY'],
      ['TimeZone', 'UTC'],
      ['extra_float_digits', '1'],
    ];
    // A client that dies (a killed job runner) then stops its query within a second instead of
    // leaving it running to completion (PostgreSQL 14+).
    if (probe.server.versionNum >= 140000) settings.push(['client_connection_check_interval', '1000']);
    if (pgStrom && gpu.applied !== 'server default') settings.push(['pg_strom.enabled', mode]);
    if (pgStrom && opts.cpuFallback) settings.push(['pg_strom.cpu_fallback', opts.cpuFallback]);
    settings.push(...extra);

    const ro = await connectReadOnly(opts.url, admin, opts.schema);
    query = ro.client;
    backendPid = Number((await query.query<{ pid: string }>('SELECT pg_backend_pid()::text AS pid')).rows[0].pid);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();
    const check = () => {
      if (cancelled) throw new GpuError('cancelled', 'canceling statement due to user request');
    };

    const once = async (keep: boolean) => {
      let fields: Field[] = [];
      const rows: (string | null)[][] = [];
      const t0 = performance.now();
      const count = await inReadOnlyTransaction(query!, settings, () =>
        fetchAll(query!, sql, async (f, chunk) => {
          fields = f;
          if (!keep) return;
          for (const r of chunk) if (rows.length < keepRows) rows.push(r);
          await opts.onRows?.(f.map((x) => x.name), chunk);
        }),
      );
      return { ms: performance.now() - t0, fields, rows, count };
    };

    const warmupMs: number[] = [];
    for (let i = 0; i < warmup; i++) {
      check();
      opts.onProgress?.({ phase: 'warmup', index: i + 1, of: warmup });
      warmupMs.push((await once(false)).ms);
    }
    if (opts.monitor !== false) monitor = startGpuMonitor(opts.monitorIntervalMs ?? 500);
    const runsMs: number[] = [];
    let last: Awaited<ReturnType<typeof once>> | null = null;
    for (let i = 0; i < runs; i++) {
      check();
      opts.onProgress?.({ phase: 'run', index: i + 1, of: runs });
      monitor?.mark(`run ${i + 1}`);
      last = await once(i === runs - 1);
      runsMs.push(last.ms);
    }

    let explain: unknown = null;
    let plan: PlanSummary | null = null;
    const notices: string[] = [];
    let effective: Record<string, string | null> = {};
    const debug = opts.debugNotices ?? pgStrom;
    const names = [...new Set([...(pgStrom ? PGSTROM_SETTINGS : []), ...CPU_SETTINGS, ...extra.map((e) => e[0]), ...(opts.readSettings ?? []), 'statement_timeout'])];
    const onNotice = (n: { message?: string }) => {
      if (notices.length < 500 && n.message) notices.push(n.message);
    };
    if (opts.explain !== false) {
      check();
      opts.onProgress?.({ phase: 'explain', index: 1, of: 1 });
      monitor?.mark('explain');
      const explainSettings: [string, string][] = debug ? [...settings, ['client_min_messages', 'debug2']] : settings;
      query.on('notice', onNotice);
      try {
        const out = await inReadOnlyTransaction(query, explainSettings, async () => {
          const doc = await explainAnalyze(query!, sql);
          const { rows } = await query!.query<{ name: string; value: string | null }>(READ_SETTINGS_SQL, [names]);
          return { doc, rows };
        });
        explain = out.doc;
        for (const r of out.rows) effective[r.name] = r.value;
      } finally {
        query.off('notice', onNotice);
      }
      plan = classifyPlan(explain);
    } else {
      effective = Object.fromEntries(settings);
    }
    const monitorResult: GpuMonitorResult = monitor ? await monitor.stop() : { available: false, host: os.hostname(), reason: 'monitoring was turned off for this run' };
    monitor = null;
    const columns = await columnTypes(admin, last!.fields);
    return {
      sql,
      schema: opts.schema,
      backend: pgStrom ? 'pgstrom' : 'postgres',
      pgStromInstalled: pgStrom,
      gpu,
      columns,
      rows: last!.rows,
      rowCount: last!.count,
      rowsTruncated: last!.count > last!.rows.length,
      timings: { warmupMs, runsMs, medianMs: median(runsMs), minMs: Math.min(...runsMs), maxMs: Math.max(...runsMs) },
      explain,
      plan,
      notices,
      gpuBlockers: blockersFromNotices(notices),
      fallback: plan?.fallback.detected
        ? { detected: true, source: 'fallback-stats', details: plan.fallback.nodes.map((f) => `${f.label}: ${f.text}`) }
        : { detected: false, source: null, details: [] },
      monitor: monitorResult,
      settings: effective,
      server: { version: probe.server.version },
    };
  } catch (e) {
    const err = asFallbackError(fromPgError(e), mode, opts.cpuFallback);
    if (cancelled && err.code !== 'cancelled') throw new GpuError('cancelled', `cancelled (${err.message})`, err.sqlState);
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (cancelTimer) clearInterval(cancelTimer);
    await monitor?.stop().catch(() => {});
    await query?.end().catch(() => {});
    await admin.end().catch(() => {});
  }
}
