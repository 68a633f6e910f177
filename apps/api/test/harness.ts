/**
 * Test stack: a fresh database per test file (migrated), two workspaces with API keys and the
 * `sales` dataset, the API server in-process on a free port, and worker processes spawned as real
 * separate processes (so a test can kill one).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Manifest } from '@phaselab/workloads';
import { createApiKey } from '../src/auth.js';
import { createDb, type Db } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { repoRoot } from '../src/env.js';
import { registerDataset } from '../src/seed.js';
import { startServer, type ApiServer } from '../src/server.js';

export function databaseUrlFor(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = inject('databaseUrl');
  const name = `phaselab_test_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  await admin.end();
  return {
    url: databaseUrlFor(base, name),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface Worker {
  proc: ChildProcess;
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crash) and wait for exit. */
  kill(): Promise<void>;
}

export interface Stack {
  url: string;
  db: Db;
  api: ApiServer;
  keyA: string;
  keyB: string;
  workspaceA: string;
  workers: Worker[];
  startWorker(env?: Record<string, string>): Promise<Worker>;
  request(method: string, path: string, opts?: { key?: string | null; body?: unknown }): Promise<{ status: number; body: any }>;
  waitForJob(id: string, until: (job: any) => boolean, timeoutMs?: number, key?: string): Promise<any>;
  close(): Promise<void>;
}

const exited = (p: ChildProcess) => new Promise<void>((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve() : p.once('exit', () => resolve())));

export async function createStack(): Promise<Stack> {
  const database = await createDatabase();
  const url = database.url;
  await migrate(url);
  const db = createDb(url);
  const manifest = JSON.parse(fs.readFileSync(path.join(inject('salesDir'), 'manifest.json'), 'utf8')) as Manifest;
  const a = await db.prisma.workspace.create({ data: { slug: 'a', name: 'A' } });
  const b = await db.prisma.workspace.create({ data: { slug: 'b', name: 'B' } });
  const keyA = await createApiKey(db.prisma, a.id);
  const keyB = await createApiKey(db.prisma, b.id);
  await registerDataset(db.prisma, a.id, 'sales', inject('salesDir'), manifest);
  await registerDataset(db.prisma, b.id, 'sales', inject('salesDir'), manifest);
  const api = await startServer({ url, port: 0, host: '127.0.0.1', log: () => {} });
  const workers: Worker[] = [];

  const stack: Stack = {
    url,
    db,
    api,
    keyA,
    keyB,
    workspaceA: a.id,
    workers,
    async startWorker(env = {}) {
      const root = repoRoot();
      const proc = spawn(process.execPath, [path.join(root, 'scripts', 'run.mjs'), 'apps/api/src/worker.ts'], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: url, WORKER_HEARTBEAT_MS: '500', WORKER_STALE_MS: '5000', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      proc.stdout!.on('data', (d) => (out += d));
      proc.stderr!.on('data', (d) => (out += d));
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`worker did not start:\n${out}`)), 60_000);
        const check = () => {
          if (/ready, concurrency/.test(out)) {
            clearTimeout(t);
            resolve();
          }
        };
        proc.stderr!.on('data', check);
        proc.once('exit', (code) => {
          clearTimeout(t);
          reject(new Error(`worker exited with ${code}:\n${out}`));
        });
      });
      const w: Worker = {
        proc,
        output: () => out,
        async stop() {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
          await exited(proc);
        },
        async kill() {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
          await exited(proc);
        },
      };
      workers.push(w);
      return w;
    },
    async request(method, p, opts = {}) {
      const key = opts.key === undefined ? keyA : opts.key;
      const res = await fetch(`${api.url}${p}`, {
        method,
        headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        ...(opts.body !== undefined ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) } : {}),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body };
    },
    async waitForJob(id, until, timeoutMs = 45_000, key = keyA) {
      const deadline = Date.now() + timeoutMs;
      let last: any = null;
      while (Date.now() < deadline) {
        const r = await stack.request('GET', `/api/v1/jobs/${id}`, { key });
        last = r.body;
        if (r.status === 200 && until(r.body)) return r.body;
        await new Promise((res) => setTimeout(res, 150));
      }
      throw new Error(`job ${id} did not reach the expected state; last: ${JSON.stringify(last)?.slice(0, 800)}\nworkers:\n${workers.map((w) => w.output()).join('\n---\n')}`);
    },
    async close() {
      await Promise.allSettled(workers.map((w) => w.kill()));
      await api.close();
      await db.close();
      await database.drop();
    },
  };
  return stack;
}

export const TERMINAL = ['succeeded', 'failed', 'cancelled'];

/** Roles are cluster-wide: drops the read-only roles the postgres backend made for a test's datasets. */
export async function dropRoles(roles: readonly string[]): Promise<void> {
  const c = new pg.Client({ connectionString: inject('databaseUrl') });
  await c.connect();
  for (const r of roles) await c.query(`DROP ROLE IF EXISTS "${r}"`).catch(() => {});
  await c.end();
}
/** ~25 s alone on one core: a self-join on a 3-value key (50k × 16.7k pairs). */
export const LONG_SQL = 'SELECT count(*) FROM l40s_sales_large a JOIN l40s_sales_large b ON a.partition_key = b.partition_key';
/** ~3-5 s: a self-join on the 20-value region key (125M pairs). */
export const MEDIUM_SQL = 'SELECT count(*) AS pairs FROM l40s_sales_large a JOIN l40s_sales_large b ON a.region = b.region';
