/**
 * A whole bench run at 1k rows on the engine, DuckDB and PostgreSQL (real server, COPY-loaded):
 * every query answers on every engine, the answers agree, the report carries what the JSON promises,
 * and --post sends one run per measurement to a local HTTP server in the API's shape.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTable, parseBenchArgs, postRuns, runBench, type BenchReport } from '../src/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
async function databaseUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const pg = (await import(path.join(ROOT, 'scripts/pg.mjs'))) as { ensurePostgres(): Promise<string> };
  return pg.ensurePostgres();
}

describe('bench end to end', () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cache-'));
  let report: BenchReport;
  beforeAll(async () => {
    const args = parseBenchArgs(['--suite', 'aggregation_modes', '--rows', '1k', '--engines', 'engine,duckdb,postgres', '--runs', '2', '--cache', cache]);
    report = await runBench(args, { databaseUrl, progress: false });
  });
  afterAll(() => fs.rmSync(cache, { recursive: true, force: true }));

  it('runs every query on every engine in both modes, with matching answers', () => {
    expect(report.results).toHaveLength(4 * 3 * 2);
    for (const r of report.results) {
      expect(r.error, `${r.mode} ${r.engine} ${r.query}`).toBeNull();
      expect(r.mismatch, `${r.mode} ${r.engine} ${r.query}`).toBeNull();
      expect(r.runsMs).toHaveLength(2);
      expect(r.minMs).toBeLessThanOrEqual(r.medianMs);
      expect(r.maxMs).toBeGreaterThanOrEqual(r.medianMs);
    }
    expect(report.results.find((r) => r.query === 'low_cardinality')!.rows).toBe(10);
    expect(report.loadMs.postgres).toBeGreaterThan(0);
    expect(report.versions.postgres).toMatch(/^PostgreSQL \d+/);
    expect(report.versions.duckdb).toMatch(/DuckDB v\d/);
    expect(report.machine.cpus).toBeGreaterThan(0);
    expect(report.machine.memoryBytes).toBeGreaterThan(0);
  });

  it('reuses the cached data on a second run and runs only the chosen queries', async () => {
    const args = parseBenchArgs(['--suite', 'aggregation_modes', '--rows', '1k', '--engines', 'engine,duckdb', '--runs', '1', '--modes', 'hot', '--cache', cache, '--queries', 'low_cardinality']);
    const again = await runBench(args, { progress: false });
    expect(again.generateMs).toBeNull();
    expect(again.results).toHaveLength(2);
  });

  it('prints medians and ratios to the engine', () => {
    const text = formatTable(report);
    expect(text).toMatch(/duckdb\/engine/);
    expect(text).toMatch(/country_job/);
    expect(text).not.toMatch(/\] !/);
  });

  it('--post sends each measurement as a run with the API key', async () => {
    const received: { auth: string | undefined; body: Record<string, unknown> }[] = [];
    const server = http.createServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        received.push({ auth: req.headers.authorization, body: JSON.parse(data) });
        res.writeHead(req.url === '/api/v1/runs' ? 200 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `run-${received.length}` }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as { port: number };
      const ids = await postRuns(`http://127.0.0.1:${port}`, report, 'test-key');
      expect(ids).toHaveLength(report.results.length);
      expect(received[0].auth).toBe('Bearer test-key');
      expect(received[0].body).toMatchObject({ engine: 'engine', dataset: 'salary', workload: 'aggregation_modes', rowsScale: 1000, labels: { mode: 'cold', query: 'country_job' } });
      await expect(postRuns(`http://127.0.0.1:${port}`, report, '')).rejects.toThrow(/PHASELAB_API_KEY/);
    } finally {
      server.close();
    }
  });
});
