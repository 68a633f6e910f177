/**
 * batch.record (POST /api/v1/batches): runs recorded through run.record, grouped into batches; a
 * steady series raises nothing, a planted slowdown of one phase raises one alert, and runs of another
 * series are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, type Stack } from './harness.js';

const machine = { hostname: 'ci-host', platform: 'linux', arch: 'x64', cpus: 2 };
const ROWS = 250_000;

let s: Stack;
beforeAll(async () => {
  s = await createStack();
});
afterAll(async () => {
  await s?.close();
});

async function record(phase: number, wallMs: number, extra: { engine?: string; rowsScale?: number } = {}): Promise<string> {
  const r = await s.request('POST', '/api/v1/runs', {
    body: { engine: extra.engine ?? 'engine', engineVersion: 'test', sql: `SELECT ${phase}`, workload: 'sales-aggregation', phase, rowsScale: extra.rowsScale ?? ROWS, wallMs, cpuMs: wallMs, peakMemoryBytes: 1_000_000, resultRows: 1, machine },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.id;
}

/** One batch: values[phase-1][repetition-1] ms. */
async function batch(values: number[][]) {
  const runs = [];
  for (const [i, vs] of values.entries()) for (const [k, v] of vs.entries()) runs.push({ runId: await record(i + 1, v), repetition: k + 1 });
  return s.request('POST', '/api/v1/batches', { body: { workload: 'sales-aggregation', backend: 'engine', rows: ROWS, runs } });
}

describe('batch.record', () => {
  it('analyzes each posted batch against the earlier ones: steady batches raise nothing, a planted slowdown raises one alert', async () => {
    for (let b = 0; b < 4; b++) {
      const r = await batch([[100 + b, 102 - b, 101], [200 + b, 198, 201 - b], [300, 303 - b, 299 + b]]);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.regressions).toBe(0);
    }
    const slow = await batch([[101, 100, 102], [290, 295, 288], [301, 300, 302]]);
    expect(slow.status, JSON.stringify(slow.body)).toBe(200);
    expect(slow.body.comparisons.map((c: { verdict: string }) => c.verdict)).toEqual(['unchanged', 'regression', 'unchanged']);
    expect(slow.body.regressions).toBe(1);
    const alerts = (await s.request('GET', '/api/v1/regressions')).body;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ seriesKey: `sales-aggregation/2:engine:${ROWS}:ci-host:wall_ms`, contenderMedian: 290, baselineBatches: 4, id: slow.body.comparisons[1].regressionId });
  });

  it('refuses runs of another backend or scale, unknown runs and unknown workloads', async () => {
    const other = await record(1, 10, { engine: 'postgres' });
    const scale = await record(1, 10, { rowsScale: 1000 });
    for (const [body, field] of [
      [{ workload: 'sales-aggregation', rows: ROWS, runs: [{ runId: other, repetition: 1 }] }, /postgres/],
      [{ workload: 'sales-aggregation', rows: ROWS, runs: [{ runId: scale, repetition: 1 }] }, /1000 rows/],
      [{ workload: 'sales-aggregation', rows: ROWS, runs: [{ runId: '00000000-0000-4000-8000-000000000000', repetition: 1 }] }, /not found/],
      [{ workload: 'nope', rows: ROWS, runs: [{ runId: other, repetition: 1 }] }, /catalog/],
    ] as const) {
      const r = await s.request('POST', '/api/v1/batches', { body });
      expect(r.status).toBe(400);
      expect(r.body.message).toMatch(field);
    }
  });
});
