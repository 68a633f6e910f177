/**
 * The analysis pages on data arranged through the API: runs recorded at several scales
 * (POST /api/v1/runs), batches analyzed by the regression rule (POST /api/v1/batches), a schedule.
 * Every number checked here is computed by the API from those runs; each test uses its own
 * workload × backend series so they do not see each other's data.
 */
import { expect, stack, test } from './fixtures';

const machine = { hostname: 'e2e-host', platform: 'linux', arch: 'x64', cpus: 2 };

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

/** Records one measured run of a workload phase; returns its id. */
async function recordRun(r: { workload: string; phase: number; engine: string; rows: number; wallMs: number }): Promise<string> {
  const run = await rest('POST', '/runs', {
    engine: r.engine,
    engineVersion: 'e2e',
    sql: `SELECT ${r.phase} -- ${r.workload}`,
    workload: r.workload,
    phase: r.phase,
    rowsScale: r.rows,
    wallMs: r.wallMs,
    cpuMs: r.wallMs,
    peakMemoryBytes: 1_000_000 + r.rows * 8,
    resultRows: 1,
    machine,
  });
  return run.id;
}

test.describe('analysis pages', () => {
  test('phase table: medians per phase, speedups against the baseline phase, the evolution chart', async ({ signedIn: page }) => {
    // Seed 000's shape: each phase cheaper than the one before.
    const medians = [900, 450, 300];
    await Promise.all(medians.flatMap((m, i) => [0.99, 1, 1.01].map((w) => recordRun({ workload: 'salary-groupby', phase: i + 1, engine: 'duckdb', rows: 1_000_000, wallMs: m * w }))));
    await page.goto('/phases?workload=salary-groupby&backend=duckdb');
    const rows = page.getByTestId('phase-row');
    await expect(rows).toHaveCount(3);
    await expect(page.getByTestId('phase-scale')).toContainText('1,000,000 rows');
    await expect(rows.nth(0)).toContainText('10 groups');
    await expect(rows.nth(0)).toContainText('900 ms');
    await expect(rows.nth(1).getByTestId('speedup-baseline')).toHaveText('2.00×');
    await expect(rows.nth(2).getByTestId('speedup-baseline')).toHaveText('3.00×');
    await expect(page.getByTestId('chart-phase-evolution').locator('.recharts-bar-rectangle')).toHaveCount(3);
  });

  test('cost model: fit over four scales shows R² and the scales, predicts at 100M, sets a later run beside it', async ({ signedIn: page }) => {
    // Seed 001's model: 100 s + 0.08 ms × rows, three runs per scale with ±1 % noise.
    const model = (rows: number) => 100_000 + 0.08 * rows;
    await Promise.all([10_000, 100_000, 1_000_000, 10_000_000].flatMap((rows) => [0.99, 1, 1.01].map((w) => recordRun({ workload: 'finance-medallion', phase: 1, engine: 'polars', rows, wallMs: model(rows) * w }))));
    await page.goto('/models');
    // By name: a label such as "Workload" is also a substring of the phase select's "whole workload".
    const fitForm = page.getByRole('form', { name: 'Fit a model' });
    await fitForm.locator('select[name=workload]').selectOption('finance-medallion');
    await fitForm.locator('select[name=backend]').selectOption('polars');
    await fitForm.locator('select[name=phase]').selectOption('1');
    // Every run a point: the ±1 % spread gives the prediction band its width.
    await fitForm.locator('select[name=summary]').selectOption('runs');
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await expect(page.getByTestId('model-r2')).toHaveText(/^(0\.99\d\d|1\.0000)$/);
    await expect(page.getByTestId('model-scales')).toHaveText('10k, 100k, 1M, 10M');
    await expect(page.getByTestId('chart-scaling').locator('.recharts-scatter-symbol').first()).toBeVisible();
    await expect(page).toHaveURL(/\/models\?id=/);

    await page.getByRole('form', { name: 'Predict' }).locator('input[name=rows]').fill('100000000');
    await page.getByRole('button', { name: 'Predict' }).click();
    const prediction = page.locator('[data-testid="prediction-row"][data-rows="100000000"]');
    await expect(prediction).toContainText('no run yet');
    await expect(page.getByTestId('chart-scaling').locator('.recharts-area-area')).toBeVisible();
    const predicted = Number(await prediction.getByTestId('predicted').getAttribute('data-value'));
    expect(Math.abs(predicted - model(1e8)) / model(1e8)).toBeLessThan(1e-6);

    // The actual run at 100M arrives later and is set beside the prediction.
    await recordRun({ workload: 'finance-medallion', phase: 1, engine: 'polars', rows: 100_000_000, wallMs: model(1e8) * 1.02 });
    await page.reload();
    await expect(prediction).toContainText('2.0 %');
    await expect(page.getByTestId('model-list')).toContainText('fit:finance-medallion#1:polars:wall_ms');
  });

  test("cloud cost: seed 002's table from entered figures, and a price edited with its source", async ({ signedIn: page }) => {
    await page.goto('/cost');
    await expect(page.getByTestId('instance-row').first()).toBeVisible();
    const form = page.getByRole('form', { name: 'Scenario' });
    await form.getByLabel('Billing').selectOption('hour');
    await form.getByLabel('Runs per day').fill('1');
    const field = (name: string) => form.getByLabel(name, { exact: true });
    await field('option 1 label').fill('EMR cluster');
    await field('option 1 start-up seconds').fill('360');
    await field('option 1 job seconds').fill('245');
    await field('option 1 node 1 instance').selectOption('m5.xlarge@ap-northeast-2');
    await field('option 1 node 1 role').fill('master');
    await field('option 1 node 1 EMR').check();
    await form.getByRole('button', { name: 'Add node' }).first().click();
    await field('option 1 node 2 instance').selectOption('r5.xlarge@ap-northeast-2');
    await field('option 1 node 2 role').fill('core');
    await field('option 1 node 2 EMR').check();
    await field('option 2 label').fill('Polars on one node');
    await field('option 2 job seconds').fill('36');
    await field('option 2 node 1 instance').selectOption('m6g.xlarge@ap-northeast-2');
    await form.getByRole('button', { name: 'Compare' }).click();
    const result = page.getByTestId('scenario-result');
    await expect(result.locator('[data-label="EMR cluster"]').getByTestId('scenario-monthly')).toHaveText('$19.81');
    await expect(result.locator('[data-label="Polars on one node"]').getByTestId('scenario-monthly')).toHaveText('$5.72');
    await expect(result.locator('[data-label="Polars on one node"]')).toContainText('−71.13 %');
    await expect(page.getByTestId('chart-cost').locator('.recharts-bar-rectangle')).toHaveCount(2);

    // The catalog is data: add a type with its source, then change its price with a new source.
    const catalog = page.getByTestId('instance-catalog');
    await catalog.getByRole('button', { name: 'Add an instance type' }).click();
    const add = catalog.getByRole('form', { name: 'Add an instance type' });
    await add.getByLabel('Name').fill('e2e.large');
    await add.getByLabel('vCPU').fill('2');
    await add.getByLabel('Memory GiB').fill('8');
    await add.getByLabel('$ / hour').fill('0.1');
    await add.getByLabel('Source of the price').fill('invoice 42');
    await add.getByRole('button', { name: 'Save' }).click();
    const row = catalog.locator('[data-testid="instance-row"][data-name="e2e.large"]');
    await expect(row.getByTestId('instance-price')).toHaveText('$0.1000');
    await row.getByRole('button', { name: 'edit e2e.large' }).click();
    const edit = catalog.getByRole('form', { name: 'Edit e2e.large' });
    await edit.getByLabel('$ / hour').fill('0.2');
    await edit.getByLabel('Source of the price').fill('invoice 43');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(row.getByTestId('instance-price')).toHaveText('$0.2000');
    await expect(row).toContainText('invoice 43');
  });

  test('schedules and regressions: a schedule from the API is listed and edited; a planted slowdown is an alert until acknowledged', async ({ signedIn: page }) => {
    await rest('POST', '/schedules', { name: 'e2e nightly', workload: 'sales-aggregation', cron: '0 3 * * *', backends: ['engine'], rows: 250_000, runsPerFiring: 3, enabled: false });
    // Four steady batches, then one where phase 2 is ~45 % slower.
    const ROWS = 250_000;
    const batch = async (values: number[][]) => {
      const runs = await Promise.all(values.flatMap((vs, i) => vs.map(async (v, k) => ({ runId: await recordRun({ workload: 'sales-aggregation', phase: i + 1, engine: 'engine', rows: ROWS, wallMs: v }), repetition: k + 1 }))));
      return rest('POST', '/batches', { workload: 'sales-aggregation', backend: 'engine', rows: ROWS, runs });
    };
    for (let b = 0; b < 4; b++) expect((await batch([[100 + b, 102 - b, 101], [200 + b, 198, 201 - b], [300, 303 - b, 299 + b]])).regressions).toBe(0);
    const slow = await batch([[101, 100, 102], [290, 295, 288], [301, 300, 302]]);
    expect(slow.regressions).toBe(1);

    await page.goto('/regressions');
    const schedule = page.locator('[data-testid="schedule-row"][data-name="e2e nightly"]');
    await expect(schedule).toContainText('0 3 * * *');
    await schedule.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit schedule' });
    await edit.getByLabel('Runs per firing').fill('5');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(schedule.locator('[data-label="runs"]')).toHaveText('5');

    const alerts = page.getByTestId('alerts');
    const alert = alerts.getByTestId('alert').filter({ hasText: `sales-aggregation/2:engine:${ROWS}:e2e-host` });
    await expect(alert).toHaveCount(1);
    await expect(alert).toHaveAttribute('data-severity', 'major');
    await expect(alert.getByTestId('alert-change')).toContainText('+');
    await alert.getByRole('button', { name: 'History' }).click();
    await expect(alert.getByTestId('series-chart').locator('.recharts-scatter-symbol').first()).toBeVisible();
    await alert.getByLabel('note').fill('planted in e2e');
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(alert).toHaveCount(0);
    await alerts.getByLabel('Show').selectOption('true');
    await expect(alerts.getByTestId('alert').filter({ hasText: 'planted in e2e' })).toHaveCount(1);
  });
});
