import { expect, GROUP_SQL, newJob, setSql, SLOW_SQL, test } from './fixtures';

test('a job submitted in the editor shows its result rows, plan tree and stages', async ({ signedIn: page }) => {
  await page.getByRole('link', { name: 'New job' }).first().click();
  await page.getByLabel('Dataset').selectOption('sales');

  // Completion knows the dataset's columns, not only SQL keywords.
  await page.locator('.cm-content').click();
  await page.keyboard.type('SELECT regi');
  await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('region');
  await page.keyboard.press('Escape');

  await setSql(page, GROUP_SQL);
  await page.getByLabel('Backend').selectOption('engine');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('status')).toHaveText('succeeded', { timeout: 45_000 });

  // 20 regions, each with 1/20 of the 30,000 rows.
  const table = page.getByTestId('result-table');
  await expect(table.locator('tbody tr')).toHaveCount(20);
  await expect(table.locator('thead th')).toHaveText([/^region/, /^orders/, /^revenue/]);
  await expect(table.locator('tbody tr').first().locator('td').nth(1)).toHaveText('1500');
  await expect(page.getByTestId('metrics')).toContainText('20');

  // The plan: a tree (children nested under parents), the root emits the 20 result rows, a leaf scans all 30,000.
  const plan = page.getByTestId('plan-tree');
  const nodes = plan.getByTestId('plan-node');
  expect(await nodes.count()).toBeGreaterThanOrEqual(3);
  await expect(plan.locator('.plan-children').first()).toBeVisible();
  await expect(nodes.first().getByTestId('plan-rows')).toHaveText('20');
  await expect(plan.getByTestId('plan-rows').filter({ hasText: '30,000' }).first()).toBeVisible();
  await expect(plan.getByTestId('plan-time').first()).toHaveText(/\d+(\.\d+)? (ms|s)/);

  await expect(page.getByTestId('stage-timeline').getByTestId('stage')).toContainText(['register', 'plan', 'execute', 'output']);

  // The run page shows the same run.
  await page.getByRole('link', { name: 'Run page' }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('run-sql')).toHaveText(GROUP_SQL);
  await expect(page.getByTestId('result-table').locator('tbody tr')).toHaveCount(20);
});

test('a running job streams its progress over SSE to completion', async ({ signedIn: page }) => {
  await newJob(page, SLOW_SQL);
  const stream = page.waitForResponse((r) => r.url().includes('/trpc/job.progress'));
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);

  const sse = await stream;
  expect(sse.headers()['content-type']).toContain('text/event-stream');

  // Seen live, without reloading: the execute stage while running, then the end.
  await expect(page.getByTestId('status')).toHaveText('running', { timeout: 20_000 });
  await expect(page.getByTestId('progress-stage')).toHaveText('execute', { timeout: 20_000 });
  await expect(page.getByTestId('status')).toHaveText('succeeded', { timeout: 60_000 });
  await expect(page.getByTestId('progress-stage')).toHaveText('done');
  await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  // 30,000 rows over 20 regions: 20 × 1,500².
  await expect(page.getByTestId('result-table').locator('tbody td')).toHaveText(String(20 * 1500 * 1500));
});

test('a failing query shows its error on the job page and among recent failures', async ({ signedIn: page }) => {
  await newJob(page, 'SELECT no_such_column FROM l40s_sales_large');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('status')).toHaveText('failed', { timeout: 45_000 });
  await expect(page.getByTestId('job-error')).toContainText('no_such_column');
  const jobUrl = page.url();

  await page.getByRole('link', { name: 'Overview' }).click();
  const failures = page.getByTestId('failed-jobs');
  await expect(failures).toContainText('no_such_column');
  await failures.getByRole('link').first().click();
  await expect(page).toHaveURL(jobUrl);
});

test('cancelling a running job from its page stops it', async ({ signedIn: page }) => {
  await newJob(page, SLOW_SQL);
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('status')).toHaveText('running', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('status')).toHaveText('cancelled', { timeout: 20_000 });
  await expect(page.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  await expect(page.getByTestId('result-table')).toHaveCount(0);
});
