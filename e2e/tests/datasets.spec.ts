import { expect, test } from './fixtures';

test('the datasets page lists tables with their columns and row counts', async ({ signedIn: page }) => {
  await page.getByRole('link', { name: 'Datasets' }).click();
  const sales = page.locator('[data-testid=dataset][data-name=sales]');
  await expect(sales.getByRole('heading', { name: 'sales' })).toBeVisible();
  await expect(sales).toContainText('30,000 rows');
  await expect(sales.locator('summary')).toContainText(['l40s_sales_large']);
  for (const column of ['region', 'amount', 'order_date']) await expect(sales.locator('.columns')).toContainText(column);

  await sales.getByRole('link', { name: 'Query sales' }).click();
  await expect(page).toHaveURL(/\/jobs\/new\?dataset=sales$/);
  await expect(page.getByLabel('Dataset')).toHaveValue('sales');
});

test('a dataset generated from the form streams its progress and becomes queryable', async ({ signedIn: page }) => {
  // Named after `sales` in the alphabet, so `sales` stays the first dataset other specs see.
  const name = 'tiny-sales';
  await page.goto('/datasets');
  const form = page.locator('form.generate');
  await form.getByLabel('Generator').selectOption('sales');
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Rows (fact table)').fill('200000');
  const stream = page.waitForResponse((r) => r.url().includes('/trpc/dataset.progress'));
  await form.getByRole('button', { name: 'Generate' }).click();

  const card = page.locator(`[data-testid=dataset][data-name="${name}"]`);
  await expect(card).toBeVisible();
  expect((await stream).headers()['content-type']).toContain('text/event-stream');
  await expect(card.getByTestId('dataset-status')).toHaveText('ready', { timeout: 90_000 });
  await expect(card.getByTestId('generation-progress')).toHaveCount(0);
  await expect(card).toContainText('200,000 rows');
  await expect(card.locator('summary').filter({ hasText: 'l40s_sales_large' })).toContainText('200,000 rows');

  // The same name again is refused with the API's reason.
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Generate' }).click();
  await expect(form.locator('p.error')).toContainText('already exists');

  // And the new dataset can be queried.
  await card.getByRole('link', { name: `Query ${name}` }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/new\\?dataset=${name}$`));
  await expect(page.getByRole('combobox', { name: 'Dataset', exact: true })).toHaveValue(name);
});
