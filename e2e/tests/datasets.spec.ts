import { expect, test } from './fixtures';

test('the datasets page lists tables with their columns and row counts', async ({ signedIn: page }) => {
  await page.getByRole('link', { name: 'Datasets' }).click();
  const sales = page.getByTestId('dataset').filter({ hasText: 'sales' });
  await expect(sales.getByRole('heading', { name: 'sales' })).toBeVisible();
  await expect(sales).toContainText('30,000 rows');
  await expect(sales.locator('summary')).toContainText(['l40s_sales_large']);
  for (const column of ['region', 'amount', 'order_date']) await expect(sales.locator('.columns')).toContainText(column);

  await sales.getByRole('link', { name: 'Query sales' }).click();
  await expect(page).toHaveURL(/\/jobs\/new\?dataset=sales$/);
  await expect(page.getByLabel('Dataset')).toHaveValue('sales');
});
