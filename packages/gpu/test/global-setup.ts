/**
 * Once per test run: the PostgreSQL server (DATABASE_URL, or the project-local one scripts/pg.mjs
 * starts) and two small generated datasets (sales = seed 003's table, finance = strings, NULLs,
 * timestamps) written by packages/workloads.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { generateDataset } from '@phaselab/workloads';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    salesDir: string;
    financeDir: string;
  }
}

export const SALES_ROWS = 3000;
export const FINANCE_ROWS = 2000;

async function ensure(dataset: string, rows: number, format: 'parquet' | 'csv'): Promise<string> {
  const dir = path.join(os.tmpdir(), 'phaselab-gpu-test', `${dataset}-${rows}-${format}`);
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    const tmp = `${dir}.${process.pid}.tmp`;
    fs.rmSync(tmp, { recursive: true, force: true });
    await generateDataset({ dataset, rows, outDir: tmp, format });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  }
  return dir;
}

export default async function setup(project: TestProject) {
  let url = process.env.DATABASE_URL;
  if (!url) {
    // @ts-expect-error plain JavaScript module without types
    const pg = (await import('../../../scripts/pg.mjs')) as { ensurePostgres(): Promise<string> };
    url = await pg.ensurePostgres();
  }
  project.provide('databaseUrl', url);
  project.provide('salesDir', await ensure('sales', SALES_ROWS, 'parquet'));
  project.provide('financeDir', await ensure('finance', FINANCE_ROWS, 'csv'));
}
