#!/usr/bin/env node
/**
 * `next build` only when the production build is missing or older than what it is built from (this
 * app's sources and config, the lockfile). Used by `npm start` and the e2e suite's global setup.
 * Concurrent callers (two `npm start`s, e2e beside `npm start`) wait on a lock instead of building
 * over each other's .next folder.
 *
 *   node apps/web/scripts/ensure-build.mjs [--force]
 *   import { ensureWebBuild } from './ensure-build.mjs'
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = path.resolve(WEB_DIR, '..', '..');
const BUILD_ID = path.join(WEB_DIR, '.next', 'BUILD_ID');
const LOCK = path.join(WEB_DIR, '.next-build.lock');
const INPUTS = ['src', 'public', 'next.config.ts', 'package.json', 'tsconfig.json'];

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

/** Why the build must be redone, or null when it is current. */
export function staleReason() {
  if (!fs.existsSync(BUILD_ID)) return 'no production build yet';
  const built = fs.statSync(BUILD_ID).mtimeMs;
  for (const input of [...INPUTS.map((i) => path.join(WEB_DIR, i)), path.join(ROOT, 'package-lock.json')]) {
    if (newestMtime(input) > built) return `${path.relative(ROOT, input)} changed since the last build`;
  }
  return null;
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function withLock(fn) {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const holder = Number(fs.readFileSync(LOCK, 'utf8'));
      if (!pidAlive(holder)) fs.rmSync(LOCK, { force: true });
      else if (Date.now() > deadline) throw new Error(`waited 10 min for the web build held by pid ${holder}`);
      else await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(LOCK, { force: true });
  }
}

/** Builds when stale; returns what it did. `log` gets one line per decision. */
export async function ensureWebBuild({ force = false, log = (l) => process.stderr.write(`[web] ${l}\n`) } = {}) {
  return withLock(() => {
    const why = force ? 'forced' : staleReason();
    if (!why) return { built: false };
    log(`next build (${why})…`);
    const started = Date.now();
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
      cwd: WEB_DIR,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (r.status !== 0) throw new Error(`next build failed (exit ${r.status ?? r.signal})`);
    log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { built: true, seconds: (Date.now() - started) / 1000 };
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureWebBuild({ force: process.argv.includes('--force') }).catch((err) => {
    process.stderr.write(`[web] ${err instanceof Error ? err.message : err}\n`);
    process.exit(1);
  });
}
