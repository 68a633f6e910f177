#!/usr/bin/env node
/**
 * `npm test`: installs dependencies when needed, ensures PostgreSQL (scripts/pg.mjs), runs every
 * suite, prints a per-suite summary and, as the very last line, `N passed, N failed`.
 *
 *   npm test                       all suites
 *   npm test -- engine             only the named suite(s)
 *   npm test -- engine -- test/slt extra arguments after a second `--` go to the suites' runner
 *
 * A suite whose runner leaves no JSON report (crash, no tests found, bad config) counts as 1 failed.
 * Exit status 1 when anything failed. Node built-ins only.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies as ensureDeps } from './deps.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const color = process.stdout.isTTY && !CI && !process.env.NO_COLOR;
const paint = (code, s) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);

/**
 * The suites, in order. Adding one is one line:
 *   { name: 'api', cwd: 'apps/api', runner: vitest },
 *   { name: 'e2e', cwd: 'e2e', runner: playwright },
 * `setup` (optional): a command run in cwd before the suite, e.g. ['npx', 'playwright', 'install', 'chromium'].
 */
const SUITES = [
  { name: 'engine', cwd: 'packages/engine', runner: vitest },
  { name: 'workloads', cwd: 'packages/workloads', runner: vitest },
  { name: 'bench', cwd: 'packages/bench', runner: vitest },
  { name: 'api', cwd: 'apps/api', runner: vitest },
  { name: 'gpu', cwd: 'packages/gpu', runner: vitest },
  { name: 'e2e', cwd: 'e2e', runner: playwright, setup: ['node', '../scripts/chromium.mjs'] },
];

// ───────────────────────────── runners ─────────────────────────────
// A runner returns { cmd, args, env, report } and parse(json, exitCode) → { passed, failed, skipped, notes }.

function vitest(reportFile, extra) {
  return {
    cmd: 'npx',
    args: ['--no', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${reportFile}`, ...extra],
    env: {},
    parse(json, exitCode) {
      const passed = json.numPassedTests ?? 0;
      let failed = json.numFailedTests ?? 0;
      const skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
      const notes = [];
      // Files that failed without a failing test (import error, syntax error, failing hook): 1 each.
      for (const file of json.testResults ?? []) {
        const failedAssertions = (file.assertionResults ?? []).filter((a) => a.status === 'failed').length;
        if (file.status === 'failed' && failedAssertions === 0) {
          failed += 1;
          notes.push(`${path.relative(ROOT, file.name)}: ${(file.message || 'failed to run').split('\n')[0]}`);
        }
      }
      if (exitCode !== 0 && failed === 0) {
        failed = 1;
        notes.push(json.numTotalTests === 0 ? 'no tests found' : `vitest exited with ${exitCode} (unhandled error?)`);
      }
      return { passed, failed, skipped, notes };
    },
  };
}

function playwright(reportFile, extra) {
  return {
    cmd: 'npx',
    args: ['--no', 'playwright', 'test', '--reporter=list,json', ...extra],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile, PLAYWRIGHT_FORCE_TTY: '0' },
    parse(json, exitCode) {
      const s = json.stats ?? {};
      const passed = (s.expected ?? 0) + (s.flaky ?? 0);
      let failed = s.unexpected ?? 0;
      const skipped = s.skipped ?? 0;
      const notes = [];
      if (s.flaky) notes.push(`${s.flaky} flaky`);
      for (const e of json.errors ?? []) notes.push(String(e.message ?? e).split('\n')[0]);
      if (exitCode !== 0 && failed === 0) {
        failed = 1;
        notes.push(`playwright exited with ${exitCode}`);
      }
      return { passed, failed, skipped, notes };
    },
  };
}

// ───────────────────────────── steps ─────────────────────────────

function say(line = '') {
  process.stdout.write(`${line}\n`);
}

function heading(text) {
  say();
  say(paint('1', `── ${text} ${'─'.repeat(Math.max(0, 60 - text.length))}`));
}

/** (a) npm ci when node_modules is missing or older than package-lock.json. */
function ensureDependencies() {
  return ensureDeps({ log: (l) => (l.startsWith('npm ci') || l.startsWith('npm install') ? heading(l) : say(paint('31', l))) });
}

function runSuite(suite, extra) {
  const reportFile = path.join(os.tmpdir(), `phaselab-test-${suite.name}-${process.pid}-${Date.now()}.json`);
  fs.rmSync(reportFile, { force: true });
  const cwd = path.join(ROOT, suite.cwd);
  const runner = suite.runner(reportFile, extra);
  const started = Date.now();
  heading(`${suite.name} (${suite.cwd})`);
  return new Promise((resolve) => {
    const finish = (exitCode, crash) => {
      const seconds = (Date.now() - started) / 1000;
      let result;
      let json = null;
      try {
        json = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
      } catch {
        /* missing or unreadable report */
      }
      fs.rmSync(reportFile, { force: true });
      if (crash) result = { passed: 0, failed: 1, skipped: 0, notes: [crash] };
      else if (!json) result = { passed: 0, failed: 1, skipped: 0, notes: [`no JSON report (runner exited with ${exitCode})`] };
      else result = runner.parse(json, exitCode);
      resolve({ name: suite.name, seconds, ...result });
    };
    if (!fs.existsSync(path.join(cwd, 'package.json'))) {
      finish(null, `${suite.cwd}/package.json does not exist`);
      return;
    }
    if (suite.setup) {
      const s = spawnSync(suite.setup[0], suite.setup.slice(1), { cwd, stdio: 'inherit' });
      if (s.status !== 0) {
        finish(null, `setup \`${suite.setup.join(' ')}\` exited with ${s.status ?? s.signal}`);
        return;
      }
    }
    const child = spawn(runner.cmd, runner.args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...runner.env } });
    child.on('error', (err) => finish(null, `could not start ${runner.cmd}: ${err.message}`));
    child.on('exit', (code, signal) => finish(code ?? (signal ? `signal ${signal}` : 1), null));
  });
}

