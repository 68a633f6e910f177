/**
 * The medallion pipeline on a small dirty finance dataset: staged and one-pass give the same gold
 * table, the data-quality counts equal the dirt the generator recorded, and PostgreSQL (the same
 * data loaded with COPY, the same stage SQL) computes the same gold table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DQ_DUPLICATE_RULE, DQ_RULES, generateDataset, goldSql, loadDatasetIntoPostgres, runMedallion, silverSql, type Manifest, type PipelineResult } from '../src/index.js';
import { rowsOf, tmpDir } from './helpers.js';
import { SessionContext } from '@phaselab/engine';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function databaseUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const pgScript = (await import(path.join(ROOT, 'scripts/pg.mjs'))) as { ensurePostgres(): Promise<string> };
  return pgScript.ensurePostgres();
}

async function goldRows(file: string): Promise<(string | null)[][]> {
  const ctx = new SessionContext();
  await ctx.registerFile('gold', file);
  return rowsOf(ctx, 'SELECT * FROM gold ORDER BY 1, 2, 3, 4');
}

describe('medallion pipeline', () => {
  let data: string;
  let manifest: Manifest;
  let staged: PipelineResult;
  let onePass: PipelineResult;
  const out = tmpDir('pipeline-out');

  beforeAll(async () => {
    data = tmpDir('pipeline-data');
    // Higher dirt rates than the defaults so every rule fires many times in 20k rows.
    manifest = await generateDataset({ dataset: 'finance', rows: 20_000, outDir: data, seed: 7, dirt: 0.02 });
    staged = await runMedallion({ dataDir: data, outDir: path.join(out, 'staged'), mode: 'staged' });
    onePass = await runMedallion({ dataDir: data, outDir: path.join(out, 'one-pass'), mode: 'one-pass' });
  });
  afterAll(() => {
    fs.rmSync(data, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('staged writes every layer, one-pass only gold', () => {
    expect(staged.stages.map((s) => s.name)).toEqual(['bronze', 'dq (full)', 'silver', 'gold']);
    for (const f of ['bronze/transactions.parquet', 'silver/transactions.parquet', 'gold/daily_fact.parquet']) expect(fs.existsSync(path.join(out, 'staged', f))).toBe(true);
    expect(fs.readdirSync(path.join(out, 'one-pass'))).toEqual(['gold']);
    expect(staged.stages[0].rowsOut).toBe(20_000);
    expect(staged.stages[2].rowsOut).toBeLessThan(20_000);
    expect(onePass.peakRssBytes).toBeGreaterThan(0);
  });

  it('staged and one-pass give the same gold table', async () => {
    const a = await goldRows(staged.goldFile);
    const b = await goldRows(onePass.goldFile);
    expect(a.length).toBeGreaterThan(100);
    expect(b).toEqual(a);
    expect(onePass.goldRows).toBe(a.length);
  });

  it('the DQ counts equal the dirt the manifest recorded', () => {
    const injected = manifest.dirt.injectedCounts;
    for (const r of [...DQ_RULES.map((x) => x.name), DQ_DUPLICATE_RULE]) {
      expect(injected[r], r).toBeGreaterThan(50);
      expect(staged.dq.counts[r], r).toBe(injected[r]);
      expect(onePass.dq.counts[r], r).toBe(injected[r]);
    }
  });

  it('sampled DQ checks every 10th transaction id and scales its counts', async () => {
    const s = await runMedallion({ dataDir: data, outDir: path.join(out, 'sampled'), mode: 'one-pass', dq: 'sampled' });
    expect(s.dq.rowsChecked).toBeGreaterThan(1_500);
    expect(s.dq.rowsChecked).toBeLessThan(2_500);
    expect(s.dq.estimated.null_amount).toBe(s.dq.counts.null_amount * 10);
    expect(await goldRows(s.goldFile)).toEqual(await goldRows(onePass.goldFile));
  });

  it('PostgreSQL computes the same gold table from the same data', async () => {
    const client = new pg.Client({ connectionString: await databaseUrl() });
    await client.connect();
    const schema = `wl_pipeline_${process.pid}_${Date.now()}`;
    try {
      await loadDatasetIntoPostgres(client, data, schema);
      await client.query(`SET search_path TO "${schema}"`);
      const res = await client.query({ text: `SELECT * FROM (${goldSql(`(${silverSql('transactions')})`)}) g ORDER BY 1, 2, 3, 4`, rowMode: 'array', types: { getTypeParser: () => (v: string) => v } });
      const expected = res.rows as (string | null)[][];
      expect(expected.length).toBeGreaterThan(100);
      expect(await goldRows(onePass.goldFile)).toEqual(expected);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
      await client.end();
    }
  });

  it('rejects a directory that is not a finance dataset', async () => {
    await expect(runMedallion({ dataDir: out, outDir: path.join(out, 'x'), mode: 'staged' })).rejects.toThrow(/manifest/);
  });
});
