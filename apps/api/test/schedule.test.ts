/**
 * Scheduled regression runs end to end: a worker process fires a cron schedule by itself, the jobs
 * record runs, the batch is analyzed; a firing against a planted (impossibly fast) baseline raises a
 * regression alert. And the `npm run regress` CLI against the same store.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/env.js';
import { createStack, type Stack } from './harness.js';

let s: Stack;

const until = async <T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 200_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}\nworkers:\n${s.workers.map((w) => w.output()).join('\n---\n')}`);
};

/** Earlier batches of the series that ran "in 1 ms": any real run is then a regression. */
async function plantFastBaseline(workspaceId: string, rows: number, batches = 3) {
  const w = await s.db.prisma.workload.findUniqueOrThrow({ where: { catalogKey: 'sales-aggregation' }, include: { phases: true } });
  const dataset = await s.db.prisma.dataset.findFirst({ where: { workspaceId } });
  for (let b = 0; b < batches; b++) {
    const batch = await s.db.prisma.benchmarkBatch.create({
      data: { workspaceId, workloadId: w.id, backend: 'engine', rowsScale: BigInt(rows), repetitions: 3, source: 'api', status: 'analyzed', createdAt: new Date(Date.now() - (10 - b) * 60_000) },
    });
    for (const p of w.phases)
      for (let k = 1; k <= 3; k++) {
        const run = await s.db.prisma.run.create({
          data: {
            workspaceId, backend: 'engine', backendVersion: 'planted', phaseId: p.id, datasetId: dataset?.id, sql: p.sql ?? '', rowsScale: BigInt(rows),
            wallMs: 1 + 0.01 * k + 0.001 * b, cpuMs: 1, peakMemoryBytes: 1n, resultRows: 1n, plan: {}, explain: '', machine: { hostname: os.hostname() }, resultPreview: {},
          },
        });
        await s.db.prisma.benchmarkBatchRun.create({ data: { batchId: batch.id, runId: run.id, repetition: k } });
      }
  }
}

const DATA_DIR = path.join(os.tmpdir(), 'phaselab-api-test', 'schedule-data');

beforeAll(async () => {
  // Datasets a firing has to generate (a scale the workspace lacks) go to a scratch folder.
  process.env.PHASELAB_DATA_DIR = DATA_DIR;
  s = await createStack();
  await s.startWorker({ SCHEDULE_TICK_MS: '250', PHASELAB_DATA_DIR: DATA_DIR });
});
afterAll(async () => {
  await s?.close();
});

describe('scheduled regression runs', () => {
  it('a cron schedule (every second) fires in a worker; its jobs record runs; the batch is analyzed', async () => {
    const created = await s.request('POST', '/api/v1/schedules', { body: { name: 'every second', workload: 'sales-aggregation', cron: '* * * * * *', backends: ['engine'], rows: 50_000, runsPerFiring: 1 } });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.id;
    await until('the first firing', () => s.db.prisma.benchmarkBatch.findFirst({ where: { scheduleId: id } }));
    expect((await s.request('PATCH', `/api/v1/schedules/${id}`, { body: { enabled: false } })).body.enabled).toBe(false);
    const batches = await until('the batches analyzed', async () => {
      const bs = await s.db.prisma.benchmarkBatch.findMany({ where: { scheduleId: id }, include: { runs: true } });
      return bs.length > 0 && bs.every((b) => b.status === 'analyzed') && bs;
    });
    // One firing per second at most, each fired once: a handful of batches, not one per worker tick.
    expect(batches.length).toBeGreaterThanOrEqual(1);
    expect(batches.length).toBeLessThanOrEqual(4);
    for (const b of batches) {
      expect(b.jobIds).toHaveLength(3);
      expect(b.runs).toHaveLength(3);
    }
    const runs = await s.db.prisma.run.findMany({ where: { id: { in: batches[0].runs.map((r) => r.runId) } }, include: { phase: true } });
    expect(runs.map((r) => r.phase!.order).sort()).toEqual([1, 2, 3]);
    expect(runs.every((r) => Number(r.rowsScale) === 50_000 && r.wallMs > 0)).toBe(true);
    const got = await s.request('GET', `/api/v1/schedules/${id}`);
    expect(got.body.lastRunAt).not.toBeNull();
    expect(got.body.batches[0]).toMatchObject({ status: 'analyzed', runs: 3, jobs: 3, regressions: 0 });
    // disabled: no more firings
    const count = batches.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(await s.db.prisma.benchmarkBatch.count({ where: { scheduleId: id } })).toBe(count);
  }, 240_000);

  it('a firing slower than its baseline window raises an alert with the runs it rests on (dataset generated for the new scale)', async () => {
    // Another scale than the first test's, so its real batches stay out of this series' baseline.
    await plantFastBaseline(s.workspaceA, 20_000);
    const created = await s.request('POST', '/api/v1/schedules', { body: { workload: 'sales-aggregation', cron: '0 3 * * *', backends: ['engine'], rows: 20_000, runsPerFiring: 3 } });
    const fired = await s.request('POST', `/api/v1/schedules/${created.body.id}/fire`, { body: {} });
    expect(fired.status, JSON.stringify(fired.body)).toBe(200);
    expect(fired.body.jobIds).toHaveLength(9);
    expect(await s.db.prisma.dataset.findFirst({ where: { workspaceId: s.workspaceA, rows: 20_000n, generator: 'sales' } })).not.toBeNull();
    const batchId = fired.body.batchIds[0];
    await until('the fired batch analyzed', async () => (await s.db.prisma.benchmarkBatch.findUnique({ where: { id: batchId } }))?.status === 'analyzed');
    const alerts = (await s.request('GET', '/api/v1/regressions')).body.filter((a: { batchId: string }) => a.batchId === batchId);
    expect(alerts).toHaveLength(3);
    for (const a of alerts) {
      expect(a.severity).toBe('critical');
      expect(a.contenderRunIds).toHaveLength(3);
      expect(a.baselineBatches).toBeGreaterThanOrEqual(3);
      expect(a.contenderMedian).toBeGreaterThan(a.baselineMedian * 2);
      expect(a.pValue).toBeLessThan(0.01);
    }
  }, 240_000);
});

