#!/usr/bin/env node
/**
 * A project-local PostgreSQL for development and tests (the engine's differential oracle, later the
 * platform's store). Node built-ins only.
 *
 *   node scripts/pg.mjs start    ensure the server runs, print its URL
 *   node scripts/pg.mjs stop     stop the project-local server
 *   node scripts/pg.mjs status   say where it lives and whether it runs (exit 0 running, 3 not)
 *   node scripts/pg.mjs url      ensure the server runs, print only the URL (for $(...))
 *   node scripts/pg.mjs psql [ARGS...]   ensure the server runs, open psql on database phaselab
 *
 * As a module: `ensurePostgres(): Promise<string>` (the DATABASE_URL) and `stopPostgres()`.
 *
 * When DATABASE_URL is set it is used as is and nothing is installed, created or started.
 * Otherwise: binaries from /usr/lib/postgresql/<newest>/bin, `pg_config --bindir` or PATH
 * (apt-get installs `postgresql` when none are found and we are root); a cluster initialised with
 * C collation into <repo>/.data/pg; socket dir <repo>/.data/run; log <repo>/.data/pg.log; server on
 * 127.0.0.1:54329 (PHASELAB_PG_PORT overrides); database `phaselab`; trust auth, user postgres.
 * When run as root, initdb/pg_ctl run as the `postgres` user; if that user cannot traverse the repo
 * path (e.g. a repo under /root), the data lives in /tmp/phaselab-pg-<hash of repo path> instead.
 * Messages go to stderr, prefixed "[pg]".
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DB_NAME = 'phaselab';
const DB_USER = 'postgres';
const DEFAULT_PORT = 54329;
const SERVER_OPTIONS = [
  '-c listen_addresses=127.0.0.1',
  '-c fsync=off',
  '-c synchronous_commit=off',
  '-c full_page_writes=off',
];

const log = (msg) => process.stderr.write(`[pg] ${msg}\n`);

function port() {
  const raw = process.env.PHASELAB_PG_PORT;
  if (!raw) return DEFAULT_PORT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`PHASELAB_PG_PORT=${raw} is not a port number`);
  return n;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const shq = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/** Runs a command (as the postgres user when we are root). Returns {status, stdout, stderr}. */
function run(cmd, args, { asPg = false, cwd = '/', timeoutMs = 120_000, env } = {}) {
  let file = cmd;
  let argv = args;
  if (asPg && isRoot()) {
    if (fs.existsSync('/usr/sbin/runuser') || fs.existsSync('/sbin/runuser')) {
      file = fs.existsSync('/usr/sbin/runuser') ? '/usr/sbin/runuser' : '/sbin/runuser';
      argv = ['-u', DB_USER, '--', cmd, ...args];
    } else {
      file = 'su';
      argv = [DB_USER, '-s', '/bin/sh', '-c', [cmd, ...args].map(shq).join(' ')];
    }
  }
  // stdin ignored; pg_ctl points the postmaster's stdout/stderr at the log file, so pipes close.
  const r = spawnSync(file, argv, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
    env: { ...cleanEnv(), ...env },
  });
  if (r.error) return { status: -1, stdout: '', stderr: String(r.error.message) };
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** The environment without libpq/PG variables that could redirect our commands elsewhere. */
function cleanEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^PG[A-Z]/.test(k)) delete env[k];
  env.LC_ALL = 'C';
  return env;
}

