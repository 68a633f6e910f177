/**
 * npm run --silent bench:api -- [--runs 30] [--clients 50] [--jobs-per-client 4] [--workers 1] [--concurrency 1]
 *                                [--rows 10000] [--sql "SELECT …"] [--json FILE]
 *
 * Submit-to-done latency of a tiny job through the REST API, and throughput with many concurrent
 * clients. Boots its own stack like the test harness: a fresh database on the project's PostgreSQL
 * (dropped at the end), a small `sales` dataset, the API and worker(s) as separate processes.
 *
 * A client submits with POST /api/v1/jobs and learns the end from the job.progress SSE subscription
 * (what the dashboard does); the clock stops at the terminal event. Per job the store's timestamps
 * split the time: queued (created → started: queue wake-up and claim), running (started → finished:
 * child process start, register, plan, execute, record) and the engine's own wall time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import fs from 'node:fs';
import pg from 'pg';
import { createApiKey } from '../src/auth.js';
import { createDb } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { repoRoot } from '../src/env.js';
import { ensureGenerated, registerDataset } from '../src/seed.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    clients: { type: 'string', default: '50' },
    'jobs-per-client': { type: 'string', default: '4' },
    workers: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '1' },
    rows: { type: 'string', default: '10000' },
    sql: { type: 'string', default: 'SELECT count(*) AS n FROM l40s_sales_large' },
    json: { type: 'string' },
  },
});
const positive = (name: string, v: string | undefined) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${v}"`);
  return n;
};
const RUNS = positive('runs', args.runs);
const CLIENTS = positive('clients', args.clients);
const JOBS_PER_CLIENT = positive('jobs-per-client', args['jobs-per-client']);
const WORKERS = positive('workers', args.workers);
const CONCURRENCY = positive('concurrency', args.concurrency);
const ROWS = positive('rows', args.rows);

const log = (l: string) => process.stderr.write(`[bench:api] ${l}\n`);

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}
const median = (xs: number[]) => quantile(xs, 0.5);
const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : '-');

async function baseUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const mod = (await import(pathToFileURL(path.join(repoRoot(), 'scripts', 'pg.mjs')).href)) as { ensurePostgres(): Promise<string> };
  return mod.ensurePostgres();
}

function startProcess(name: string, entry: string, env: Record<string, string>, ready: RegExp): Promise<{ proc: ChildProcess; match: RegExpMatchArray; output: () => string }> {
  const root = repoRoot();
  const proc = spawn(process.execPath, [path.join(root, 'scripts', 'run.mjs'), entry], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${name} did not start:\n${out}`)), 120_000);
    const onData = (d: Buffer) => {
      out += d;
      const m = out.match(ready);
      if (m) {
        clearTimeout(t);
        resolve({ proc, match: m, output: () => out });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`${name} exited with ${code}:\n${out}`));
    });
  });
}

/** Waits for the job's terminal state on the job.progress SSE stream. */
async function waitDone(api: string, key: string, id: string): Promise<string> {
  const res = await fetch(`${api}/trpc/job.progress?input=${encodeURIComponent(JSON.stringify({ id }))}`, { headers: { Authorization: `Bearer ${key}`, Accept: 'text/event-stream' } });
  if (!res.ok || !res.body) throw new Error(`job.progress: HTTP ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`job.progress for ${id} ended without a terminal state`);
      buf += decoder.decode(value, { stream: true });
      for (const m of buf.matchAll(/"status":"(succeeded|failed|cancelled)"/g)) return m[1];
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

interface Sample {
  id: string;
  latencyMs: number;
}

async function submitAndWait(api: string, key: string, sql: string): Promise<Sample> {
  const t0 = performance.now();
  const r = await fetch(`${api}/api/v1/jobs`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ sql, dataset: 'bench' }) });
  const body = (await r.json()) as { id?: string; message?: string };
  if (r.status !== 200 || !body.id) throw new Error(`submit: HTTP ${r.status} ${body.message ?? ''}`);
  const status = await waitDone(api, key, body.id);
  const latencyMs = performance.now() - t0;
  if (status !== 'succeeded') throw new Error(`job ${body.id} ${status}`);
  return { id: body.id, latencyMs };
}

interface Breakdown {
  queuedMs: number[];
  runningMs: number[];
  engineMs: number[];
}

async function breakdown(pool: pg.Pool, ids: string[]): Promise<Breakdown> {
  const { rows } = await pool.query<{ queued: number; running: number; engine: number }>(
    `SELECT extract(epoch FROM j.started_at - j.created_at) * 1000 AS queued, extract(epoch FROM j.finished_at - j.started_at) * 1000 AS running, r.wall_ms AS engine
       FROM jobs j JOIN runs r ON r.job_id = j.id WHERE j.id = ANY($1::uuid[])`,
    [ids],
  );
  return { queuedMs: rows.map((r) => Number(r.queued)), runningMs: rows.map((r) => Number(r.running)), engineMs: rows.map((r) => Number(r.engine)) };
}

const summarize = (b: Breakdown) => ({ queuedMedianMs: median(b.queuedMs), runningMedianMs: median(b.runningMs), engineMedianMs: median(b.engineMs) });

async function main() {
  const base = await baseUrl();
  const dbName = `phaselab_bench_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${dbName}`;
  const url = u.toString();
  const procs: ChildProcess[] = [];
  const db = createDb(url);
  try {
    await migrate(url);
    const ws = await db.prisma.workspace.create({ data: { slug: 'bench', name: 'Bench' } });
    const key = await createApiKey(db.prisma, ws.id, 'bench');
    const dir = path.join(os.tmpdir(), 'phaselab-api-bench', `sales-${ROWS}`);
    const manifest = await ensureGenerated('sales', ROWS, dir, log);
    await registerDataset(db.prisma, ws.id, 'bench', dir, manifest);

    const env = { DATABASE_URL: url, WORKER_CONCURRENCY: String(CONCURRENCY) };
    const api = await startProcess('api', 'apps/api/src/server.ts', { ...env, PORT: '0' }, /listening on (http:\/\/[^\s]+)/);
    procs.push(api.proc);
    const apiUrl = api.match[1];
    for (let i = 0; i < WORKERS; i++) procs.push((await startProcess(`worker ${i + 1}`, 'apps/api/src/worker.ts', env, /ready, concurrency/)).proc);
    log(`stack up: API ${apiUrl}, ${WORKERS} worker(s) × concurrency ${CONCURRENCY}, dataset ${ROWS} rows; job: ${args.sql}`);

    for (let i = 0; i < 3; i++) await submitAndWait(apiUrl, key, args.sql!); // warm-up: bundles, caches

    const seq: Sample[] = [];
    for (let i = 0; i < RUNS; i++) seq.push(await submitAndWait(apiUrl, key, args.sql!));
    const seqLat = seq.map((s) => s.latencyMs);
    const seqParts = summarize(await breakdown(db.pool, seq.map((s) => s.id)));

    const conc: Sample[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = 0; i < JOBS_PER_CLIENT; i++) conc.push(await submitAndWait(apiUrl, key, args.sql!));
      }),
    );
    const elapsedS = (performance.now() - t0) / 1000;
    const concLat = conc.map((s) => s.latencyMs);
    const concParts = summarize(await breakdown(db.pool, conc.map((s) => s.id)));

    const result = {
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, loadavg1: os.loadavg()[0] },
      setup: { workers: WORKERS, concurrency: CONCURRENCY, datasetRows: ROWS, sql: args.sql },
      latency: { runs: RUNS, medianMs: median(seqLat), p95Ms: quantile(seqLat, 0.95), minMs: Math.min(...seqLat), maxMs: Math.max(...seqLat), ...seqParts },
      throughput: { clients: CLIENTS, jobs: conc.length, elapsedS, jobsPerSecond: conc.length / elapsedS, medianLatencyMs: median(concLat), p95LatencyMs: quantile(concLat, 0.95), ...concParts },
    };
    const L = result.latency;
    const T = result.throughput;
    process.stdout.write(
      [
        `submit-to-done latency, 1 client, ${RUNS} runs: median ${ms(L.medianMs)}, p95 ${ms(L.p95Ms)} (min ${ms(L.minMs)}, max ${ms(L.maxMs)})`,
        `  where it goes (medians): queued ${ms(L.queuedMedianMs)} · running ${ms(L.runningMedianMs)} (engine ${ms(L.engineMedianMs)}) · rest (HTTP, NOTIFY, SSE) ${ms(L.medianMs - L.queuedMedianMs - L.runningMedianMs)}`,
        `throughput, ${CLIENTS} clients × ${JOBS_PER_CLIENT} jobs: ${T.jobsPerSecond.toFixed(2)} jobs/s over ${T.elapsedS.toFixed(1)} s; latency median ${ms(T.medianLatencyMs)}, p95 ${ms(T.p95LatencyMs)}`,
        `  where it goes (medians): queued ${ms(T.queuedMedianMs)} · running ${ms(T.runningMedianMs)} (engine ${ms(T.engineMedianMs)})`,
        `machine: ${result.machine.cpus} cpus, load average ${result.machine.loadavg1.toFixed(1)}; ${WORKERS} worker(s) × concurrency ${CONCURRENCY}`,
        '',
      ].join('\n'),
    );
    if (args.json) fs.writeFileSync(args.json, JSON.stringify(result, null, 2) + '\n');
  } finally {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())))));
    await db.close();
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await c.end();
  }
}

main().catch((err) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
