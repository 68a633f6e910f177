/**
 * The probe of the postgres/pgstrom backends' server (routers/backend.ts) and the GPU monitor series
 * on a postgres run, against the real local PostgreSQL (no PG-Strom, no GPU on these machines).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { datasetSchema, MAX_MONITOR_TIMES, monitorRecord } from '../src/jobs/backends/postgres.js';
import { createStack, dropRoles, TERMINAL, type Stack } from './harness.js';

const SECRET = 'pw-never-shown-9f3a';

/** A stand-in nvidia-smi (not a GPU): answers -L and streams nvidia-smi's CSV lines for two GPUs until killed. */
function standInNvidiaSmi(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smi-api-'));
  const script = path.join(dir, 'nvidia-smi');
  fs.writeFileSync(
    script,
    '#!/bin/sh\nif [ "$1" = "-L" ]; then echo "GPU 0: Stand-in A (UUID: GPU-0)"; echo "GPU 1: Stand-in B (UUID: GPU-1)"; exit 0; fi\n' +
      'i=0\nwhile true; do echo "0, $((i*10 % 100)), $((1000+i)), 46068, $((40+i % 5))"; echo "1, 0, 500, 46068, 38"; i=$((i+1)); sleep 0.1; done\n',
  );
  fs.chmodSync(script, 0o755);
  return script;
}

describe('backend probe and GPU monitor', () => {
  let s: Stack;
  const roles: string[] = [];
  const savedTarget = process.env.PGSTROM_URL;
  beforeAll(async () => {
    delete process.env.PGSTROM_URL;
    s = await createStack();
  });
  afterEach(() => {
    if (savedTarget === undefined) delete process.env.PGSTROM_URL;
    else process.env.PGSTROM_URL = savedTarget;
  });
  afterAll(async () => {
    await s?.close();
    await dropRoles(roles);
  });

  it('GET /api/v1/backends/probe needs a key, and probes the platform PostgreSQL: no PG-Strom here, with the reason', async () => {
    const anon = await s.request('GET', '/api/v1/backends/probe', { key: null });
    expect(anon.status).toBe(401);
    const bad = await s.request('GET', '/api/v1/backends/probe', { key: 'plk_nope' });
    expect(bad.status).toBe(401);

    const r = await s.request('GET', '/api/v1/backends/probe');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const p = r.body;
    expect(p.target).toMatchObject({ source: 'DATABASE_URL', backends: ['postgres', 'pgstrom'] });
    expect(p.target.url).toBe(new URL(s.url).toString());
    expect(p.server.version).toMatch(/^1\d/);
    expect(p.database).toBe(new URL(s.url).pathname.slice(1));
    expect(p.pgStrom).toMatchObject({ installed: false, preloaded: false, extensionInstalled: false, extensionVersion: null, settingsPresent: false });
    expect(p.pgStrom.reason).toMatch(/pg_strom is not in shared_preload_libraries/);
    expect(p.gpus).toMatchObject({ available: false, count: 0, devices: [], reason: expect.any(String) });
    expect(p.arrowFdw).toMatchObject({ available: false, reason: expect.stringMatching(/arrow_fdw/) });
    expect(p.settings['pg_strom.enabled']).toBeNull();
    expect(p.settings['max_parallel_workers_per_gather']).toMatch(/^\d+$/);
    expect(p.monitor).toMatchObject({ available: expect.any(Boolean), host: expect.any(String) });
    expect('url' in p).toBe(false);

    // the tRPC procedure answers the same
    const t = await fetch(`${s.api.url}/trpc/backend.probe?input=${encodeURIComponent(JSON.stringify({}))}`, { headers: { Authorization: `Bearer ${s.keyA}` } });
    expect(t.status).toBe(200);
    expect(((await t.json()) as { result: { data: { pgStrom: { installed: boolean } } } }).result.data.pgStrom.installed).toBe(false);
  });

  it('probes PGSTROM_URL when set, and never shows its password (user info or query parameter)', async () => {
    for (const form of ['userinfo', 'query'] as const) {
      const u = new URL(s.url);
      if (form === 'userinfo') u.password = SECRET;
      else u.searchParams.set('password', SECRET);
      process.env.PGSTROM_URL = u.toString(); // trust auth: the password is accepted and ignored
      const r = await s.request('GET', '/api/v1/backends/probe');
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.target.source).toBe('PGSTROM_URL');
      expect(r.body.target.url).toMatch(/\*\*\*/);
      expect(r.body.pgStrom.installed).toBe(false);
      expect(JSON.stringify(r.body)).not.toContain(SECRET);
    }
    // a server that is not there: 503 naming it, still without the password
    const down = new URL(s.url);
    down.password = SECRET;
    down.port = '1';
    process.env.PGSTROM_URL = down.toString();
    const r = await s.request('GET', '/api/v1/backends/probe');
    expect(r.status).toBe(503);
    expect(JSON.stringify(r.body)).toMatch(/probe \(PGSTROM_URL\) failed: cannot connect to postgres(ql)?:\/\/postgres:\*\*\*@127\.0\.0\.1:1\//);
    expect(JSON.stringify(r.body)).not.toContain(SECRET);
  });

  it('a postgres run stores the nvidia-smi samples (offset, per-GPU utilization, memory, temperature) when the monitor yields them', async () => {
    await s.startWorker({ PHASELAB_NVIDIA_SMI: standInNvidiaSmi() });
    const j = await s.request('POST', '/api/v1/jobs', { body: { sql: 'SELECT pg_sleep(0.6) AS slept, (SELECT count(*) FROM l40s_sales_large) AS n', backend: 'postgres', dataset: 'sales' } });
    expect(j.status, JSON.stringify(j.body)).toBe(200);
    const done = await s.waitForJob(j.body.id, (x) => TERMINAL.includes(x.status), 90_000);
    expect(done.status, done.error).toBe('succeeded');
    const ds = await s.db.prisma.dataset.findFirstOrThrow({ where: { workspaceId: s.workspaceA, name: 'sales' }, select: { id: true } });
    roles.push(`phaselab_ro_${datasetSchema(ds.id)}`);

    const run = (await s.request('GET', `/api/v1/runs/${done.run.id}`)).body;
    const m = run.gpuMonitor;
    expect(m.available, JSON.stringify(m)).toBe(true);
    expect(m.command).toMatch(/^nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total,temperature.gpu/);
    expect(m.sampleStep).toBe(1);
    expect(m.samples.length).toBeGreaterThanOrEqual(4);
    expect(new Set(m.samples.map((x: { gpu: number }) => x.gpu))).toEqual(new Set([0, 1]));
    const g0 = m.samples.filter((x: { gpu: number }) => x.gpu === 0);
    expect(g0[0]).toEqual({ tMs: expect.any(Number), gpu: 0, utilizationPct: 0, memoryUsedMiB: 1000, memoryTotalMiB: 46068, temperatureC: 40 });
    expect(g0[1].tMs).toBeGreaterThan(g0[0].tMs);
    expect(g0[1].utilizationPct).toBe(10);
    expect(m.perGpu.map((g: { gpu: number }) => g.gpu)).toEqual([0, 1]);
    expect(m.marks.map((k: { label: string }) => k.label)).toEqual(['run 1', 'explain']);
    // stored in the Run's machine JSON (the machine it was sampled on), not repeated in the answer's machine
    const row = await s.db.prisma.run.findUniqueOrThrow({ where: { id: done.run.id }, select: { machine: true } });
    expect((row.machine as { gpuMonitor: { samples: unknown[] } }).gpuMonitor.samples).toHaveLength(m.samples.length);
    expect(run.machine.gpuMonitor).toBeUndefined();
    expect(run.machine.hostname).toEqual(expect.any(String));
    expect(run.explain).toMatch(/gpu monitor \(.*\): GPU0 avg/);
  });

  it('an engine run says why it has no GPU series', async () => {
    const j = await s.request('POST', '/api/v1/jobs', { body: { sql: 'SELECT count(*) AS n FROM l40s_sales_large', backend: 'engine', dataset: 'sales' } });
    const done = await s.waitForJob(j.body.id, (x) => TERMINAL.includes(x.status), 60_000);
    expect(done.status, done.error).toBe('succeeded');
    const run = (await s.request('GET', `/api/v1/runs/${done.run.id}`)).body;
    expect(run.gpuMonitor).toEqual({ available: false, host: expect.any(String), reason: expect.stringMatching(/engine backend runs on the CPU/) });
  });
});

