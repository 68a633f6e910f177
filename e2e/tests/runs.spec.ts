import { expect, GROUP_SQL, runJob, test } from './fixtures';

const TOP_DAYS = 'SELECT order_date, sum(amount) AS revenue FROM l40s_sales_large GROUP BY order_date ORDER BY revenue DESC LIMIT 10';

test.describe('runs', () => {
  let runs: { a: any; b: any; noDataset: any; failed: any };

  test.beforeAll(async () => {
    const [a, b, noDataset, failed] = await Promise.all([
      runJob(GROUP_SQL),
      runJob(TOP_DAYS),
      runJob('SELECT 1 AS one', { dataset: undefined }),
      runJob('SELECT missing_column FROM l40s_sales_large'),
    ]);
    expect([a.status, b.status, noDataset.status, failed.status]).toEqual(['succeeded', 'succeeded', 'succeeded', 'failed']);
    runs = { a, b, noDataset, failed };
  });

  test('the list filters by dataset, status and backend, and keeps the filters in the URL', async ({ signedIn: page }) => {
    await page.goto('/runs');
    const rows = page.getByTestId('run-row');
    await expect(rows.filter({ hasText: 'SELECT 1 AS one' })).toHaveCount(1);
    await expect(rows.filter({ hasText: 'missing_column' })).toHaveCount(1);

    await page.getByLabel('Dataset').selectOption('sales');
    await expect(page).toHaveURL(/\?dataset=sales$/);
    await expect(rows.filter({ hasText: 'SELECT 1 AS one' })).toHaveCount(0);
    await expect(rows.filter({ hasText: 'SELECT order_date' }).first()).toBeVisible();
    for (const ds of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-dataset')))) expect(ds).toBe('sales');

    await page.getByLabel('Status').selectOption('failed');
    await expect(page).toHaveURL(/dataset=sales&status=failed$/);
    await expect(rows.filter({ hasText: 'missing_column' })).toHaveCount(1);
    for (const st of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))) expect(st).toBe('failed');

    // Reloading keeps the filters (they live in the URL).
    await page.reload();
    await expect(page.getByLabel('Status')).toHaveValue('failed');
    await expect(rows.filter({ hasText: 'missing_column' })).toHaveCount(1);

    await page.getByLabel('Status').selectOption('succeeded');
    await expect(rows.filter({ hasText: 'missing_column' })).toHaveCount(0);
    await expect(rows.filter({ hasText: 'SELECT order_date' }).first()).toBeVisible();

    await page.getByLabel('Backend').selectOption('pgstrom');
    await expect(page.getByText('No runs match these filters.')).toBeVisible();
    await page.getByLabel('Backend').selectOption('');
    await page.getByLabel('Dataset').selectOption('');
    await page.getByLabel('Status').selectOption('');
    await expect(page).toHaveURL(/\/runs$/);
  });

  test('two runs picked in the list are compared side by side with bar charts', async ({ signedIn: page }) => {
    await page.goto('/runs?status=succeeded&dataset=sales');
    const rowA = page.getByTestId('run-row').filter({ hasText: 'SELECT region, count(*)' }).first();
    const rowB = page.getByTestId('run-row').filter({ hasText: 'SELECT order_date, sum(amount)' }).first();
    await rowA.getByRole('checkbox').check();
    await expect(page.getByTestId('compare-selected')).toBeDisabled();
    await rowB.getByRole('checkbox').check();
    await page.getByTestId('compare-selected').click();
    await expect(page).toHaveURL(/\/compare\?ids=[0-9a-f-]{36},[0-9a-f-]{36}$/);

    const table = page.getByTestId('compare-table');
    await expect(table.locator('thead th')).toHaveCount(3); // label column + two runs
    await expect(table).toContainText('GROUP BY region');
    await expect(table).toContainText('GROUP BY order_date');
    await expect(table.locator('thead th').nth(1)).toContainText('baseline');
    await expect(table.locator('tr', { hasText: 'result rows' })).toContainText(/20\s*10/);
    // The second run's wall time carries its ratio to the baseline.
    await expect(table.locator('tr', { hasText: 'wall time' }).locator('.ratio')).toHaveText(/\d+(\.\d+)?×/);

    for (const id of ['chart-time', 'chart-memory', 'chart-stages']) {
      const bars = page.getByTestId(id).locator('.recharts-bar-rectangle');
      await expect(bars.first()).toBeVisible();
    }
    // Time chart: wall + CPU for each of the two runs; stage chart: one bar per run per stage.
    await expect(page.getByTestId('chart-time').locator('.recharts-bar-rectangle')).toHaveCount(4);
    expect(await page.getByTestId('chart-stages').locator('.recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(2 * 3);
    await expect(page.getByTestId('plan-tree')).toHaveCount(2);

    // The same comparison straight from the API's ids.
    await page.goto(`/compare?ids=${runs.b.runId},${runs.a.runId}`);
    await expect(page.getByTestId('compare-table').locator('thead th').nth(1)).toContainText(runs.b.runId.slice(0, 8));
  });
});
