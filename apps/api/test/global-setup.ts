import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureGenerated } from '../src/seed.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    salesDir: string;
  }
}

export const SALES_ROWS = 50_000;

export default async function setup(project: TestProject) {
  let url = process.env.DATABASE_URL;
  if (!url) {
    // @ts-expect-error plain JavaScript module without types
    const pg = (await import('../../../scripts/pg.mjs')) as { ensurePostgres(): Promise<string> };
    url = await pg.ensurePostgres();
  }
  const salesDir = path.join(os.tmpdir(), 'phaselab-api-test', `sales-${SALES_ROWS}`);
  await ensureGenerated('sales', SALES_ROWS, salesDir, () => {});
  project.provide('databaseUrl', url);
  project.provide('salesDir', salesDir);
}
