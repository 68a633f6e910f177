/**
 * Cost models, cloud cost, phase tables and regressions through the API, on a real PostgreSQL, from
 * runs stored with known values (synthetic series), so the expected numbers are exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeBatch } from '../src/schedules/batches.js';
import { createStack, type Stack } from './harness.js';

let s: Stack;
let workspaceB: string;
const phases: Record<number, string> = {};

async function storeRun(workspaceId: string, phaseOrder: number, rows: number, wallMs: number, extra: { peak?: number; host?: string; backend?: 'engine' | 'postgres' } = {}) {
  const r = await s.db.prisma.run.create({
    data: {
      workspaceId,
      backend: extra.backend ?? 'engine',
      backendVersion: 'synthetic',
      phaseId: phases[phaseOrder],
      sql: 'synthetic',
      rowsScale: BigInt(rows),
      wallMs,
      cpuMs: wallMs,
      peakMemoryBytes: BigInt(extra.peak ?? 1_000_000),
      resultRows: 1n,
      plan: {},
      explain: '',
      machine: { hostname: extra.host ?? 'test-host' },
      resultPreview: {},
    },
  });
  return r.id;
}

/** A batch of `values[phase-1][k]` runs for the three phases, stored as analyzed (a baseline batch) or running (a contender). */
async function storeBatch(workspaceId: string, rows: number, values: number[][], status: 'analyzed' | 'running') {
  const workload = await s.db.prisma.workload.findUniqueOrThrow({ where: { catalogKey: 'sales-aggregation' } });
  const batch = await s.db.prisma.benchmarkBatch.create({ data: { workspaceId, workloadId: workload.id, backend: 'engine', rowsScale: BigInt(rows), repetitions: values[0].length, source: 'api', status } });
  for (const [i, vs] of values.entries()) {
    for (const [k, v] of vs.entries()) {
      const runId = await storeRun(workspaceId, i + 1, rows, v);
      await s.db.prisma.benchmarkBatchRun.create({ data: { batchId: batch.id, runId, repetition: k + 1 } });
    }
  }
  return batch.id;
}

beforeAll(async () => {
  s = await createStack();
  workspaceB = (await s.db.prisma.workspace.findUniqueOrThrow({ where: { slug: 'b' } })).id;
  const w = await s.db.prisma.workload.findUniqueOrThrow({ where: { catalogKey: 'sales-aggregation' }, include: { phases: true } });
  for (const p of w.phases) phases[p.order] = p.id;
});
afterAll(async () => {
  await s?.close();
});

