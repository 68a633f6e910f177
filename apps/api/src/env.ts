/** Settings from the environment, read once. Every process (API, worker, seed) uses this module. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file holding prisma/schema.prisma. Works from
 * the sources and from the esbuild bundles in .cache/bin. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'prisma', 'schema.prisma')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`${name}=${raw} is not a number`);
  return n;
}

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (try: export DATABASE_URL=$(node scripts/pg.mjs url))');
  return url;
}

export const config = {
  get port() {
    return int('PORT', 3001);
  },
  /** Where generated datasets live: <dataDir>/<workspace slug>/<dataset name>/. */
  get dataDir() {
    return process.env.PHASELAB_DATA_DIR ?? path.join(repoRoot(), '.data', 'datasets');
  },
  /** Jobs one worker process runs at once. */
  get workerConcurrency() {
    return int('WORKER_CONCURRENCY', 1);
  },
  /** Default per-job limits (a job's own timeoutMs / memoryLimitBytes win). */
  get jobTimeoutMs() {
    return int('JOB_TIMEOUT_MS', 300_000);
  },
  /** Job runners kept loaded and waiting per worker (default: one per job slot; 0: fork per job). */
  get warmRunners() {
    return int('WORKER_WARM_RUNNERS', this.workerConcurrency);
  },
  /** Queue polling period; NOTIFY wakes idle workers sooner unless WORKER_QUEUE_WAKE=0. */
  get queuePollSeconds() {
    return int('WORKER_POLL_SECONDS', 2);
  },
  get queueWake() {
    return process.env.WORKER_QUEUE_WAKE !== '0';
  },
  /** Wall-clock limit of one dataset generation. */
  get datasetTimeoutMs() {
    return int('DATASET_TIMEOUT_MS', 3_600_000);
  },
  get jobMemoryLimitBytes() {
    return int('JOB_MEMORY_LIMIT_MB', 2048) * 1024 * 1024;
  },
  /** Worker liveness: heartbeat period, and the silence after which its running jobs are reclaimed. */
  get heartbeatMs() {
    return int('WORKER_HEARTBEAT_MS', 2000);
  },
  get staleAfterMs() {
    return int('WORKER_STALE_MS', 15_000);
  },
};
