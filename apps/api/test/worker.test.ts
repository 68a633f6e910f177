import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, LONG_SQL, MEDIUM_SQL, TERMINAL, type Stack } from './harness.js';

describe('worker', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await createStack();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('cancels a long running job: the child is killed, status cancelled, the worker goes on', async () => {
    const w = await s.startWorker();
    const sub = await s.request('POST', '/api/v1/jobs', { body: { sql: LONG_SQL, backend: 'engine', dataset: 'sales' } });
    const running = await s.waitForJob(sub.body.id, (j) => j.status === 'running' && j.progress?.stage === 'execute');
    expect(running.startedAt).not.toBeNull();
    const t0 = Date.now();
    const c = await s.request('POST', `/api/v1/jobs/${sub.body.id}/cancel`, { body: {} });
    expect(c.status).toBe(200);
    expect(c.body).toEqual({ id: sub.body.id, status: 'running' }); // cancellation requested
    const job = await s.waitForJob(sub.body.id, (j) => TERMINAL.includes(j.status), 15_000);
    expect(job.status).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(job.cancelRequestedAt).not.toBeNull();
    expect(job.run).toBeNull();
    // cancelling again is harmless; a queued job cancels at once
    expect((await s.request('POST', `/api/v1/jobs/${sub.body.id}/cancel`, { body: {} })).body.status).toBe('cancelled');

    // the same worker still runs jobs
    const next = await s.request('POST', '/api/v1/jobs', { body: { sql: 'SELECT count(*) AS n FROM l40s_sales_large', dataset: 'sales' } });
    const done = await s.waitForJob(next.body.id, (j) => TERMINAL.includes(j.status));
    expect(done.status).toBe('succeeded');
    expect(done.rows).toEqual([{ n: 50_000 }]);
    await w.stop();
  });

  it('cancels a queued job before any worker takes it', async () => {
    const sub = await s.request('POST', '/api/v1/jobs', { body: { sql: 'SELECT 1', dataset: 'sales' } });
    const c = await s.request('POST', `/api/v1/jobs/${sub.body.id}/cancel`, { body: {} });
    expect(c.body.status).toBe('cancelled');
    const w = await s.startWorker();
    await new Promise((r) => setTimeout(r, 1500));
    const job = (await s.request('GET', `/api/v1/jobs/${sub.body.id}`)).body;
    expect(job.status).toBe('cancelled');
    expect(job.attempts).toBe(0);
    await w.stop();
  });

  it('a job whose worker is killed mid-run is retried by the next worker; with no attempts left it fails with the reason', async () => {
    const w1 = await s.startWorker();
    const retried = await s.request('POST', '/api/v1/jobs', { body: { sql: MEDIUM_SQL, dataset: 'sales' } });
    await s.waitForJob(retried.body.id, (j) => j.status === 'running' && j.progress?.stage === 'execute');
    await w1.kill(); // SIGKILL: no cleanup; its job runner child exits on IPC disconnect
    expect((await s.request('GET', `/api/v1/jobs/${retried.body.id}`)).body.status).toBe('running');

    const w2 = await s.startWorker(); // reclaims on start: w1's pid is gone
    const job = await s.waitForJob(retried.body.id, (j) => TERMINAL.includes(j.status), 60_000);
    expect(job.status, job.error).toBe('succeeded');
    expect(job.attempts).toBe(2);
    expect(job.rows).toEqual([{ pairs: 125_000_000 }]);

    const last = await s.request('POST', '/api/v1/jobs', { body: { sql: MEDIUM_SQL, dataset: 'sales', maxAttempts: 1 } });
    await s.waitForJob(last.body.id, (j) => j.status === 'running' && j.progress?.stage === 'execute');
    await w2.kill();
    const w3 = await s.startWorker();
    const failed = await s.waitForJob(last.body.id, (j) => TERMINAL.includes(j.status), 30_000);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/worker .* stopped while running attempt 1 of 1; no attempts left/);
    expect(failed.finishedAt).not.toBeNull();
    await w3.stop();
  });

  it('a job over its time limit fails with the reason, and the worker survives', async () => {
    const w = await s.startWorker();
    const sub = await s.request('POST', '/api/v1/jobs', { body: { sql: LONG_SQL, dataset: 'sales', timeoutMs: 1500 } });
    const job = await s.waitForJob(sub.body.id, (j) => TERMINAL.includes(j.status), 30_000);
    expect(job.status).toBe('failed');
    expect(job.error).toBe('timed out after 1500 ms');
    expect(w.proc.exitCode).toBeNull();
    await w.stop();
  });
});
