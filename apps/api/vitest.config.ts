import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // PostgreSQL (DATABASE_URL or scripts/pg.mjs) and a small sales dataset, once for all files.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file makes its own database and runs its own worker processes: they can run side by side.
    pool: 'forks',
  },
});
