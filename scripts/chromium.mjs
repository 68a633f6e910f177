#!/usr/bin/env node
/**
 * Chromium for the e2e suite: Debian's `chromium` package at /usr/bin/chromium (Playwright's own
 * browser download cannot work on these machines: no network beyond npm and Debian). When the binary
 * is missing and we are root on Debian/Ubuntu, installs it with apt-get, as scripts/pg.mjs does for
 * PostgreSQL. PHASELAB_CHROMIUM points at another binary.
 *
 *   node scripts/chromium.mjs          ensure it, print its path
 *   import { ensureChromium } from './chromium.mjs'
 *
 * Messages go to stderr, prefixed "[chromium]". Node built-ins only.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CHROMIUM = process.env.PHASELAB_CHROMIUM || '/usr/bin/chromium';

/** Flags for a headless Chromium on a closed network (see /work/shared/FACTS.md): without the
 * background-networking ones it floods the network with refused connections. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const log = (l) => process.stderr.write(`[chromium] ${l}\n`);

function run(what, cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 900_000 });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal})`);
}

export function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return CHROMIUM;
  const apt = ['/usr/bin/apt-get', '/bin/apt-get'].find((p) => fs.existsSync(p));
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!apt || !root || process.env.PHASELAB_CHROMIUM) {
    throw new Error(`Chromium was not found at ${CHROMIUM}. Install it (Debian/Ubuntu: \`sudo apt-get install -y chromium\`) or set PHASELAB_CHROMIUM to a Chromium binary.`);
  }
  log('not found; installing Debian package "chromium" with apt-get');
  run('apt-get update', apt, ['update']);
  run('apt-get install chromium', apt, ['install', '-y', '--no-install-recommends', 'chromium']);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
  log(`installed ${CHROMIUM}`);
  return CHROMIUM;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.stdout.write(`${ensureChromium()}\n`);
  } catch (err) {
    log(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
