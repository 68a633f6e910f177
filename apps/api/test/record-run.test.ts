import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, type Stack } from './harness.js';

const machine = { hostname: 'bench-host', platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'Test CPU', totalMemoryBytes: 25_000_000_000 };

/** What `npm run bench -- --post` sends for one DuckDB measurement of the first sales phase. */
const duckdbRun = () => ({
  engine: 'duckdb',
  engineVersion: 'DuckDB v1.5.0',
  sql: 'SELECT category, count(*) AS orders, sum(amount) AS revenue FROM l40s_sales_large GROUP BY category ORDER BY revenue DESC',
  dataset: 'sales',
  workload: 'sales-aggregation',
  phase: 1,
  wallMs: 12.5,
  cpuMs: 20.25,
  peakMemoryBytes: 3_145_728,
  resultRows: 100,
  machine,
  operators: [
    { name: 'ORDER_BY', description: 'revenue DESC', parentIndex: null, outputRows: 100, elapsedMs: 0.2 },
    { name: 'HASH_GROUP_BY', description: 'category', parentIndex: 0, outputRows: 100, elapsedMs: 8.1, peakMemoryBytes: 1_048_576 },
    { name: 'TABLE_SCAN', description: 'l40s_sales_large', parentIndex: 1, outputRows: 50_000, elapsedMs: 3.9, extra: { files: 1 } },
  ],
  stages: [{ stage: 'execute', wallMs: 12.1, rowsOut: 100 }],
  labels: { query: 'sales-1', mode: 'hot', runsMs: [12.5, 12.9, 13.4] },
});

describe('run.record (external runs)', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await createStack();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('stores a posted run with its operators and phase, visible only to its workspace', async () => {
    const r = await s.request('POST', '/api/v1/runs', { body: duckdbRun() });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const run = r.body;
    expect(run).toMatchObject({ backend: 'duckdb', backendVersion: 'DuckDB v1.5.0', source: 'external', dataset: 'sales', rowsScale: 50_000, jobId: null });
    expect(run.metrics).toEqual({ wallMs: 12.5, cpuMs: 20.25, peakMemoryBytes: 3_145_728, resultRows: 100 });
    expect(run.labels).toMatchObject({ query: 'sales-1', mode: 'hot', runsMs: [12.5, 12.9, 13.4], workload: 'sales-aggregation', phase: 1 });
    expect(run.machine).toMatchObject(machine);
    expect(run.operators.map((o: any) => [o.index, o.path, o.name, o.parentIndex])).toEqual([
      [0, '0', 'ORDER_BY', null],
      [1, '0.0', 'HASH_GROUP_BY', 0],
      [2, '0.0.0', 'TABLE_SCAN', 1],
    ]);
    expect(run.operators[2].extra).toEqual({ files: 1 });
    expect(run.plan.children[0].children[0].metrics.outputRows).toBe(50_000);
    expect(run.stages).toEqual([{ stage: 'execute', order: 0, wallMs: 12.1, rowsIn: null, rowsOut: 100, peakMemoryBytes: null }]);

    const phase = await s.db.prisma.phase.findFirstOrThrow({ where: { workload: { catalogKey: 'sales-aggregation' }, order: 1 } });
    expect(run.phaseId).toBe(phase.id);

    const listA = await s.request('GET', '/api/v1/runs?backend=duckdb');
    expect(listA.body.map((x: any) => x.id)).toEqual([run.id]);
    const listB = await s.request('GET', '/api/v1/runs', { key: s.keyB });
    expect(listB.status).toBe(200);
    expect(listB.body.map((x: any) => x.id)).not.toContain(run.id);
    expect((await s.request('GET', `/api/v1/runs/${run.id}`, { key: s.keyB })).status).toBe(404);
    expect((await s.request('GET', `/api/v1/runs/${run.id}`)).body.id).toBe(run.id);
  });

  it('keeps a dataset key that is not a registered dataset, and filters by it', async () => {
    const body = { ...duckdbRun(), engine: 'polars', engineVersion: 'nodejs-polars 0.26.1', dataset: 'finance', workload: 'finance-medallion', phase: 'one-pass DAG, broadcast join', rowsScale: 1_000_000, operators: undefined, measuredAt: '2026-11-20T10:00:00Z' };
    const r = await s.request('POST', '/api/v1/runs', { body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ backend: 'polars', dataset: 'finance', rowsScale: 1_000_000, operators: [], createdAt: '2026-11-20T10:00:00.000Z' });
    const list = await s.request('GET', '/api/v1/runs?dataset=finance');
    expect(list.body.map((x: any) => x.id)).toEqual([r.body.id]);
  });

  it('rejects bad input with a 400 naming the field, and stores nothing', async () => {
    const before = await s.db.prisma.run.count();
    const cases: [string, unknown][] = [
      ['wallMs', { ...duckdbRun(), wallMs: undefined }],
      ['wallMs', { ...duckdbRun(), wallMs: -1 }],
      ['engine', { ...duckdbRun(), engine: 'spark' }],
      ['engineVersion', { ...duckdbRun(), engineVersion: '' }],
      ['peakMemoryBytes', { ...duckdbRun(), peakMemoryBytes: 1.5 }],
      ['machine.hostname', { ...duckdbRun(), machine: { ...machine, hostname: undefined } }],
      ['operators.1.elapsedMs', { ...duckdbRun(), operators: [duckdbRun().operators[0], { ...duckdbRun().operators[1], elapsedMs: 'fast' }] }],
      ['operators.2.parentIndex', { ...duckdbRun(), operators: [...duckdbRun().operators.slice(0, 2), { ...duckdbRun().operators[2], parentIndex: 5 }] }],
      ['workload', { ...duckdbRun(), workload: 'no-such-workload' }],
      ['workload', { ...duckdbRun(), workload: undefined }],
      ['phase', { ...duckdbRun(), phase: 9 }],
      ['measuredAt', { ...duckdbRun(), measuredAt: 'yesterday' }],
    ];
    for (const [field, body] of cases) {
      const r = await s.request('POST', '/api/v1/runs', { body });
      expect(r.status, `${field}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.data.fields, JSON.stringify(r.body)).toContain(field);
    }
    expect((await s.request('POST', '/api/v1/runs', { body: duckdbRun(), key: null })).status).toBe(401);
    expect(await s.db.prisma.run.count()).toBe(before);
  });
});
