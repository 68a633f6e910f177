/**
 * What every spec shares: the stack that global-setup started (E2E_* variables), a signed-in page,
 * and a small REST client for arranging data faster than through the browser.
 */
import { test as base, expect, type Page } from '@playwright/test';

export const stack = {
  get webUrl() {
    return required('E2E_WEB_URL');
  },
  get apiUrl() {
    return required('E2E_API_URL');
  },
  get apiKey() {
    return required('E2E_API_KEY');
  },
};

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: global-setup.ts did not start the stack`);
  return v;
}

export const test = base.extend<{ signedIn: Page }>({
  baseURL: async ({}, use) => use(stack.webUrl),
  /** A page whose browser already holds the API key cookie (via the one-click `/?key=` link). */
  signedIn: async ({ page }, use) => {
    await page.goto(`/?key=${stack.apiKey}`);
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await use(page);
  },
});
export { expect };

export const TERMINAL = ['succeeded', 'failed', 'cancelled'];

/** ~5 s under load: a self-join on the 20-value region key (45M pairs), long enough to watch. */
export const SLOW_SQL = 'SELECT count(*) AS pairs FROM l40s_sales_large a JOIN l40s_sales_large b ON a.region = b.region';
export const GROUP_SQL = 'SELECT region, count(*) AS orders, sum(amount) AS revenue FROM l40s_sales_large GROUP BY region ORDER BY revenue DESC';

async function rest(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${stack.apiUrl}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${stack.apiKey}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Submits through the REST API and waits for the job to end; returns the finished job. */
export async function runJob(sql: string, opts: { dataset?: string } = { dataset: 'sales' }): Promise<any> {
  const { id } = await rest('POST', '/jobs', { sql, ...(opts.dataset ? { dataset: opts.dataset } : {}) });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = await rest('GET', `/jobs/${id}`);
    if (TERMINAL.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status} after 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The new-job page on the `sales` dataset, with this SQL in the editor. */
export async function newJob(page: Page, sql: string): Promise<void> {
  await page.goto('/jobs/new?dataset=sales');
  await expect(page.getByLabel('Dataset')).toHaveValue('sales');
  await setSql(page, sql);
}

/** Types into the CodeMirror editor as a user would replace its text. */
export async function setSql(page: Page, sql: string): Promise<void> {
  const editor = page.locator('.cm-content');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await editor.fill(sql);
}
