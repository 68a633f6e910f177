import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, TERMINAL, type Stack } from './harness.js';
import { subscribe } from './sse.js';

const ROWS = 120_000;

describe('dataset.generate (a job run by the workers)', () => {
  let s: Stack;
  let dataDir: string;
  const savedDataDir = process.env.PHASELAB_DATA_DIR;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phaselab-api-datasets-'));
    process.env.PHASELAB_DATA_DIR = dataDir; // the in-process API plans the directory from it
    s = await createStack();
  });
  afterAll(async () => {
    await s?.close();
    if (savedDataDir === undefined) delete process.env.PHASELAB_DATA_DIR;
    else process.env.PHASELAB_DATA_DIR = savedDataDir;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('goes pending → generating → ready with progress events; the files hold the manifest row counts', async () => {
    const w = await s.startWorker({ PHASELAB_DATA_DIR: dataDir });
    // stopped even when an expectation fails: a live worker would take the next test's jobs
    try {
      const r = await s.request('POST', '/api/v1/datasets', { body: { name: 'sales-gen', generator: 'sales', rows: ROWS, seed: 7 } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      // The answer is the row as it is after the enqueue: a worker woken by NOTIFY may already have claimed it.
      expect(r.body).toMatchObject({ name: 'sales-gen', generator: 'sales', rows: ROWS, seed: 7, format: 'parquet', tables: [], error: null });
      expect(['pending', 'generating']).toContain(r.body.status);
      expect(['queued', 'starting', 'generating']).toContain(r.body.progress.stage);

      // A job on a dataset that is not ready yet is refused with the reason.
      const early = await s.request('POST', '/api/v1/jobs', { body: { sql: 'SELECT 1', dataset: 'sales-gen' } });
      expect(early.status).toBe(400);
      expect(early.body.message).toMatch(/sales-gen" is (pending|generating), not ready/);

      const events = await subscribe(s.api.url, 'dataset.progress', { name: 'sales-gen' }, s.keyA, (e) => ['ready', 'failed'].includes(e.status));
      const last = events.at(-1);
      expect(last.status, JSON.stringify(last) + w.output()).toBe('ready');
      expect(last.progress).toMatchObject({ stage: 'done', percent: 100 });
      const generating = events.filter((e) => e.status === 'generating' && e.progress?.stage === 'generating');
      expect(generating.length, JSON.stringify(events)).toBeGreaterThanOrEqual(2);
      const written = generating.map((e) => e.progress.rowsWritten);
      expect([...written].sort((a, b) => a - b)).toEqual(written); // rows written only grow
      expect(generating.at(-1).progress.totalRows).toBe(last.progress.totalRows);
      expect(generating.every((e) => e.progress.percent >= 0 && e.progress.percent < 100 && e.progress.table)).toBe(true);

      const d = (await s.request('GET', '/api/v1/datasets/sales-gen')).body;
      expect(d).toMatchObject({ status: 'ready', rows: ROWS, error: null });
      expect(d.startedAt).not.toBeNull();
      expect(d.finishedAt).not.toBeNull();
      const dir = path.join(dataDir, 'a', 'sales-gen');
      expect(d.directory).toBe(dir);
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
      expect(manifest).toMatchObject({ dataset: 'sales', rows: ROWS, seed: 7, format: 'parquet' });
      expect(d.tables.map((t: any) => [t.name, t.file, t.rows])).toEqual(manifest.tables.map((t: any) => [t.name, t.file, t.rows]));
      for (const t of manifest.tables) expect(fs.statSync(path.join(dir, t.file)).size).toBe(t.bytes);
      expect(fs.readdirSync(path.dirname(dir)).filter((f) => f.includes('.generating-'))).toEqual([]); // no scratch left
      expect(last.progress.totalRows).toBe(manifest.tables.reduce((a: number, t: any) => a + t.rows, 0));

      // The files are real: the engine reads the manifest's row count back.
      const job = await s.request('POST', '/api/v1/jobs', { body: { sql: 'SELECT count(*) AS n FROM l40s_sales_large', dataset: 'sales-gen' } });
      const done = await s.waitForJob(job.body.id, (j) => TERMINAL.includes(j.status));
      expect(done.status, done.error).toBe('succeeded');
      expect(done.rows).toEqual([{ n: manifest.tables.find((t: any) => t.name === 'l40s_sales_large').rows }]);

      // Per workspace: B neither sees A's dataset nor clashes with its name.
      expect((await s.request('GET', '/api/v1/datasets/sales-gen', { key: s.keyB })).status).toBe(404);
      expect((await s.request('GET', '/api/v1/datasets', { key: s.keyB })).body.map((x: any) => x.name)).not.toContain('sales-gen');
      // A second dataset of that name in A is a conflict.
      const again = await s.request('POST', '/api/v1/datasets', { body: { name: 'sales-gen', generator: 'sales', rows: 10 } });
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/already exists/);
    } finally {
      await w.stop();
    }
  });

  it('a generation that fails is recorded as failed with the reason, and can be generated again', async () => {
    // The worker's data directory is a regular file: the generator cannot create its output directory.
    const blocker = path.join(dataDir, 'not-a-directory');
    fs.writeFileSync(blocker, 'x');
    const bad = await s.startWorker({ PHASELAB_DATA_DIR: blocker });
    const r = await s.request('POST', '/api/v1/datasets', { body: { name: 'music-x', generator: 'music', rows: 5000 } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const events = await subscribe(s.api.url, 'dataset.progress', { name: 'music-x' }, s.keyA, (e) => ['ready', 'failed'].includes(e.status), 30_000);
    const last = events.at(-1);
    expect(last.status, bad.output()).toBe('failed');
    expect(last.error).toMatch(/cannot create output directory .*not-a-directory/);
    expect(last.progress.stage).toBe('failed');
    const d = (await s.request('GET', '/api/v1/datasets/music-x')).body;
    expect(d).toMatchObject({ status: 'failed', error: last.error });
    await bad.stop();

    // Same name again, with a worker that can write: generated in place.
    const good = await s.startWorker({ PHASELAB_DATA_DIR: dataDir });
    const retry = await s.request('POST', '/api/v1/datasets', { body: { name: 'music-x', generator: 'music', rows: 5000 } });
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body).toMatchObject({ error: null });
    expect(['pending', 'generating']).toContain(retry.body.status);
    const final = (await subscribe(s.api.url, 'dataset.progress', { name: 'music-x' }, s.keyA, (e) => ['ready', 'failed'].includes(e.status), 30_000)).at(-1);
    expect(final.status, good.output()).toBe('ready');
    expect(fs.existsSync(path.join(dataDir, 'a', 'music-x', 'manifest.json'))).toBe(true);
    await good.stop();
  });

  it('rejects bad input with a 400 naming the field', async () => {
    const cases: [string, unknown][] = [
      ['generator', { name: 'x', generator: 'weather', rows: 10 }],
      ['rows', { name: 'x', generator: 'sales', rows: 0 }],
      ['rows', { name: 'x', generator: 'sales', rows: 2.5 }],
      ['name', { name: '../escape', generator: 'sales', rows: 10 }],
      ['name', { name: '', generator: 'sales', rows: 10 }],
      ['format', { name: 'x', generator: 'sales', rows: 10, format: 'xlsx' }],
      ['seed', { name: 'x', generator: 'sales', rows: 10, seed: -1 }],
    ];
    for (const [field, body] of cases) {
      const r = await s.request('POST', '/api/v1/datasets', { body });
      expect(r.status, `${field}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.data.fields).toContain(field);
    }
    expect(await s.db.prisma.dataset.count({ where: { name: 'x' } })).toBe(0);
  });
});
