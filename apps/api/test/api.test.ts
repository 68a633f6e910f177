import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, TERMINAL, type Stack } from './harness.js';

const SQL = 'SELECT region, count(*) AS orders, sum(amount) AS revenue FROM l40s_sales_large GROUP BY region ORDER BY region';

describe('API', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await createStack();
    await s.startWorker();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('GET /health answers 200 JSON without a key', async () => {
    const r = await s.request('GET', '/health', { key: null });
    expect(r).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('401 without a key or with a bad key, on REST and tRPC', async () => {
    expect((await s.request('GET', '/api/v1/datasets', { key: null })).status).toBe(401);
    expect((await s.request('GET', '/api/v1/datasets', { key: 'plk_not-a-real-key' })).status).toBe(401);
    expect((await s.request('POST', '/api/v1/jobs', { key: null, body: { sql: 'SELECT 1' } })).status).toBe(401);
    expect((await s.request('GET', '/trpc/dataset.list', { key: null })).status).toBe(401);
  });

  it('GET /api/v1/datasets lists the workspace datasets with name and tables', async () => {
    const r = await s.request('GET', '/api/v1/datasets');
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(1);
    expect(r.body[0]).toMatchObject({ name: 'sales', generator: 'sales', rows: 50_000 });
    expect(r.body[0].tables[0]).toMatchObject({ name: 'l40s_sales_large', rows: 50_000 });
    expect(r.body[0].tables[0].columns.map((c: { name: string }) => c.name)).toContain('amount');
    expect((await s.request('GET', '/api/v1/datasets/sales')).body.name).toBe('sales');
    expect((await s.request('GET', '/api/v1/datasets/nope')).status).toBe(404);
  });

  it('submit → the job succeeds with a run: metrics, operator and stage metrics, first rows keyed by column', async () => {
    const sub = await s.request('POST', '/api/v1/jobs', { body: { sql: SQL, backend: 'engine', dataset: 'sales' } });
    expect(sub.status).toBe(200);
    expect(sub.body).toMatchObject({ id: expect.any(String), status: 'queued' });
    const job = await s.waitForJob(sub.body.id, (j) => TERMINAL.includes(j.status));
    expect(job.status, job.error).toBe('succeeded');
    expect(job.error).toBeNull();
    expect(job.attempts).toBe(1);
    expect(job.progress).toMatchObject({ stage: 'done', rowsProcessed: 50_000, percent: 100 });
    expect(job.metrics.resultRows).toBe(20);
    expect(job.metrics.wallMs).toBeGreaterThan(0);
    expect(job.metrics.cpuMs).toBeGreaterThan(0);
    expect(job.metrics.peakMemoryBytes).toBeGreaterThan(0);
    expect(job.rows).toHaveLength(20);
    expect(Object.keys(job.rows[0])).toEqual(['region', 'orders', 'revenue']);
    expect(job.rows[0]).toEqual({ region: 'region_0', orders: 2500, revenue: expect.stringMatching(/^\d+\.\d\d$/) });
    expect(job.columns).toEqual([
      { name: 'region', type: 'text' },
      { name: 'orders', type: 'bigint' },
      { name: 'revenue', type: expect.stringMatching(/^numeric/) },
    ]);

    const run = job.run;
    expect(run.backend).toBe('engine');
    expect(run.backendVersion).toMatch(/@phaselab\/engine/);
    expect(run.dataset).toBe('sales');
    expect(run.rowsScale).toBe(50_000);
    expect(run.operators.length).toBeGreaterThanOrEqual(3);
    expect(run.operators[0]).toMatchObject({ index: 0, path: '0', parentIndex: null });
    const scan = run.operators.find((o: { description: string }) => /l40s_sales_large/.test(o.description));
    expect(scan.outputRows).toBe(50_000);
    expect(run.stages.map((x: { stage: string }) => x.stage)).toEqual(['register', 'plan', 'execute', 'output']);
    expect(run.explain).toMatch(/Physical Plan \(analyzed\)/);
    expect(run.machine).toMatchObject({ cpus: expect.any(Number), node: process.version });

    const runs = await s.request('GET', `/api/v1/runs?dataset=sales&backend=engine`);
    expect(runs.body.map((r: { id: string }) => r.id)).toContain(run.id);
    const one = await s.request('GET', `/api/v1/runs/${run.id}`);
    expect(one.body.operators).toHaveLength(run.operators.length);

    // a second run, and the two compared
    const sub2 = await s.request('POST', '/api/v1/jobs', { body: { sql: 'SELECT count(*) AS n FROM l40s_sales_large', dataset: 'sales' } });
    const job2 = await s.waitForJob(sub2.body.id, (j) => TERMINAL.includes(j.status));
    expect(job2.rows).toEqual([{ n: 50_000 }]);
    const cmp = await s.request('GET', `/api/v1/runs/compare?ids=${run.id}&ids=${job2.runId}`);
    expect(cmp.status).toBe(200);
    expect(cmp.body.baseline).toBe(run.id);
    expect(cmp.body.runs[0].ratioToBaseline.wallMs).toBe(1);
    expect(cmp.body.stages.map((x: { stage: string }) => x.stage)).toContain('execute');

    const jobs = await s.request('GET', '/api/v1/jobs?status=succeeded');
    expect(jobs.body.map((j: { id: string }) => j.id)).toEqual(expect.arrayContaining([sub.body.id, sub2.body.id]));
  });

  it('an SQL error fails the job with the engine message', async () => {
    const sub = await s.request('POST', '/api/v1/jobs', { body: { sql: 'SELECT nope FROM l40s_sales_large', backend: 'engine', dataset: 'sales' } });
    const job = await s.waitForJob(sub.body.id, (j) => TERMINAL.includes(j.status));
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/column "nope" does not exist/);
    expect(job.run).toBeNull();
    expect(job.rows).toEqual([]);
  });

  it("another workspace's jobs and runs are invisible (404), and lists stay separate", async () => {
    const sub = await s.request('POST', '/api/v1/jobs', { body: { sql: 'SELECT 1 AS one', dataset: 'sales' } });
    const job = await s.waitForJob(sub.body.id, (j) => TERMINAL.includes(j.status));
    expect(job.status).toBe('succeeded');
    expect((await s.request('GET', `/api/v1/jobs/${sub.body.id}`, { key: s.keyB })).status).toBe(404);
    expect((await s.request('POST', `/api/v1/jobs/${sub.body.id}/cancel`, { key: s.keyB, body: {} })).status).toBe(404);
    expect((await s.request('GET', `/api/v1/runs/${job.runId}`, { key: s.keyB })).status).toBe(404);
    expect((await s.request('GET', '/api/v1/jobs', { key: s.keyB })).body).toEqual([]);
    expect((await s.request('GET', '/api/v1/runs', { key: s.keyB })).body).toEqual([]);
    const trpc = await s.request('GET', `/trpc/job.get?input=${encodeURIComponent(JSON.stringify({ id: sub.body.id }))}`, { key: s.keyB });
    expect(trpc.status).toBe(404);
  });

  it('malformed input → 400 naming the field', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/v1/jobs', { backend: 'engine', dataset: 'sales' }, 'sql'],
      ['POST', '/api/v1/jobs', { sql: 'SELECT 1', backend: 'oracle' }, 'backend'],
      ['POST', '/api/v1/jobs', { sql: 'SELECT 1', timeoutMs: 'soon' }, 'timeoutMs'],
      ['POST', '/api/v1/jobs', { sql: '   ' }, 'sql'],
      ['GET', '/api/v1/jobs/not-a-uuid', undefined, 'id'],
      ['GET', '/api/v1/runs?limit=0', undefined, 'limit'],
    ];
    for (const [method, p, body, field] of cases) {
      const r = await s.request(method, p, { body });
      expect(r.status, `${method} ${p} ${JSON.stringify(body)}`).toBe(400);
      expect(r.body.data.fields, JSON.stringify(r.body)).toContain(field);
      expect(r.body.issues.map((i: { path: string[] }) => i.path.join('.'))).toContain(field);
    }
    const unknownDataset = await s.request('POST', '/api/v1/jobs', { body: { sql: 'SELECT 1', dataset: 'nope' } });
    expect(unknownDataset.status).toBe(400);
    expect(unknownDataset.body.message).toMatch(/^dataset: "nope" does not exist/);
    const notJson = await s.request('POST', '/api/v1/jobs', { body: '{"sql": ' });
    expect(notJson.status).toBe(400);
    const trpc = await s.request('POST', '/trpc/job.submit', { body: { backend: 'engine' } });
    expect(trpc.status).toBe(400);
    expect(trpc.body.error.message).toMatch(/sql/);
  });

  it('backends that are not there yet say so', async () => {
    for (const backend of ['duckdb', 'polars']) {
      const r = await s.request('POST', '/api/v1/jobs', { body: { sql: 'SELECT 1', backend, dataset: 'sales' } });
      expect(r.status).toBe(400);
      expect(r.body.message).toBe(`backend "${backend}" is not available yet`);
    }
  });

  it('the OpenAPI document lists the paths with bearer auth', async () => {
    const r = await s.request('GET', '/api/v1/openapi.json', { key: null });
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    // Other routers add their paths too: these must be among them.
    expect(Object.keys(r.body.paths)).toEqual(
      expect.arrayContaining(['/datasets', '/datasets/{name}', '/jobs', '/jobs/{id}', '/jobs/{id}/cancel', '/phases', '/runs', '/runs/compare', '/runs/{id}', '/workloads']),
    );
    expect(r.body.paths['/jobs'].post.requestBody).toBeDefined();
    expect(r.body.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(r.body.servers[0].url).toBe('/api/v1');
  });

  it('workloads and phases come from the catalog', async () => {
    const w = await s.request('GET', '/api/v1/workloads');
    expect(w.status).toBe(200);
    const sales = w.body.find((x: { key: string }) => x.key === 'sales-aggregation');
    expect(sales.dataset).toBe('sales');
    expect(sales.phases.map((p: { order: number }) => p.order)).toEqual([1, 2, 3]);
    const p = await s.request('GET', '/api/v1/phases?workload=sales-aggregation');
    expect(p.body).toHaveLength(3);
    expect((await s.request('GET', '/api/v1/phases?workload=nope')).status).toBe(404);
    // a phase's SQL runs as a job tied to the phase
    const sub = await s.request('POST', '/api/v1/jobs', { body: { sql: p.body[0].sql, dataset: 'sales', phaseId: p.body[0].id } });
    const job = await s.waitForJob(sub.body.id, (j) => TERMINAL.includes(j.status));
    expect(job.status, job.error).toBe('succeeded');
    const runs = await s.request('GET', `/api/v1/runs?phaseId=${p.body[0].id}`);
    expect(runs.body.map((r: { id: string }) => r.id)).toEqual([job.runId]);
  });

  it('job.progress streams over SSE (tRPC subscription) until the job ends', async () => {
    const sub = await s.request('POST', '/api/v1/jobs', { body: { sql: SQL, dataset: 'sales' } });
    const input = encodeURIComponent(JSON.stringify({ id: sub.body.id }));
    const res = await fetch(`${s.api.url}/trpc/job.progress?input=${input}`, {
      headers: { Authorization: `Bearer ${s.keyA}`, Accept: 'text/event-stream' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const states: { status: string; progress: { stage: string } | null }[] = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = text.indexOf('\n\n')) >= 0) {
        const frame = text.slice(0, cut);
        text = text.slice(cut + 2);
        const data = frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (!data || /^event: (connected|ping)/m.test(frame)) continue;
        const parsed = JSON.parse(data);
        if (parsed && typeof parsed === 'object' && 'status' in parsed) states.push(parsed);
      }
      if (states.some((x) => TERMINAL.includes(x.status))) break;
    }
    await reader.cancel().catch(() => {});
    expect(states.length).toBeGreaterThanOrEqual(2);
    expect(states.at(-1)!.status).toBe('succeeded');
    expect(states.some((x) => x.status === 'running')).toBe(true);
  });
});
