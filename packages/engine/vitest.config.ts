import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Finds the PostgreSQL oracle for test/differential (DATABASE_URL or scripts/pg.mjs).
    globalSetup: ['test/differential/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
  },
});