describe('cost models', () => {
  let modelId: string;

  it('fit recovers fixed and per-row from stored runs at four scales, with R², residuals and scales', async () => {
    // time = 120 ms + 0.0004 ms × rows, with ±1 % deterministic wiggle
    const wiggle = [1, 1.01, 0.99];
    for (const rows of [10_000, 100_000, 1_000_000, 10_000_000]) for (const w of wiggle) await storeRun(s.workspaceA, 1, rows, (120 + 0.0004 * rows) * w, { peak: 5_000_000 + 40 * rows });
    const r = await s.request('POST', '/api/v1/cost-models/fit', { body: { workload: 'sales-aggregation', backend: 'engine', phase: 1 } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const fit = r.body.fit;
    expect(fit.n).toBe(12);
    expect(fit.scales).toEqual([10_000, 100_000, 1_000_000, 10_000_000]);
    expect(fit.perRow).toBeCloseTo(0.0004, 6);
    expect(Math.abs(fit.fixed - 120)).toBeLessThan(30);
    expect(fit.r2).toBeGreaterThan(0.999);
    expect(r.body.points).toHaveLength(12);
    expect(r.body.points[0]).toMatchObject({ x: expect.any(Number), fitted: expect.any(Number), residual: expect.any(Number), runIds: [expect.any(String)] });
    expect(r.body.band.length).toBeGreaterThan(10);
    expect(r.body.name).toBe('fit:sales-aggregation#1:engine:wall_ms');
    modelId = r.body.id;

    const mem = await s.request('POST', '/api/v1/cost-models/fit', { body: { workload: 'sales-aggregation', phase: 1, measure: 'peak_memory_bytes' } });
    expect(mem.body.fit.perRow).toBeCloseTo(40, 6);
    expect(mem.body.fit.fixed).toBeCloseTo(5_000_000, 0);
    expect(mem.body.fit.r2).toBeCloseTo(1, 9);

    // One point per scale, the best of its runs: (120 + 0.0004 x) × 0.99 exactly.
    const best = await s.request('POST', '/api/v1/cost-models/fit', { body: { workload: 'sales-aggregation', phase: 1, summary: 'min' } });
    expect(best.body.name).toBe('fit:sales-aggregation#1:engine:wall_ms:min');
    expect(best.body.fit).toMatchObject({ n: 4, summary: 'min' });
    expect(best.body.fit.fixed).toBeCloseTo(118.8, 6);
    expect(best.body.fit.perRow).toBeCloseTo(0.000396, 12);
    expect(best.body.points[0].runIds).toHaveLength(3);

    const list = await s.request('GET', '/api/v1/cost-models');
    expect(list.body.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining([modelId, mem.body.id]));
  });

  it('predicts at a new scale with an interval, then sets the actual run beside the prediction and flags a run far off', async () => {
    const p = await s.request('POST', `/api/v1/cost-models/${modelId}/predict`, { body: { rows: 100_000_000 } });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    expect(p.body.predicted).toBeCloseTo(120 + 0.0004 * 1e8, -2);
    expect(p.body.lower).toBeLessThan(p.body.predicted);
    expect(p.body.upper).toBeGreaterThan(p.body.predicted);
    // the actual run comes: close to the line
    await storeRun(s.workspaceA, 1, 100_000_000, 40_300);
    // and one far off at a measured scale
    const slow = await storeRun(s.workspaceA, 1, 1_000_000, 2_000);
    const g = await s.request('GET', `/api/v1/cost-models/${modelId}`);
    expect(g.status).toBe(200);
    const pred = g.body.predictions.find((x: { id: string }) => x.id === p.body.id);
    expect(pred.actual).toMatchObject({ n: 1, median: 40_300, withinInterval: true });
    expect(pred.actual.errorPct).toBeCloseTo(((40_300 - p.body.predicted) / p.body.predicted) * 100, 6);
    expect(g.body.flaggedRunIds).toContain(slow);
    expect(g.body.newRuns.find((n: { runIds: string[] }) => n.runIds[0] === slow).outside).toBe(true);
  });

  it('the whole workload: one point per batch repetition, the sum over its phases', async () => {
    // Runs before any other batch exists in this file: phase k takes 10k ms + 0.001k ms × rows.
    for (const rows of [100_000, 1_000_000, 10_000_000]) {
      const per = [1, 2, 3].map((k) => 10 * k + 0.001 * k * rows);
      await storeBatch(s.workspaceA, rows, per.map((v) => [v, v]), 'analyzed');
    }
    const r = await s.request('POST', '/api/v1/cost-models/fit', { body: { workload: 'sales-aggregation' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.name).toBe('fit:sales-aggregation:engine:wall_ms');
    expect(r.body.fit.n).toBe(6);
    expect(r.body.fit.fixed).toBeCloseTo(60, 6);
    expect(r.body.fit.perRow).toBeCloseTo(0.006, 12);
    expect(r.body.points[0].runIds).toHaveLength(3);
  });

  it('a series with one scale cannot be fitted: 400 that says why', async () => {
    await storeRun(s.workspaceA, 2, 50_000, 100, { backend: 'postgres' });
    await storeRun(s.workspaceA, 2, 50_000, 110, { backend: 'postgres' });
    const r = await s.request('POST', '/api/v1/cost-models/fit', { body: { workload: 'sales-aggregation', phase: 2, backend: 'postgres' } });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/2 or more scales/);
  });
});

describe('parallel scaling', () => {
  it('groups runs of a phase by their job\'s partition count: speedup and efficiency', async () => {
    const times: Record<number, number[]> = { 1: [1000, 1040], 2: [560], 4: [400] };
    for (const [partitions, ms] of Object.entries(times))
      for (const wallMs of ms) {
        const job = await s.db.prisma.job.create({ data: { workspaceId: s.workspaceA, backend: 'engine', sql: 'synthetic', phaseId: phases[3], status: 'succeeded', params: { partitions: Number(partitions) } } });
        const runId = await storeRun(s.workspaceA, 3, 7_000_000, wallMs);
        await s.db.prisma.run.update({ where: { id: runId }, data: { jobId: job.id } });
      }
    const r = await s.request('GET', '/api/v1/cost-models/scaling?workload=sales-aggregation&phase=3&rows=7000000');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.rows.map((x: { partitions: number }) => x.partitions)).toEqual([1, 2, 4]);
    expect(r.body.rows[0]).toMatchObject({ runs: 2, medianMs: 1020, speedup: 1, efficiency: 1 });
    expect(r.body.rows[2].speedup).toBeCloseTo(1020 / 400, 10);
    expect(r.body.rows[2].efficiency).toBeCloseTo(1020 / 400 / 4, 10);
    expect(r.body.points).toHaveLength(4);
  });

  it('a job\'s params.partitions reaches the engine and the run records what it ran with', async () => {
    const w = await s.startWorker();
    try {
      const bad = await s.request('POST', '/api/v1/jobs', { body: { sql: 'SELECT 1', dataset: 'sales', params: { partitions: 0 } } });
      expect(bad.status).toBe(400);
      expect(bad.body.issues.map((i: { path: string[]; message: string }) => `${i.path.join('.')}: ${i.message}`)).toContain('params.partitions: params.partitions must be an integer from 1 to 64');
      const runs: Record<number, string> = {};
      for (const partitions of [1, 2]) {
        const job = await s.request('POST', '/api/v1/jobs', { body: { sql: 'SELECT category, count(*) AS n FROM l40s_sales_large GROUP BY category', dataset: 'sales', phaseId: phases[1], params: { partitions } } });
        expect(job.status, JSON.stringify(job.body)).toBe(200);
        const done = await s.waitForJob(job.body.id, (j) => ['succeeded', 'failed'].includes(j.status));
        expect(done.status, done.error).toBe('succeeded');
        runs[partitions] = done.run?.id ?? done.runId;
      }
      for (const [partitions, runId] of Object.entries(runs)) {
        const run = await s.db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
        expect((run.machine as { enginePartitions?: number }).enginePartitions).toBe(Number(partitions));
      }
      const r = await s.request('GET', '/api/v1/cost-models/scaling?workload=sales-aggregation&phase=1');
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.points.filter((p: { runId: string }) => Object.values(runs).includes(p.runId)).map((p: { partitions: number }) => p.partitions).sort()).toEqual([1, 2]);
    } finally {
      await w.stop();
    }
  }, 120_000);
});

describe('regressions', () => {
  const base = (k: number) => [100 + (k % 3) * 3, 101 - (k % 2) * 2, 99 + (k % 4)];

  it('a noisy but unchanged batch is not flagged; a planted slowdown in one phase is, with medians, z and p', async () => {
    for (let b = 0; b < 8; b++) await storeBatch(s.workspaceA, 2_000_000, [base(b), base(b + 1).map((v) => v * 2), base(b + 2).map((v) => v * 3)], 'analyzed');
    const same = await storeBatch(s.workspaceA, 2_000_000, [[101, 98, 103], [199, 204, 201], [297, 305, 300]], 'running');
    const a1 = await analyzeBatch(s.db.prisma, same);
    expect(a1.comparisons.map((c) => c.verdict)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(a1.regressions).toBe(0);

    const slow = await storeBatch(s.workspaceA, 2_000_000, [[100, 102, 99], [281, 290, 285], [301, 298, 299]], 'running');
    const a2 = await analyzeBatch(s.db.prisma, slow);
    expect(a2.comparisons.map((c) => c.verdict)).toEqual(['unchanged', 'regression', 'unchanged']);
    const c = a2.comparisons[1];
    expect(c.contenderMedian).toBe(285);
    expect(c.changePct!).toBeGreaterThan(40);
    expect(c.severity).toBe('major');
    expect(c.z!).toBeGreaterThan(4);
    expect(c.pValue!).toBeLessThan(0.01);
    expect(c.baselineBatches).toBe(9); // the 8 baseline batches and the unchanged one

    const list = await s.request('GET', '/api/v1/regressions');
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    const alert = list.body[0];
    expect(alert).toMatchObject({ severity: 'major', contenderMedian: 285, batchId: slow, acknowledgedAt: null });
    expect(alert.seriesKey).toBe('sales-aggregation/2:engine:2000000:test-host:wall_ms');
    expect(alert.contenderRunIds).toHaveLength(3);
    expect(alert.baselineRunIds).toHaveLength(27);

    const ack = await s.request('POST', `/api/v1/regressions/${alert.id}/acknowledge`, { body: { note: 'expected: planted' } });
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledgedAt).not.toBeNull();
    expect((await s.request('GET', '/api/v1/regressions')).body).toEqual([]);
    expect((await s.request('GET', '/api/v1/regressions?acknowledged=true')).body[0]).toMatchObject({ id: alert.id, acknowledgedNote: 'expected: planted' });
  });

  it('phase.table: median per phase and the speedup against the baseline phase, at a scale', async () => {
    const r = await s.request('GET', '/api/v1/phases/table?workload=sales-aggregation&backend=engine&rows=2000000');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.phases.map((p: { order: number }) => p.order)).toEqual([1, 2, 3]);
    const [p1, p2, p3] = r.body.phases;
    expect(p1.runs).toBe(30);
    expect(p1.speedupVsBaseline).toBe(1);
    expect(p2.speedupVsBaseline).toBeCloseTo(p1.medianMs / p2.medianMs, 10);
    expect(p3.speedupVsPrevious).toBeCloseTo(p2.medianMs / p3.medianMs, 10);
    expect(p3.optimization).toMatch(/top-k/);
    expect(r.body.scales.map((x: { rows: number }) => x.rows)).toContain(2_000_000);
  });
});

