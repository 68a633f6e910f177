import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // PostgreSQL (DATABASE_URL or scripts/pg.mjs) and a small generated dataset, once for all files.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
