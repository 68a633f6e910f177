import { expect, stack, test } from './fixtures';

test('a page without a key sends the browser to sign-in, which rejects an unknown key and accepts the right one', async ({ page, context }) => {
  await page.goto('/runs?status=failed');
  await expect(page).toHaveURL(/\/signin\?next=%2Fruns%3Fstatus%3Dfailed$/);

  await page.getByLabel('API key').fill('plk_thisKeyDoesNotExistInTheDatabase0');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('p.error')).toContainText('does not know this key');

  await page.getByLabel('API key').fill(stack.apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Back where the user wanted to go, with the filter kept.
  await expect(page).toHaveURL(/\/runs\?status=failed$/);
  await expect(page.getByRole('heading', { name: 'Runs' })).toBeVisible();

  const cookie = (await context.cookies()).find((c) => c.name === 'phaselab_key');
  expect(cookie?.value).toBe(stack.apiKey);
  expect(cookie?.httpOnly).toBe(true);
  expect(await page.evaluate(() => document.cookie)).not.toContain('plk_');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  expect((await context.cookies()).find((c) => c.name === 'phaselab_key')).toBeUndefined();
});

test('the one-click link signs in and takes the key out of the address bar', async ({ page }) => {
  await page.goto(`/datasets?key=${stack.apiKey}`);
  await expect(page).toHaveURL(/\/datasets$/);
  await expect(page.locator('[data-testid=dataset][data-name=sales]')).toBeVisible();
});

test('a stale key in the cookie leads back to sign-in', async ({ page, context, baseURL }) => {
  await context.addCookies([{ name: 'phaselab_key', value: 'plk_revokedOrFromAnotherDatabase0000', url: baseURL! }]);
  await page.goto('/runs');
  await expect(page).toHaveURL(/\/signin\?expired=1/);
  await expect(page.locator('p.error')).toContainText('rejected the stored key');
});