describe('cloud cost', () => {
  it("reproduces seed 002's monthly table from stored runs and the instance catalog", async () => {
    // The jobs as stored runs: Spark's chart aggregation (~4 min 5 s) and Polars' (36.12 s, 4 cores / 12 GB).
    const spark = [await storeRun(s.workspaceA, 3, 1, 245_000), await storeRun(s.workspaceA, 3, 1, 244_000), await storeRun(s.workspaceA, 3, 1, 246_000)];
    const polars = [await storeRun(s.workspaceA, 3, 1, 36_120)];
    const options = [
      {
        label: 'PySpark on EMR',
        startupSeconds: 360,
        job: { runIds: spark },
        nodes: [
          { instanceType: 'm5.xlarge@ap-northeast-2', role: 'master', emr: true },
          { instanceType: 'r5.xlarge@ap-northeast-2', role: 'core', emr: true },
        ],
      },
      { label: 'Polars on one node', job: { runIds: polars }, nodes: [{ instanceType: 'm6g.xlarge@ap-northeast-2' }] },
    ];
    // The seed's table assumes one billed hour per daily run.
    const r = await s.request('POST', '/api/v1/cost/scenario', { body: { billing: { incrementSeconds: 3600, minimumSeconds: 3600 }, options } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [emr, pol] = r.body.options;
    expect(emr.jobSeconds).toBe(245);
    expect(emr.wallSeconds).toBe(605);
    expect(Object.fromEntries(emr.lines.map((l: { label: string; monthly: number }) => [l.label, l.monthly]))).toEqual({
      'EMR m5.xlarge@ap-northeast-2 (master)': 1.46,
      'EC2 m5.xlarge@ap-northeast-2 (master)': 7.18,
      'EMR r5.xlarge@ap-northeast-2 (core)': 1.92,
      'EC2 r5.xlarge@ap-northeast-2 (core)': 9.25,
    });
    expect(emr.monthly).toBe(19.81);
    expect(pol.monthly).toBe(5.72);
    expect(pol.savingPct).toBe(71.13);
    expect(pol.jobSource).toMatch(/median of 1 stored run/);

    // Billed per second (60 s minimum), the same runs cost far less, and the start-up overhead dominates EMR's bill.
    const ps = await s.request('POST', '/api/v1/cost/scenario', { body: { options } });
    expect(ps.body.options[0].monthly).toBe(3.33);
    expect(ps.body.options[1].billedSeconds).toBe(60);
    const noStartup = await s.request('POST', '/api/v1/cost/scenario', { body: { options: [{ ...options[0], startupSeconds: 0 }] } });
    expect(noStartup.body.options[0].monthly).toBeLessThan(ps.body.options[0].monthly / 2);

    const one = await s.request('GET', `/api/v1/cost/runs/${spark[0]}?instanceType=m5.xlarge`);
    expect(one.body.cost).toBeCloseTo((245 / 3600) * 0.192, 10);
  });

  it('the instance catalog is data: seeded with source and date, editable, a new price needs its source', async () => {
    const list = await s.request('GET', '/api/v1/instance-types?region=us-east-1&service=ec2');
    const m5 = list.body.find((t: { name: string }) => t.name === 'm5.xlarge');
    expect(m5).toMatchObject({ pricePerHour: 0.192, vcpu: 4, memoryGiB: 16, sourceDate: '2026-11-23' });
    expect(m5.source).toMatch(/aws\.amazon\.com/);
    const created = await s.request('POST', '/api/v1/instance-types', { body: { name: 'test.large', vcpu: 2, memoryGiB: 8, pricePerHour: 0.1, source: 'invoice 42', sourceDate: '2026-11-01' } });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const noSource = await s.request('PATCH', `/api/v1/instance-types/${created.body.id}`, { body: { pricePerHour: 0.2 } });
    expect(noSource.status).toBe(400);
    expect(noSource.body.message).toMatch(/^source/);
    const edited = await s.request('PATCH', `/api/v1/instance-types/${created.body.id}`, { body: { pricePerHour: 0.2, source: 'invoice 43', sourceDate: '2026-11-20' } });
    expect(edited.body).toMatchObject({ pricePerHour: 0.2, source: 'invoice 43', sourceDate: '2026-11-20' });
    expect((await s.request('DELETE', `/api/v1/instance-types/${created.body.id}`)).body.deleted).toBe(true);
  });
});

describe('input validation and workspace isolation', () => {
  it('bad input → 400 naming the field', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/v1/cost-models/fit', { backend: 'engine' }, 'workload'],
      ['POST', '/api/v1/cost-models/fit', { workload: 'sales-aggregation', backend: 'oracle' }, 'backend'],
      ['POST', '/api/v1/cost-models/fit', { workload: 'sales-aggregation', measure: 'joules' }, 'measure'],
      ['POST', '/api/v1/cost-models/00000000-0000-4000-8000-000000000000/predict', { rows: 0 }, 'rows'],
      ['GET', '/api/v1/cost-models/not-a-uuid', undefined, 'id'],
      ['GET', '/api/v1/phases/table', undefined, 'workload'],
      ['POST', '/api/v1/cost/scenario', { options: [] }, 'options'],
      ['POST', '/api/v1/cost/scenario', { options: [{ label: 'x', job: { seconds: -1 }, nodes: [{ instanceType: 'm5.xlarge' }] }] }, 'options.0.job'],
      ['POST', '/api/v1/instance-types', { name: 'x', vcpu: 2, memoryGiB: 8, pricePerHour: 0.1, sourceDate: '2026-11-01' }, 'source'],
      ['POST', '/api/v1/schedules', { workload: 'sales-aggregation', cron: '* * * * *', backends: [], rows: 1000 }, 'backends'],
      ['POST', '/api/v1/schedules', { workload: 'sales-aggregation', cron: '* * * * *', backends: ['engine'], rows: -5 }, 'rows'],
      ['POST', '/api/v1/schedules', { workload: 'sales-aggregation', cron: '* * * * *', backends: ['engine'], rows: 10, rule: { zThreshold: 'high' } }, 'rule.zThreshold'],
      ['GET', '/api/v1/regressions?limit=0', undefined, 'limit'],
      ['GET', '/api/v1/regressions?severity=apocalyptic', undefined, 'severity'],
    ];
    for (const [method, p, body, field] of cases) {
      const r = await s.request(method, p, { body });
      expect(r.status, `${method} ${p} ${JSON.stringify(body)} → ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.data.fields.some((f: string) => f === field || f.startsWith(`${field}.`)), `${p}: ${JSON.stringify(r.body.data.fields)}`).toBe(true);
    }
    const badCron = await s.request('POST', '/api/v1/schedules', { body: { workload: 'sales-aggregation', cron: 'every day', backends: ['engine'], rows: 1000 } });
    expect(badCron.status).toBe(400);
    expect(badCron.body.message).toMatch(/^cron: /);
    const unknownType = await s.request('POST', '/api/v1/cost/scenario', { body: { options: [{ label: 'x', job: { seconds: 1 }, nodes: [{ instanceType: 'z9.mega' }] }] } });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.message).toMatch(/^instanceType: unknown instance type\(s\) "z9.mega"/);
  });

  it("another workspace sees none of this workspace's models, schedules, regressions or runs", async () => {
    const models = (await s.request('GET', '/api/v1/cost-models')).body.filter((m: { builtIn: boolean }) => !m.builtIn);
    expect(models.length).toBeGreaterThan(0);
    const id = models[0].id;
    const B = { key: s.keyB };
    expect((await s.request('GET', `/api/v1/cost-models/${id}`, B)).status).toBe(404);
    expect((await s.request('POST', `/api/v1/cost-models/${id}/predict`, { ...B, body: { rows: 10 } })).status).toBe(404);
    expect((await s.request('GET', '/api/v1/cost-models', B)).body.filter((m: { builtIn: boolean }) => !m.builtIn)).toEqual([]);

    const sched = await s.request('POST', '/api/v1/schedules', { body: { workload: 'sales-aggregation', cron: '0 3 * * *', backends: ['engine'], rows: 50_000, enabled: false } });
    expect(sched.status, JSON.stringify(sched.body)).toBe(200);
    expect(sched.body.nextRunAt).toBeNull();
    expect((await s.request('GET', `/api/v1/schedules/${sched.body.id}`, B)).status).toBe(404);
    expect((await s.request('POST', `/api/v1/schedules/${sched.body.id}/fire`, { ...B, body: {} })).status).toBe(404);
    expect((await s.request('PATCH', `/api/v1/schedules/${sched.body.id}`, { ...B, body: { enabled: true } })).status).toBe(404);
    expect((await s.request('GET', '/api/v1/schedules', B)).body).toEqual([]);

    const reg = (await s.request('GET', '/api/v1/regressions?acknowledged=all')).body[0];
    expect((await s.request('GET', '/api/v1/regressions?acknowledged=all', B)).body).toEqual([]);
    expect((await s.request('POST', `/api/v1/regressions/${reg.id}/acknowledge`, { ...B, body: {} })).status).toBe(404);
    expect((await s.request('GET', `/api/v1/regressions/${reg.id}`, B)).status).toBe(404);

    expect((await s.request('GET', `/api/v1/cost/runs/${reg.runId}?instanceType=m5.xlarge`, B)).status).toBe(404);
    const borrowed = await s.request('POST', '/api/v1/cost/scenario', { ...B, body: { options: [{ label: 'x', job: { runIds: [reg.runId] }, nodes: [{ instanceType: 'm5.xlarge' }] }] } });
    expect(borrowed.status).toBe(400);
    expect(borrowed.body.message).toMatch(/not found in this workspace/);
    const table = await s.request('GET', '/api/v1/phases/table?workload=sales-aggregation', B);
    expect(table.body.phases.every((p: { runs: number }) => p.runs === 0)).toBe(true);
    expect(workspaceB).not.toBe(s.workspaceA);
  });
});