// ───────────────────────────── main ─────────────────────────────

async function main() {
  const argv = process.argv.slice(2);
  const dd = argv.indexOf('--');
  const names = dd === -1 ? argv : argv.slice(0, dd);
  const extra = dd === -1 ? [] : argv.slice(dd + 1);
  const unknown = names.filter((n) => !SUITES.some((s) => s.name === n));
  if (unknown.length > 0) {
    say(`unknown suite(s): ${unknown.join(', ')}; suites: ${SUITES.map((s) => s.name).join(', ')}`);
    say('0 passed, 1 failed');
    return 1;
  }
  const selected = names.length > 0 ? SUITES.filter((s) => names.includes(s.name)) : SUITES;
  const results = [];

  if (!ensureDependencies()) {
    say();
    say('0 passed, 1 failed');
    return 1;
  }

  // (b) PostgreSQL: the suites' oracle and store. Children inherit DATABASE_URL.
  const pg = await import('./pg.mjs');
  let startedPg = false;
  try {
    const url = await pg.ensurePostgres();
    startedPg = pg.startedByThisProcess();
    process.env.DATABASE_URL = url;
    say(`PostgreSQL: ${url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')}`);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    say(paint('31', `PostgreSQL could not be started:\n${msg}`));
    // Suites still run (tests without PostgreSQL can pass); workers fail fast instead of retrying.
    process.env.PHASELAB_PG_ERROR = `PostgreSQL could not be started by scripts/test.mjs: ${msg.split('\n')[0]}`;
    results.push({ name: 'postgres', seconds: 0, passed: 0, failed: 1, skipped: 0, notes: [msg.split('\n')[0]] });
  }

  // (c) suites
  try {
    for (const suite of selected) results.push(await runSuite(suite, extra));
  } finally {
    // On CI leave nothing running that we started; locally keep the server for the next run.
    if (startedPg && CI) {
      try {
        delete process.env.DATABASE_URL; // ours, not an external server's
        await pg.stopPostgres();
      } catch (err) {
        say(`could not stop PostgreSQL: ${err instanceof Error ? err.message : err}`);
      }
    }
  }

  // (d) summary; the very last line is the totals.
  heading('summary');
  const width = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    const status = r.failed > 0 ? paint('31', 'FAIL') : paint('32', 'ok  ');
    const counts = `${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`;
    say(`${status} ${r.name.padEnd(width)}  ${counts}  (${r.seconds.toFixed(1)}s)`);
    for (const n of r.notes.slice(0, 10)) say(`       ${n}`);
    if (r.notes.length > 10) say(`       … ${r.notes.length - 10} more`);
  }
  const passed = results.reduce((a, r) => a + r.passed, 0);
  const failed = results.reduce((a, r) => a + r.failed, 0);
  say(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    say(`test runner error: ${err instanceof Error ? err.stack : err}`);
    say('0 passed, 1 failed');
    process.exitCode = 1;
  },
);