function mustRun(what, cmd, args, opts) {
  const r = run(cmd, args, opts);
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}): ${cmd} ${args.join(' ')}\n${r.stdout}${r.stderr}`);
  return r;
}

// ───────────────────────────── binaries ─────────────────────────────

const hasServerBins = (dir) => ['initdb', 'pg_ctl', 'postgres'].every((b) => fs.existsSync(path.join(dir, b)));

function versionedBinDirs() {
  const base = '/usr/lib/postgresql';
  let entries = [];
  try {
    entries = fs.readdirSync(base);
  } catch {
    return [];
  }
  return entries
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => ({ version: v, dir: path.join(base, v, 'bin') }))
    .filter((e) => hasServerBins(e.dir));
}

function findBinDir(wantedMajor) {
  if (process.env.PHASELAB_PG_BIN && hasServerBins(process.env.PHASELAB_PG_BIN)) return process.env.PHASELAB_PG_BIN;
  const versioned = versionedBinDirs();
  if (wantedMajor) {
    const hit = versioned.find((e) => e.version.split('.')[0] === wantedMajor);
    if (hit) return hit.dir;
  }
  if (versioned.length > 0) return versioned[0].dir;
  const cfg = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (cfg.status === 0 && hasServerBins(cfg.stdout.trim())) return cfg.stdout.trim();
  for (const d of (process.env.PATH ?? '').split(path.delimiter)) if (d && hasServerBins(d)) return d;
  return null;
}

function installPostgres() {
  const apt = ['/usr/bin/apt-get', '/bin/apt-get'].find((p) => fs.existsSync(p));
  if (!isRoot() || !apt) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found. Install PostgreSQL ' +
        '(Debian/Ubuntu: `sudo apt-get install -y postgresql`; or set PHASELAB_PG_BIN to its bin directory), ' +
        'or set DATABASE_URL to an existing server.',
    );
  }
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  log('PostgreSQL server binaries not found; installing them with apt-get (Debian package "postgresql"):');
  log('  $ apt-get update');
  mustRun('apt-get update', apt, ['update'], { env, timeoutMs: 600_000 });
  log('  $ DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql');
  mustRun('apt-get install postgresql', apt, ['install', '-y', '--no-install-recommends', 'postgresql'], {
    env,
    timeoutMs: 900_000,
  });
  log('  installed (the Debian cluster service is not used; we run our own server).');
}

function ensurePgUser() {
  if (!isRoot()) return;
  if (spawnSync('id', ['-u', DB_USER], { stdio: 'ignore' }).status === 0) return;
  log(`creating system user "${DB_USER}" (initdb and the server refuse to run as root)`);
  mustRun('useradd', 'useradd', ['--system', '--user-group', '--home-dir', '/var/lib/postgresql', '--shell', '/bin/sh', DB_USER]);
}

// ───────────────────────────── layout ─────────────────────────────

const MAX_SOCKET_PATH = 100; // sun_path is 108 bytes on Linux, 104 on macOS

/** Can the postgres user cd into dir? (Always true when we are not root: we run the server ourselves.) */
function pgCanTraverse(dir) {
  if (!isRoot()) return true;
  return run('/bin/sh', ['-c', `cd ${shq(dir)}`], { asPg: true }).status === 0;
}

let layoutCache = null;
/** Where the cluster, socket and log live. */
export function layout() {
  if (layoutCache && layoutCache.port === port()) return layoutCache;
  const p = port();
  const local = path.join(REPO_ROOT, '.data');
  const tmp = path.join(os.tmpdir(), `phaselab-pg-${crypto.createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12)}`);
  let base = local;
  let reason = null;
  const socketLen = (b) => path.join(b, 'run', `.s.PGSQL.${p}`).length;
  if (socketLen(local) > MAX_SOCKET_PATH) reason = `the socket path under ${local} would be too long`;
  // (No postgres user yet, before a fresh install: decided again once it exists, see startLocal.)
  else if (isRoot() && userExists() && !pgCanTraverse(REPO_ROOT)) reason = `the "${DB_USER}" user cannot traverse ${REPO_ROOT}`;
  if (reason) base = tmp;
  layoutCache = {
    port: p,
    base,
    reason,
    dataDir: path.join(base, 'pg'),
    socketDir: path.join(base, 'run'),
    logFile: path.join(base, 'pg.log'),
    lockDir: path.join(base, 'pg.lock'),
    url: `postgresql://${DB_USER}@127.0.0.1:${p}/${DB_NAME}`,
  };
  return layoutCache;
}

function userExists() {
  return spawnSync('id', ['-u', DB_USER], { stdio: 'ignore' }).status === 0;
}

