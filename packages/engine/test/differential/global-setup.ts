/**
 * vitest globalSetup: find the PostgreSQL oracle once per run and hand its URL to the tests
 * (inject('databaseUrl')). DATABASE_URL wins; otherwise scripts/pg.mjs (found by walking up to
 * the monorepo root) starts/reuses a local PostgreSQL 15. A failure is not fatal here — unit tests
 * that need no database keep running — it is reported by every test that needs the oracle.
 */
import type { TestProject } from 'vitest/node';
import { resolveDatabaseUrl } from './oracle.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseUrlError: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  try {
    const url = await resolveDatabaseUrl();
    project.provide('databaseUrl', url);
    project.provide('databaseUrlError', '');
  } catch (e) {
    project.provide('databaseUrl', '');
    project.provide('databaseUrlError', e instanceof Error ? e.message : String(e));
  }
}
