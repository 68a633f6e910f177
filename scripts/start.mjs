#!/usr/bin/env node
/**
 * `npm start`: the platform on this machine. npm dependencies (`npm ci` when missing or stale) → PostgreSQL (scripts/pg.mjs, or DATABASE_URL) → migrations
 * → seed (demo workspace, API key, `sales` dataset) → worker + API → the dashboard (apps/web: `next
 * build` when its build is missing or stale, then `next start`), then prints the URLs, a sign-in link
 * and `API key: …`. Ctrl-C stops everything it started (PostgreSQL too, when this run started it).
 * Node built-ins only.
 *
 * Env: PORT (API, 3001), WEB_PORT (3000), WORKER_CONCURRENCY (1), DATABASE_URL, SEED_ROWS (100000).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies } from './deps.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const API_PORT = Number(process.env.PORT ?? 3001);
const WEB_PORT = Number(process.env.WEB_PORT ?? 3000);
// Processes that run engine queries start with a larger initial old space: a query churns through
// hundreds of MB of short-lived typed arrays, and from V8's small default heap every ~15 MB of
// them forced a mark-compact (cold GROUP BY over 10M rows: 700 → 470 ms of CPU). package.json's
// scripts pass the same flag; packages/engine/README.md has the measurement.
const ENGINE_FLAGS = ['--initial-old-space-size=512'];
const say = (l) => process.stdout.write(`${l}\n`);
const children = [];
let stopping = false;

function runStep(what, entry, args, env) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run.mjs'), entry, ...args], { cwd: ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal})`);
  return r.stdout;
}

function startChild(name, cmd, args, env, cwd = ROOT) {
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (stream, out) => {
    let buf = '';
    stream.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        out.write(`${name.padEnd(6)} | ${buf.slice(0, i)}\n`);
        buf = buf.slice(i + 1);
      }
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${signal ?? code}); stopping everything`);
      void stop(1);
    }
  });
  children.push({ name, child });
  return child;
}

async function waitForHttp(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      if (r.ok) return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

let pgModule = null;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
        }),
    ),
  );
  if (pgModule?.startedByThisProcess()) await pgModule.stopPostgres().catch((e) => say(`could not stop PostgreSQL: ${e.message}`));
  process.exit(code);
}

async function main() {
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  // A fresh clone has no node_modules: everything below (esbuild bundles, Prisma, Next) needs them.
  if (!ensureDependencies({ log: (l) => say(l) })) process.exit(1);
  pgModule = await import('./pg.mjs');
  const url = await pgModule.ensurePostgres();
  const env = { ...process.env, DATABASE_URL: url };
  say(`PostgreSQL: ${url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')}`);
  process.stdout.write(runStep('migrations', 'apps/api/src/db/migrate.ts', [], env));
  const seedOut = runStep('seed', 'apps/api/src/seed.ts', ['--rows', process.env.SEED_ROWS ?? '100000'], env);
  const apiKey = seedOut.match(/API key: (\S+)/)?.[1] ?? '(see seed output)';

  startChild('worker', process.execPath, [...ENGINE_FLAGS, path.join(ROOT, 'scripts', 'run.mjs'), 'apps/api/src/worker.ts'], env);
  startChild('api', process.execPath, [...ENGINE_FLAGS, path.join(ROOT, 'scripts', 'run.mjs'), 'apps/api/src/server.ts'], { ...env, PORT: String(API_PORT) });
  const apiUrl = `http://localhost:${API_PORT}`;
  if (!(await waitForHttp(`${apiUrl}/health`, 60_000))) throw new Error(`the API did not answer on ${apiUrl}/health within 60 s`);

  // The dashboard: a production build (rebuilt only when stale), served by `next start`; it reaches
  // the API server-side through API_URL, so the browser only ever talks to the dashboard's origin.
  let webUrl = null;
  if (fs.existsSync(path.join(ROOT, 'apps', 'web', 'package.json'))) {
    const { ensureWebBuild } = await import('../apps/web/scripts/ensure-build.mjs');
    await ensureWebBuild({ log: (l) => say(`web    | ${l}`) });
    const next = path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
    startChild('web', process.execPath, [next, 'start', '--port', String(WEB_PORT)], {
      ...env,
      PORT: String(WEB_PORT),
      API_URL: `http://127.0.0.1:${API_PORT}`,
      NEXT_TELEMETRY_DISABLED: '1',
    }, path.join(ROOT, 'apps', 'web'));
    webUrl = `http://localhost:${WEB_PORT}`;
    if (!(await waitForHttp(`${webUrl}/signin`, 120_000))) say(`warning: the dashboard did not answer on ${webUrl} within 120 s`);
  }

  say('');
  say('Phaselab is running:');
  if (webUrl) say(`  dashboard  ${webUrl}/?key=${apiKey}   (signs you in; or paste the key at ${webUrl}/signin)`);
  say(`  API        ${apiUrl}/api/v1   (OpenAPI: ${apiUrl}/api/v1/openapi.json, tRPC: ${apiUrl}/trpc)`);
  say(`  health     ${apiUrl}/health`);
  say(`API key: ${apiKey}`);
  say(`  try: curl -H "Authorization: Bearer ${apiKey}" ${apiUrl}/api/v1/datasets`);
  say('Ctrl-C stops everything.');
}

main().catch((err) => {
  say(`error: ${err instanceof Error ? err.message : err}`);
  void stop(1);
});
