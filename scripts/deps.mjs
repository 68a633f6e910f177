/**
 * Installs the npm dependencies when they are missing or older than package-lock.json (`npm ci`),
 * so that `npm start` and `npm test` work on a fresh clone. Node built-ins only: it runs before
 * anything is installed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Why an install is needed, or null when node_modules matches the lock file. */
export function dependenciesStale(root = ROOT) {
  const lock = path.join(root, 'package-lock.json');
  const modules = path.join(root, 'node_modules');
  const stamp = path.join(modules, '.package-lock.json'); // written by npm after every install
  if (!fs.existsSync(modules)) return 'node_modules is missing';
  if (fs.existsSync(lock)) {
    const installed = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : fs.statSync(modules).mtimeMs;
    if (fs.statSync(lock).mtimeMs > installed) return 'package-lock.json is newer than node_modules';
  }
  return null;
}

/** Runs `npm ci` (or `npm install` without a lock file) when needed; false when it failed. */
export function ensureDependencies({ log = (l) => console.log(l), root = ROOT } = {}) {
  const why = dependenciesStale(root);
  if (!why) return true;
  const args = fs.existsSync(path.join(root, 'package-lock.json')) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  log(`npm ${args[0]} (${why})`);
  const r = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    log(`npm ${args[0]} failed (exit ${r.status ?? r.signal})`);
    return false;
  }
  return true;
}
