import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Int32, Table, tableFromArrays, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { EngineError, SessionContext } from '../../src/index.js';

function salesContext(rows = 5000): SessionContext {
  const ctx = new SessionContext({ batchSize: 1024 });
  const id = Int32Array.from({ length: rows }, (_, i) => i + 1);
  const region = Array.from({ length: rows }, (_, i) => `region_${i % 7}`);
  const qty = Float64Array.from({ length: rows }, (_, i) => (i * 37) % 101);
  ctx.registerArrow('sales', tableFromArrays({ id, region, qty }));
  return ctx;
}

describe('SessionContext', () => {
  it('collects Arrow tables and text rows', async () => {
    const ctx = salesContext();
    const df = await ctx.sql('SELECT region, count(*) AS n, sum(qty) AS total FROM sales GROUP BY region ORDER BY region');
    expect(df.schema.map((f) => f.name)).toEqual(['region', 'n', 'total']);
    const table = await df.collect();
    expect(table.numRows).toBe(7);
    expect(table.getChild('region')!.get(0)).toBe('region_0');
    const { rows } = await df.collectText();
    expect(rows[0][1]).toBe('715');
  });

  it('streams record batches without collecting', async () => {
    const ctx = salesContext();
    const df = await ctx.sql('SELECT id FROM sales WHERE id % 2 = 0');
    let n = 0;
    let batches = 0;
    for await (const b of df.stream()) {
      n += b.numRows;
      batches++;
    }
    expect(n).toBe(2500);
    expect(batches).toBeGreaterThan(1);
  });

  it('explains logical and physical plans, and analyzes with per-operator metrics', async () => {
    const ctx = salesContext();
    const df = await ctx.sql('SELECT region, sum(qty) FROM sales WHERE id > 10 GROUP BY region');
    const text = await df.explain();
    expect(text).toMatch(/== Logical Plan ==/);
    expect(text).toMatch(/TableScan: sales projection=\[id, region, qty\]|TableScan: sales projection=\[.*\], filters=/);
    expect(text).toMatch(/HashAggregateExec: mode=Single/);
    const analyzed = await df.explainJson({ analyze: true });
    expect(analyzed.analyzed).toBe(true);
    expect(analyzed.rows).toBe(7);
    expect(analyzed.operators.metrics.outputRows).toBe(7);
    const scan = findOperator(analyzed.operators, /ScanExec/);
    expect(scan?.metrics.outputRows).toBe(4990);
  });

  it('answers EXPLAIN statements as a one-column result', async () => {
    const ctx = salesContext();
    const { rows, columns } = await (await ctx.sql('EXPLAIN ANALYZE SELECT count(*) FROM sales')).collectText();
    expect(columns.map((c) => c.name)).toEqual(['plan']);
    expect(rows.map((r) => r[0]).join('\n')).toMatch(/output_rows=1/);
  });

  it('reports progress with totals from the sources', async () => {
    const ctx = salesContext();
    const seen: number[] = [];
    // (a bare count(*) reads nothing: aggregate_statistics answers it from the row count)
    await (await ctx.sql('SELECT count(*) FROM sales WHERE id >= 0')).collect({ onProgress: (p) => seen.push(p.rowsRead), progressIntervalMs: 0 });
    expect(seen.at(-1)).toBe(5000);
  });

  it('answers a bare COUNT(*) from the row count (aggregate_statistics), and only then', async () => {
    const ctx = salesContext(3000);
    const plan = async (q: string) => (await (await ctx.sql(`EXPLAIN ${q}`)).collectText()).rows.map((r) => r.join(' ')).join('\n');
    const run = async (q: string) => (await (await ctx.sql(q)).collectText()).rows;
    expect(await plan('SELECT count(*), count(*) AS n FROM sales')).toContain('Values: (3000)');
    expect(await run('SELECT count(*), count(*) + 1 AS n FROM sales')).toEqual([['3000', '3001']]);
    // a WHERE, a GROUP BY, a counted column or a DISTINCT keep the scan
    for (const q of ['SELECT count(*) FROM sales WHERE id > 10', 'SELECT region, count(*) FROM sales GROUP BY region', 'SELECT count(qty), count(*) FROM sales', 'SELECT count(DISTINCT region) FROM sales']) {
      expect(await plan(q)).not.toContain('Values:');
    }
    expect(await run('SELECT count(*) FROM sales WHERE id > 10')).toEqual([['2990']]);
    // a source without a known row count (CSV) is scanned
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phaselab-count-'));
    fs.writeFileSync(path.join(dir, 't.csv'), 'a\n1\n2\n3\n');
    await ctx.registerFile('c', path.join(dir, 't.csv'));
    expect(await plan('SELECT count(*) FROM c')).not.toContain('Values:');
    expect(await run('SELECT count(*) FROM c')).toEqual([['3']]);
  });

  it('answers a bare MIN/MAX of an in-memory integer column from its range, the rest aggregated', async () => {
    const ctx = salesContext(3000);
    const score = vectorFromArray(Array.from({ length: 40 }, (_, i) => (i % 5 === 0 ? null : (i * 17) % 23 - 11)), new Int32());
    ctx.registerArrow('scores', new Table({ score }));
    const plan = async (q: string) => (await (await ctx.sql(`EXPLAIN ${q}`)).collectText()).rows.map((r) => r.join(' ')).join('\n');
    const run = async (q: string) => (await (await ctx.sql(q)).collectText()).rows;
    expect(await plan('SELECT min(id), max(id), count(*) FROM sales')).toContain('Values: (1, 3000, 3000)');
    expect(await run('SELECT min(id), max(id) + 1, count(*) FROM sales')).toEqual([['1', '3001', '3000']]);
    // SUM and a float column's MAX (NaN orders above numbers in SQL, the range skips it) are still aggregated
    const mixed = await plan('SELECT sum(id), min(id), max(qty) FROM sales');
    expect(mixed).toMatch(/Projection: .*1 AS min/);
    expect(mixed).toContain('aggr=[[sum(id), max(qty)]]');
    expect(await run('SELECT sum(id), min(id), max(qty) FROM sales')).toEqual([[String((3000 * 3001) / 2), '1', '100']]);
    // NULLs are not values: the range is of the others, as MIN/MAX ignore them
    const values = Array.from({ length: 40 }, (_, i) => (i % 5 === 0 ? null : (i * 17) % 23 - 11)).filter((v): v is number => v !== null);
    expect(await plan('SELECT min(score), max(score) FROM scores')).toContain('Values:');
    expect(await run('SELECT min(score), max(score) FROM scores')).toEqual([[String(Math.min(...values)), String(Math.max(...values))]]);
    // a WHERE, a GROUP BY or a FILTER keep the aggregate
    for (const q of ['SELECT min(id) FROM sales WHERE id > 10', 'SELECT region, max(id) FROM sales GROUP BY region', 'SELECT max(id) FILTER (WHERE qty > 50) FROM sales']) {
      expect(await plan(q)).not.toMatch(/Values:|\d+ AS max|\d+ AS min/);
    }
    expect(await run('SELECT min(id) FROM sales WHERE id > 10')).toEqual([['11']]);
  });

  it('cancels a running query through an AbortSignal', async () => {
    const ctx = salesContext(200_000);
    const controller = new AbortController();
    const df = await ctx.sql('SELECT a.region, count(*) FROM sales a GROUP BY a.region');
    const run = df.collect({
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: (p) => {
        if (p.rowsRead > 10_000) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('names the problem and its position in invalid SQL', async () => {
    const ctx = salesContext();
    await expect(ctx.sql('SELECT nope FROM sales')).rejects.toMatchObject({ code: 'undefined_column', position: 7 });
    await expect(ctx.sql('SELECT * FROM nowhere')).rejects.toMatchObject({ code: 'undefined_table', message: 'relation "nowhere" does not exist' });
    const err = await ctx.sql('SELEC 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).message).toMatch(/syntax error at or near "SELEC"/);
  });

  it('fails a query on division by zero at run time', async () => {
    const ctx = salesContext();
    const df = await ctx.sql('SELECT id / (id - id) FROM sales');
    await expect(df.collect()).rejects.toMatchObject({ code: 'division_by_zero', message: 'division by zero' });
  });

  it('enforces the memory limit with an error naming the operator', async () => {
    const ctx = new SessionContext({ memoryLimit: 64 * 1024 });
    const rows = 100_000;
    ctx.registerArrow('t', tableFromArrays({ id: Int32Array.from({ length: rows }, (_, i) => i) }));
    const df = await ctx.sql('SELECT id FROM t ORDER BY id DESC');
    await expect(df.collect()).rejects.toMatchObject({ code: 'resources_exhausted', message: expect.stringMatching(/memory limit .* in \w+/) });
  });

  it('writes results as Parquet, Arrow IPC and CSV that read back the same', async () => {
    const ctx = salesContext(300);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phaselab-session-'));
    const df = await ctx.sql('SELECT id, region, qty FROM sales WHERE id <= 100');
    const expected = (await df.collectText()).rows;
    for (const ext of ['parquet', 'arrow', 'csv']) {
      const file = path.join(dir, `out.${ext}`);
      await df.write(file);
      const back = new SessionContext();
      await back.registerFile('t', file);
      const { rows } = await (await back.sql('SELECT id, region, qty FROM t ORDER BY id')).collectText();
      expect(rows, ext).toEqual(expected);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

function findOperator(op: { name: string; children: any[]; metrics: { outputRows: number } }, re: RegExp): typeof op | undefined {
  if (re.test(op.name)) return op;
  for (const c of op.children) {
    const f = findOperator(c, re);
    if (f) return f;
  }
  return undefined;
}
