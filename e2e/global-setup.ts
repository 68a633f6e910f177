/**
 * Once per `playwright test`: Chromium present (apt-get when missing), then a full stack on a fresh
 * database. Tests find it through E2E_* variables; the returned function tears it down.
 */
import type { FullConfig } from '@playwright/test';
import { startStack } from './stack/stack';

export default async function globalSetup(_config: FullConfig) {
  // @ts-expect-error plain JavaScript module without types
  const { ensureChromium } = (await import('../scripts/chromium.mjs')) as { ensureChromium(): string };
  ensureChromium();
  const stack = await startStack();
  process.env.E2E_WEB_URL = stack.webUrl;
  process.env.E2E_API_URL = stack.apiUrl;
  process.env.E2E_API_KEY = stack.apiKey;
  return async () => {
    await stack.stop();
  };
}
