/**
 * The PostgreSQL / PG-Strom probe page and the GPU monitor line of a run, on this stack's plain
 * PostgreSQL (no PG-Strom, no nvidia-smi): every "no" comes with its reason.
 */
import path from 'node:path';
import { ARTIFACTS } from '../stack/stack';
import { expect, runJob, stack, test } from './fixtures';

test('the probe page shows the server, PG-Strom not active with the reason, the settings and the raw JSON', async ({ signedIn: page }) => {
  await page.getByRole('link', { name: 'PG-Strom', exact: true }).click();
  await expect(page).toHaveURL(/\/gpu$/);
  await expect(page.getByRole('heading', { name: 'PostgreSQL & PG-Strom' })).toBeVisible();
  await expect(page.getByTestId('probe-server-version')).toHaveText(/^1\d/);
  await expect(page.getByTestId('probe-pgstrom')).toHaveText('not active');
  await expect(page.getByTestId('probe-reason')).toContainText('pg_strom is not in shared_preload_libraries');
  await expect(page.getByTestId('probe-gpus')).toContainText('No GPU device');
  await expect(page.getByTestId('probe-arrow')).toContainText('not available');
  await expect(page.getByTestId('probe-monitor')).toContainText(/available/);
  await expect(page.locator('[data-testid="probe-setting"][data-name="pg_strom.enabled"]')).toContainText('not on this server');
  await expect(page.locator('[data-testid="probe-setting"][data-name="work_mem"] td.value')).toHaveText(/\d+(kB|MB|GB)/);
  const raw = page.getByTestId('probe-json');
  await expect(raw.locator('pre')).toBeHidden();
  await raw.locator('summary').click();
  await expect(raw.locator('pre')).toContainText('"installed": false');
});

test('a run without a GPU series says why', async ({ signedIn: page }) => {
  const job = await runJob('SELECT count(*) AS n FROM l40s_sales_large');
  await page.goto(`/runs/${job.runId}`);
  await expect(page.getByTestId('gpu-monitor-none')).toHaveText(/^no GPU monitor: the engine backend runs on the CPU/);
});

test('a run carrying a GPU series shows it as a line chart, legible at phone width', async ({ signedIn: page }) => {
  // An external run (POST /runs) whose machine carries a monitor series, as a postgres/pgstrom job
  // stores it (machine.gpuMonitor): the stack has no GPU, so the series is made up here.
  const samples = Array.from({ length: 12 }, (_, i) => [0, 1].map((gpu) => ({ tMs: i * 500 + gpu, gpu, utilizationPct: gpu === 0 ? (i * 37) % 100 : 0, memoryUsedMiB: 2000 + i * 100, memoryTotalMiB: 46068, temperatureC: 40 + (i % 4) }))).flat();
  const body = {
    engine: 'pgstrom',
    engineVersion: 'PostgreSQL 16.4 + PG-Strom 6.0',
    sql: 'SELECT region, sum(amount) FROM l40s_sales_large GROUP BY region',
    wallMs: 5800,
    cpuMs: 120,
    peakMemoryBytes: 0,
    resultRows: 20,
    machine: {
      hostname: 'gpu-host',
      platform: 'linux',
      arch: 'x64',
      cpus: 16,
      gpuMonitor: {
        available: true,
        host: 'gpu-host',
        intervalMs: 500,
        command: 'nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total,temperature.gpu --format=csv,noheader,nounits -lms 500',
        sampleStep: 1,
        samples,
        perGpu: [
          { gpu: 0, samples: 12, avgUtilizationPct: 47.5, maxUtilizationPct: 99, maxMemoryUsedMiB: 3100, memoryTotalMiB: 46068, maxMemoryPct: 6.7, maxTemperatureC: 43 },
          { gpu: 1, samples: 12, avgUtilizationPct: 0, maxUtilizationPct: 0, maxMemoryUsedMiB: 3100, memoryTotalMiB: 46068, maxMemoryPct: 6.7, maxTemperatureC: 43 },
        ],
        marks: [{ label: 'run 1', tMs: 0 }, { label: 'explain', tMs: 3000 }],
      },
    },
  };
  const res = await fetch(`${stack.apiUrl}/api/v1/runs`, { method: 'POST', headers: { Authorization: `Bearer ${stack.apiKey}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const run = (await res.json()) as { id: string; gpuMonitor: { available: boolean } };
  expect(res.status, JSON.stringify(run)).toBe(200);
  expect(run.gpuMonitor.available).toBe(true);
  for (const size of [{ name: 'laptop', width: 1366, height: 860 }, { name: 'phone', width: 390, height: 844 }]) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto(`/runs/${run.id}`);
    const chart = page.getByTestId('chart-gpu-monitor');
    await expect(chart.locator('.recharts-line').first()).toBeVisible();
    await expect(chart.locator('.recharts-line')).toHaveCount(2);
    await expect(page.getByTestId('gpu-stat').first()).toContainText('GPU0 utilization avg 47.5%, max 99%');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `run page with a GPU series at ${size.width}px overflows sideways by ${overflow}px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'screenshots', `run-gpu-${size.name}.png`), fullPage: true });
  }
});
