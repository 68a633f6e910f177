/**
 * The main pages at laptop and phone width, saved under e2e/artifacts/screenshots/ for people to look
 * at; what is checked here is that nothing overflows sideways (the page body never scrolls
 * horizontally; wide tables scroll inside their own box).
 */
import path from 'node:path';
import { ARTIFACTS } from '../stack/stack';
import { expect, GROUP_SQL, runJob, stack, test } from './fixtures';

const WIDTHS = [
  { name: 'laptop', width: 1366, height: 860 },
  { name: 'phone', width: 390, height: 844 },
];

test.describe('screenshots', () => {
  let job: any;
  let other: any;
  let model: string | undefined;

  test.beforeAll(async () => {
    const models = await fetch(`${stack.apiUrl}/api/v1/cost-models`, { headers: { Authorization: `Bearer ${stack.apiKey}` } }).then((r) => r.json());
    model = (models as { id: string; builtIn: boolean }[]).find((m) => !m.builtIn)?.id;
    [job, other] = await Promise.all([runJob(GROUP_SQL), runJob('SELECT category, avg(amount) AS avg_amount FROM l40s_sales_large GROUP BY category ORDER BY 2 DESC LIMIT 12')]);
  });

  for (const size of WIDTHS) {
    test(`main pages at ${size.name} width (${size.width}px)`, async ({ signedIn: page }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      const pages = [
        { name: 'overview', url: '/', ready: page.getByTestId('chart-recent-runs').locator('.recharts-bar-rectangle').first() },
        { name: 'datasets', url: '/datasets', ready: page.getByTestId('dataset').first() },
        { name: 'new-job', url: '/jobs/new?dataset=sales', ready: page.locator('.cm-content') },
        { name: 'job', url: `/jobs/${job.id}`, ready: page.getByTestId('plan-tree') },
        { name: 'run', url: `/runs/${job.runId}`, ready: page.getByTestId('stage-timeline') },
        { name: 'runs', url: '/runs', ready: page.getByTestId('runs-table') },
        { name: 'compare', url: `/compare?ids=${job.runId},${other.runId}`, ready: page.getByTestId('chart-stages').locator('.recharts-bar-rectangle').first() },
        // The analysis pages show whatever analysis.spec.ts stored (it runs first); empty states otherwise.
        { name: 'phases', url: '/phases?workload=salary-groupby&backend=duckdb', ready: page.getByTestId('phase-table').or(page.locator('.empty')).first() },
        { name: 'models', url: model ? `/models?id=${model}` : '/models', ready: model ? page.getByTestId('chart-scaling') : page.getByRole('heading', { name: 'Fit a model' }) },
        { name: 'cost', url: '/cost', ready: page.getByTestId('instance-row').first() },
        { name: 'regressions', url: '/regressions', ready: page.getByTestId('schedules').getByRole('heading') },
        { name: 'gpu', url: '/gpu', ready: page.getByTestId('probe-reason') },
        { name: 'signin', url: '/signin', ready: page.getByLabel('API key') },
      ];
      for (const p of pages) {
        await page.goto(p.url);
        await expect(p.ready).toBeVisible();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${p.name} at ${size.width}px overflows sideways by ${overflow}px`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(ARTIFACTS, 'screenshots', `${p.name}-${size.name}.png`), fullPage: true });
      }
    });
  }
});