/** Creates base (ours, 0755), socket dir and log file (the server's) with permissions that work. */
function prepareDirs(L) {
  fs.mkdirSync(L.base, { recursive: true });
  fs.chmodSync(L.base, 0o755);
  fs.mkdirSync(L.socketDir, { recursive: true });
  if (!fs.existsSync(L.logFile)) fs.writeFileSync(L.logFile, '');
  if (isRoot()) {
    const uid = Number(spawnSync('id', ['-u', DB_USER], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', DB_USER], { encoding: 'utf8' }).stdout.trim());
    fs.chownSync(L.socketDir, uid, gid);
    fs.chownSync(L.logFile, uid, gid);
    if (fs.existsSync(L.dataDir)) {
      const st = fs.statSync(L.dataDir);
      if (st.uid !== uid) spawnSync('chown', ['-R', `${uid}:${gid}`, L.dataDir]);
    }
  }
  fs.chmodSync(L.socketDir, 0o755);
}

// ───────────────────────────── lock (several processes may call ensurePostgres at once) ─────────────

function pidAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

async function withLock(L, fn) {
  const owner = path.join(L.lockDir, 'owner');
  const deadline = Date.now() + 15 * 60_000; // an apt-get install can take a while
  fs.mkdirSync(L.base, { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(L.lockDir);
      fs.writeFileSync(owner, String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let holder = NaN;
      try {
        holder = Number(fs.readFileSync(owner, 'utf8'));
      } catch {
        /* being written, or a holder that died between mkdir and write */
      }
      let age = 0;
      try {
        age = Date.now() - fs.statSync(L.lockDir).mtimeMs;
      } catch {
        continue;
      }
      if ((Number.isInteger(holder) && holder > 0 && !pidAlive(holder)) || (!Number.isInteger(holder) && age > 10_000)) {
        fs.rmSync(L.lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${L.lockDir} (held by pid ${holder})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(L.lockDir, { recursive: true, force: true });
  }
}

// ───────────────────────────── server state ─────────────────────────────

/** postmaster.pid: line 1 pid, 4 port, 5 socket dir. */
function readPidFile(L) {
  try {
    const lines = fs.readFileSync(path.join(L.dataDir, 'postmaster.pid'), 'utf8').split('\n');
    return { pid: Number(lines[0]), port: Number(lines[3]), socketDir: lines[4] };
  } catch {
    return null;
  }
}

function isPostgresProcess(pid) {
  if (!pidAlive(pid)) return false;
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /postgres|postmaster/.test(cmd);
  } catch {
    return true; // no /proc (macOS): trust kill(pid, 0)
  }
}

/** Removes postmaster.pid and socket lock files left behind by a server that is gone. */
function clearStale(L) {
  const info = readPidFile(L);
  if (info && !isPostgresProcess(info.pid)) {
    log(`removing stale postmaster.pid (pid ${info.pid} is not a running PostgreSQL)`);
    fs.rmSync(path.join(L.dataDir, 'postmaster.pid'), { force: true });
  }
  if (!readPidFile(L)) {
    for (const f of [`.s.PGSQL.${L.port}`, `.s.PGSQL.${L.port}.lock`]) fs.rmSync(path.join(L.socketDir, f), { force: true });
  }
}

function canConnect(host, p, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port: p });
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

function isReady(bin, L) {
  const r = run(path.join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(L.port), '-U', DB_USER, '-d', 'postgres']);
  return r.status === 0;
}

function psqlArgs(L, db) {
  return ['-X', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(L.port), '-U', DB_USER, '-d', db];
}

function logTail(L, n = 25) {
  try {
    return fs.readFileSync(L.logFile, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

function pgCtlStop(bin, L) {
  return run(path.join(bin, 'pg_ctl'), ['-D', L.dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'], { asPg: true, cwd: L.base });
}

async function startLocal() {
  const L = layout();

  let wantedMajor = null;
  try {
    wantedMajor = fs.readFileSync(path.join(L.dataDir, 'PG_VERSION'), 'utf8').trim();
  } catch {
    /* no cluster yet */
  }
  let bin = findBinDir(wantedMajor);
  if (!bin) {
    installPostgres();
    bin = findBinDir(wantedMajor);
    if (!bin) throw new Error('apt-get installed postgresql but no initdb/pg_ctl/postgres were found under /usr/lib/postgresql');
  }
  ensurePgUser();
  if (isRoot() && !L.reason && !pgCanTraverse(REPO_ROOT)) {
    // The postgres user appeared only now (fresh install): re-decide where the data lives.
    layoutCache = null;
    return startLocal();
  }

  return withLock(L, async () => {
    if (L.reason && !isReady(bin, L)) log(`data directory is ${L.base} (${L.reason})`);
    prepareDirs(L);

    // initdb (again, if a previous initdb was interrupted)
    if (!fs.existsSync(path.join(L.dataDir, 'PG_VERSION')) || !fs.existsSync(path.join(L.dataDir, 'postgresql.conf'))) {
      if (fs.existsSync(L.dataDir)) {
        log(`removing incomplete cluster directory ${L.dataDir}`);
        fs.rmSync(L.dataDir, { recursive: true, force: true });
      }
      log(`initdb ${L.dataDir} (${bin}, locale C, UTF8)`);
      fs.mkdirSync(L.dataDir, { mode: 0o700 });
      if (isRoot()) spawnSync('chown', [`${DB_USER}:`, L.dataDir]);
      mustRun('initdb', path.join(bin, 'initdb'), ['-D', L.dataDir, '-U', DB_USER, '-A', 'trust', '--locale=C', '--encoding=UTF8', '--no-sync'], {
        asPg: true,
        cwd: L.base,
      });
    } else if (wantedMajor && !bin.includes(`/${wantedMajor}/`)) {
      const v = run(path.join(bin, 'postgres'), ['--version']).stdout.match(/(\d+)/);
      if (v && v[1] !== wantedMajor) {
        throw new Error(
          `${L.dataDir} was created by PostgreSQL ${wantedMajor}, but only ${bin} (PostgreSQL ${v[1]}) is available. ` +
            `Delete ${L.dataDir} to recreate it (stop the old server first), or install PostgreSQL ${wantedMajor}.`,
        );
      }
    }

    clearStale(L);
    let info = readPidFile(L);
    if (info && info.port !== L.port) {
      if (await canConnect('127.0.0.1', L.port)) {
        throw new Error(`port ${L.port} on 127.0.0.1 is used by another program; set PHASELAB_PG_PORT to a free port (or DATABASE_URL to a server)`);
      }
      log(`server is running on port ${info.port}; restarting it on port ${L.port}`);
      pgCtlStop(bin, L);
      clearStale(L);
      info = readPidFile(L);
    }

    if (info && isReady(bin, L)) {
      // already running: reuse
    } else {
      if (info) {
        // A postmaster that is starting up, or shutting down: wait for it to settle.
        for (let i = 0; i < 100 && readPidFile(L) && !isReady(bin, L); i++) await new Promise((r) => setTimeout(r, 100));
        clearStale(L);
      }
      if (!readPidFile(L)) {
        if (await canConnect('127.0.0.1', L.port)) {
          throw new Error(
            `port ${L.port} on 127.0.0.1 is used by another program; set PHASELAB_PG_PORT to a free port (or DATABASE_URL to a server)`,
          );
        }
        log(`starting PostgreSQL on 127.0.0.1:${L.port} (log ${L.logFile})`);
        const opts = [`-p ${L.port}`, `-k ${shq(L.socketDir)}`, ...SERVER_OPTIONS].join(' ');
        const r = run(path.join(bin, 'pg_ctl'), ['-D', L.dataDir, '-l', L.logFile, '-w', '-t', '60', '-o', opts, 'start'], {
          asPg: true,
          cwd: L.base,
        });
        if (r.status !== 0) {
          throw new Error(`pg_ctl start failed (exit ${r.status}):\n${r.stdout}${r.stderr}\n--- ${L.logFile} (tail) ---\n${logTail(L)}`);
        }
      }
      for (let i = 0; !isReady(bin, L); i++) {
        if (i > 300) throw new Error(`PostgreSQL did not accept connections within 30s\n--- ${L.logFile} (tail) ---\n${logTail(L)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    // database
    const psql = path.join(bin, 'psql');
    const q = mustRun('psql', psql, [...psqlArgs(L, 'postgres'), '-tAc', `SELECT 1 FROM pg_database WHERE datname = '${DB_NAME}'`]);
    if (q.stdout.trim() !== '1') {
      log(`creating database ${DB_NAME}`);
      const c = run(psql, [...psqlArgs(L, 'postgres'), '-c', `CREATE DATABASE ${DB_NAME} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`]);
      if (c.status !== 0 && !/already exists/.test(c.stderr)) throw new Error(`CREATE DATABASE ${DB_NAME} failed:\n${c.stderr}`);
    }
    return L.url;
  });
}

// ───────────────────────────── public API ─────────────────────────────

let ensuring = null;
let startedHere = false;

/** Returns DATABASE_URL: the environment's when set, else the project-local server's (started if needed). */
export async function ensurePostgres() {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  // scripts/test.mjs sets this when it could not start a server, so that test workers fail fast.
  if (process.env.PHASELAB_PG_ERROR) throw new Error(process.env.PHASELAB_PG_ERROR);
  if (!ensuring) {
    ensuring = (async () => {
      const wasRunning = await isRunning();
      const url = await startLocal();
      if (!wasRunning) startedHere = true;
      return url;
    })();
    ensuring.catch(() => {
      ensuring = null;
    });
  }
  return ensuring;
}

/** True when ensurePostgres() in this process started the server (it was not running before). */
export function startedByThisProcess() {
  return startedHere;
}

/** Is the project-local server running and accepting connections? (false when DATABASE_URL is set) */
export async function isRunning() {
  if (process.env.DATABASE_URL) return false;
  const L = layout();
  const info = readPidFile(L);
  if (!info || !isPostgresProcess(info.pid)) return false;
  const bin = findBinDir(null);
  return bin ? isReady(bin, L) : canConnect('127.0.0.1', info.port);
}

/** Stops the project-local server (no-op when DATABASE_URL is set or nothing runs). */
export async function stopPostgres() {
  if (process.env.DATABASE_URL) {
    log('DATABASE_URL is set: not stopping an external server');
    return;
  }
  const L = layout();
  if (!fs.existsSync(path.join(L.dataDir, 'PG_VERSION'))) return;
  const info = readPidFile(L);
  if (!info || !isPostgresProcess(info.pid)) {
    clearStale(L);
    return;
  }
  let wantedMajor = null;
  try {
    wantedMajor = fs.readFileSync(path.join(L.dataDir, 'PG_VERSION'), 'utf8').trim();
  } catch {
    /* ignore */
  }
  const bin = findBinDir(wantedMajor);
  log(`stopping PostgreSQL (pid ${info.pid}, port ${info.port})`);
  const r = bin ? pgCtlStop(bin, L) : { status: -1, stdout: '', stderr: 'no pg_ctl' };
  if (r.status !== 0) {
    // Fall back to a fast-shutdown signal to the postmaster.
    try {
      process.kill(info.pid, 'SIGINT');
    } catch {
      /* gone */
    }
    for (let i = 0; i < 300 && isPostgresProcess(info.pid); i++) await new Promise((res) => setTimeout(res, 100));
    if (isPostgresProcess(info.pid)) throw new Error(`could not stop PostgreSQL (pid ${info.pid}): ${r.stderr}`);
  }
  ensuring = null;
}

// ───────────────────────────── CLI ─────────────────────────────

function redact(url) {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

function findPsql() {
  const bin = findBinDir(null);
  if (bin && fs.existsSync(path.join(bin, 'psql'))) return path.join(bin, 'psql');
  return 'psql';
}

async function main(argv) {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'start': {
      const url = await ensurePostgres();
      if (process.env.DATABASE_URL) log('DATABASE_URL is set: using it, nothing started');
      else log(`running: ${url}`);
      process.stdout.write(`${url}\n`);
      return 0;
    }
    case 'url': {
      process.stdout.write(`${await ensurePostgres()}\n`);
      return 0;
    }
    case 'stop':
      await stopPostgres();
      return 0;
    case 'status': {
      if (process.env.DATABASE_URL) {
        process.stdout.write(`external server (DATABASE_URL): ${redact(process.env.DATABASE_URL)}\n`);
        return 0;
      }
      const L = layout();
      const running = await isRunning();
      const info = readPidFile(L);
      const lines = [
        `data:    ${L.dataDir}${fs.existsSync(path.join(L.dataDir, 'PG_VERSION')) ? '' : ' (not initialised)'}`,
        ...(L.reason ? [`         (outside the repo: ${L.reason})`] : []),
        `log:     ${L.logFile}`,
        `status:  ${running ? `running (pid ${info.pid}, port ${info.port})` : 'stopped'}`,
        `url:     ${L.url}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      return running ? 0 : 3;
    }
    case 'psql': {
      const url = await ensurePostgres();
      const child = spawn(findPsql(), [url, ...rest], { stdio: 'inherit' });
      return new Promise((resolve) => child.on('exit', (code, sig) => resolve(code ?? (sig ? 1 : 0))));
    }
    default:
      process.stderr.write('usage: node scripts/pg.mjs start|stop|status|url|psql [psql args...]\n');
      return cmd ? 2 : 0;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      log(`error: ${err instanceof Error ? err.message : err}`);
      process.exit(1);
    },
  );
}
