/**
 * Benchmark data: generated with @phaselab/workloads into a cache directory keyed by dataset,
 * rows, seed and generator version, and reused when its manifest says it is complete.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATOR_VERSION, createProgressBar, generateDataset, type Manifest } from '@phaselab/workloads';
import type { DatasetFiles } from './engines/types.js';

/** The repository root: the first directory up from this module (or its bundle in .cache/bin) with scripts/run.mjs. */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'scripts', 'run.mjs'))) {
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

export const DEFAULT_CACHE_DIR = process.env.PHASELAB_BENCH_CACHE ?? path.join(repoRoot(), '.cache', 'bench');

export function cacheKey(dataset: string, rows: number, seed: number): string {
  return `${dataset}-${rows}-s${seed}-g${GENERATOR_VERSION}`;
}

function filesOf(dir: string, m: Manifest): DatasetFiles {
  return { dir, tables: Object.fromEntries(m.tables.map((t) => [t.name, path.join(dir, t.file)])) };
}

function completeManifest(dir: string, rows: number, seed: number): Manifest | null {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const ok = m.rows === rows && m.seed === seed && m.generatorVersion === GENERATOR_VERSION && m.format === 'parquet' && m.tables.every((t) => fs.existsSync(path.join(dir, t.file)));
    return ok ? m : null;
  } catch {
    return null;
  }
}

/** The dataset's Parquet files, generated on first use (with a progress bar on a terminal). */
export async function ensureDataset(dataset: string, rows: number, seed: number, cacheDir = DEFAULT_CACHE_DIR, progress = true): Promise<{ files: DatasetFiles; generatedMs: number | null }> {
  const dir = path.join(cacheDir, cacheKey(dataset, rows, seed));
  const cached = completeManifest(dir, rows, seed);
  if (cached) return { files: filesOf(dir, cached), generatedMs: null };
  fs.rmSync(dir, { recursive: true, force: true });
  const bar = createProgressBar(progress ? undefined : false);
  try {
    const m = await generateDataset({ dataset, rows, seed, outDir: dir, format: 'parquet', onProgress: bar.onProgress });
    return { files: filesOf(dir, m), generatedMs: m.elapsedMs };
  } finally {
    bar.stop();
  }
}
