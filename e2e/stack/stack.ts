/**
 * The full platform for the browser tests, as `npm start` runs it but isolated: a fresh database on
 * the shared PostgreSQL, the API, one worker and the production dashboard (`next start`), each a real
 * process on a free port. Modelled on apps/api/test/harness.ts.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');
const SALES_ROWS = 30_000;

export interface Stack {
  webUrl: string;
  apiUrl: string;
  apiKey: string;
  database: string;
  stop(): Promise<void>;
}

interface Proc {
  name: string;
  child: ChildProcess;
  log: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function withDatabase(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(base: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function waitForHttp(url: string, procs: Proc[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const dead = procs.find((p) => p.child.exitCode !== null || p.child.signalCode !== null);
    if (dead) throw new Error(`${dead.name} exited while waiting for ${url}:\n${dead.log.slice(-3000)}`);
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s:\n${procs.map((p) => `── ${p.name}\n${p.log.slice(-2000)}`).join('\n')}`);
}

function start(name: string, args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Proc {
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc: Proc = { name, child, log: '' };
  const logFile = fs.createWriteStream(path.join(ARTIFACTS, `${name}.log`));
  const take = (d: Buffer) => {
    proc.log = (proc.log + d.toString()).slice(-20_000);
    logFile.write(d);
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  child.once('exit', () => logFile.end());
  return proc;
}

async function stopProc(p: Proc): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.child.once('exit', () => resolve()));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export async function startStack(log: (l: string) => void = (l) => process.stderr.write(`[e2e] ${l}\n`)): Promise<Stack> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  let base = process.env.DATABASE_URL;
  if (!base) {
    // @ts-expect-error plain JavaScript module without types
    const pgScript = (await import('../../scripts/pg.mjs')) as { ensurePostgres(): Promise<string> };
    base = await pgScript.ensurePostgres();
  }
  const database = `phaselab_e2e_${crypto.randomBytes(5).toString('hex')}`;
  await adminQuery(base, `CREATE DATABASE ${database} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  const url = withDatabase(base, database);
  const procs: Proc[] = [];
  const stop = async () => {
    await Promise.all(procs.map(stopProc));
    await adminQuery(base!, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch((e: Error) => log(`could not drop ${database}: ${e.message}`));
  };
  try {
    const started = Date.now();
    const seeded = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'e2e/stack/prepare-db.ts', '--rows', String(SALES_ROWS), '--dir', path.join(os.tmpdir(), 'phaselab-e2e', `sales-${SALES_ROWS}`)],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' },
    );
    if (seeded.status !== 0) throw new Error(`seeding failed:\n${seeded.stderr}`);
    const { apiKey } = JSON.parse(seeded.stdout.trim().split('\n').pop()!) as { apiKey: string };
    log(`database ${database} seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // @ts-expect-error plain JavaScript module without types
    const { ensureWebBuild } = (await import('../../apps/web/scripts/ensure-build.mjs')) as { ensureWebBuild(o: { log: (l: string) => void }): Promise<{ built: boolean }> };
    await ensureWebBuild({ log });

    const [apiPort, webPort] = [await freePort(), await freePort()];
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const webUrl = `http://127.0.0.1:${webPort}`;
    const runTs = path.join(ROOT, 'scripts', 'run.mjs');
    procs.push(start('api', [runTs, 'apps/api/src/server.ts'], { DATABASE_URL: url, PORT: String(apiPort) }));
    procs.push(
      start('web', [path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '--port', String(webPort), '--hostname', '127.0.0.1'], { API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: '1' }, path.join(ROOT, 'apps', 'web')),
    );
    await waitForHttp(`${apiUrl}/health`, procs, 90_000);
    // After the API: both create pg-boss's schema on first start, and doing it at once deadlocks.
    procs.push(start('worker', [runTs, 'apps/api/src/worker.ts'], { DATABASE_URL: url, WORKER_CONCURRENCY: '2', WORKER_HEARTBEAT_MS: '500' }));
    await waitForHttp(`${webUrl}/signin`, procs, 90_000);
    const worker = procs.find((p) => p.name === 'worker')!;
    const deadline = Date.now() + 60_000;
    while (!/ready, concurrency/.test(worker.log)) {
      if (Date.now() > deadline || worker.child.exitCode !== null) throw new Error(`worker did not get ready:\n${worker.log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s: dashboard ${webUrl}, API ${apiUrl}`);
    return { webUrl, apiUrl, apiKey, database, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
