import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

// Flags from /work/shared/FACTS.md (also in scripts/chromium.mjs): without the background-networking
// ones, Chromium floods the closed network with refused connections.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export default defineConfig({
  testDir: 'tests',
  outputDir: path.join('artifacts', 'test-results'),
  globalSetup: './global-setup.ts',
  // One browser at a time: the machine has 2 cores shared with the API, the worker and Next.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list']],
  use: {
    ...devices['Desktop Chrome'],
    headless: true,
    viewport: { width: 1366, height: 860 },
    launchOptions: { executablePath: process.env.PHASELAB_CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
  },
});