describe('monitorRecord', () => {
  it('keeps an unavailable monitor as its reason, and thins a long series to at most MAX_MONITOR_TIMES sample times', () => {
    expect(monitorRecord({ available: false, host: 'h', reason: 'nvidia-smi is not installed on h' })).toEqual({ available: false, host: 'h', reason: 'nvidia-smi is not installed on h' });
    const n = MAX_MONITOR_TIMES * 2 + 10;
    const samples = Array.from({ length: n }, (_, i) => [0, 1].map((gpu) => ({ tMs: i * 500 + 0.25, gpu, utilizationPct: 33.333, memoryUsedMiB: 10, memoryTotalMiB: 20, temperatureC: 50 }))).flat();
    const r = monitorRecord({ available: true, host: 'h', intervalMs: 500, command: 'nvidia-smi', samples, perGpu: [], marks: [{ label: 'run 1', tMs: 1.6 }] });
    if (!r.available) throw new Error('expected a series');
    expect(r.sampleStep).toBe(3);
    expect(new Set(r.samples.map((x) => x.tMs)).size).toBeLessThanOrEqual(MAX_MONITOR_TIMES);
    expect(r.samples[0]).toEqual({ tMs: 0, gpu: 0, utilizationPct: 33.3, memoryUsedMiB: 10, memoryTotalMiB: 20, temperatureC: 50 });
    expect(r.samples[1].gpu).toBe(1);
    expect(r.marks).toEqual([{ label: 'run 1', tMs: 2 }]);
  });
});