/** Runs a CLI of the API the way `npm run` does, against the test stack's database. */
function runCli(entry: string, dataDir: string) {
  return (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [path.join(repoRoot(), 'scripts', 'run.mjs'), entry, ...args], {
        cwd: repoRoot(),
        env: { ...process.env, DATABASE_URL: s.url, PHASELAB_DATA_DIR: path.join(os.tmpdir(), 'phaselab-api-test', dataDir) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d) => (stdout += d));
      p.stderr.on('data', (d) => (stderr += d));
      p.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
}

describe('npm run regress', () => {
  const cli = runCli('apps/api/src/cli/regress.ts', 'regress-cli');

  it('records the runs, prints the comparison and exits 1 on a confirmed regression', async () => {
    await plantFastBaseline(s.workspaceA, 3000);
    const r = await cli(['--workload', 'sales-aggregation', '--backend', 'engine', '--rows', '3000', '--runs', '3', '--workspace', 'a']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/sales-aggregation on engine at 3000 rows/);
    expect(r.stdout).toMatch(/phase\s+runs\s+baseline batches\s+baseline median ms\s+median ms\s+change %\s+z\s+p \(U\)\s+verdict/);
    expect(r.stdout.match(/regression \(critical\)/g)).toHaveLength(3);
    expect(r.stdout).toMatch(/3 regression\(s\) confirmed/);
    const batch = await s.db.prisma.benchmarkBatch.findFirstOrThrow({ where: { source: 'cli', workspaceId: s.workspaceA }, include: { runs: { include: { run: true } } } });
    expect(batch.runs).toHaveLength(9);
    expect(batch.runs.every((br) => Number(br.run.rowsScale) === 3000 && br.run.jobId === null)).toBe(true);
  }, 240_000);

  it('bad input: exit 2 with an error line', async () => {
    const r = await cli(['--workload', 'nope', '--rows', '10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --workload: "nope" is not in the catalog/);
  });
});

describe('npm run scaling', () => {
  const cli = runCli('apps/api/src/cli/scaling.ts', 'scaling-cli');

  it('runs every phase at each scale, fits time and memory per phase and overall, predicts a new scale', async () => {
    const r = await cli(['--workload', 'sales-aggregation', '--rows', '1000,2000,4000', '--runs', '1', '--predict', '1M', '--workspace', 'scaling-t']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/series\s+measure\s+fixed\s+per 1M rows\s+R²\s+scales\s+at 1,000,000 rows \(95 %\)/);
    expect(r.stdout).toMatch(/whole workload\s+time/);
    const ws = await s.db.prisma.workspace.findUniqueOrThrow({ where: { slug: 'scaling-t' } });
    const w = await s.db.prisma.workload.findUniqueOrThrow({ where: { catalogKey: 'sales-aggregation' }, include: { phases: true } });
    const phases = w.phases.filter((p) => p.sql).length;
    const models = await s.db.prisma.costModel.findMany({ where: { workspaceId: ws.id }, include: { predictions: true } });
    expect(models).toHaveLength((phases + 1) * 3); // time, process RSS, engine memory
    for (const m of models) {
      const fit = m.params as { fixed: number; perRow: number; scales: number[]; points: { x: number; fitted: number }[] };
      expect(fit.scales).toEqual([1000, 2000, 4000]);
      for (const p of fit.points) expect(p.fitted).toBeCloseTo(fit.fixed + fit.perRow * p.x, 6);
      expect(m.predictions.map((p) => Number(p.rowsScale))).toEqual([1_000_000]);
      expect(m.predictions[0]!.predicted).toBeCloseTo(fit.fixed + fit.perRow * 1e6, 3);
    }
    const runs = await s.db.prisma.run.count({ where: { workspaceId: ws.id } });
    expect(runs).toBe(phases * 3);
    // the process RSS fit rests on what the runner recorded: a resident process holds tens of MiB at least
    const rss = models.find((m) => m.measure === 'rss_bytes' && m.phaseId === null)!;
    const rssFit = rss.params as { points: { y: number }[] };
    expect(rssFit.points).toHaveLength(3);
    for (const p of rssFit.points) expect(p.y).toBeGreaterThan(20 * 2 ** 20);
    expect(r.stdout).toMatch(/whole workload\s+process RSS/);
  }, 240_000);

  it('bad input: exit 2 with an error line', async () => {
    const r = await cli(['--workload', 'sales-aggregation', '--rows', '1000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --rows: a fit needs at least two scales/);
  });
});
