/** The catalog as data: every workload names a dataset that exists, and every query runs on it. */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DATASETS, WORKLOADS, findWorkload, generateDataset } from '../src/index.js';
import { rowsOf, sessionFor, tmpDir } from './helpers.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('workload catalog', () => {
  it('holds the four seed workloads, each with queries and phases', () => {
    expect(WORKLOADS.map((w) => w.key)).toEqual(['medallion', 'charts_by_age', 'pgstrom_suite', 'aggregation_modes']);
    for (const w of WORKLOADS) {
      expect(DATASETS[w.dataset], w.key).toBeDefined();
      expect(w.queries.length).toBeGreaterThan(0);
      expect(w.phases.length).toBeGreaterThan(1);
      expect(new Set(w.queries.map((q) => q.id)).size).toBe(w.queries.length);
    }
    expect(findWorkload('pgstrom_suite')!.queries).toHaveLength(14);
    expect(findWorkload('nope')).toBeUndefined();
  });

  for (const w of WORKLOADS) {
    it(`${w.key}: every query and phase runs on the engine`, async () => {
      const dir = tmpDir(`catalog-${w.key}`);
      dirs.push(dir);
      await generateDataset({ dataset: w.dataset, rows: 3000, outDir: dir, seed: 3 });
      const ctx = await sessionFor(dir);
      for (const q of w.queries) {
        const rows = await rowsOf(ctx, q.benchSql ?? q.sql);
        // HAVING COUNT(*) > 50000 keeps no group of a 3000-row table
        if (q.id === 'a5_having') expect(rows).toEqual([]);
        else expect(rows.length, q.id).toBeGreaterThan(0);
      }
      for (const p of w.phases) expect((await rowsOf(ctx, p.sql)).length, p.name).toBeGreaterThan(0);
    });
  }

  it('charts_by_age ranks ten tracks per age group', async () => {
    const dir = tmpDir('catalog-charts');
    dirs.push(dir);
    await generateDataset({ dataset: 'music', rows: 20_000, outDir: dir, seed: 5 });
    const ctx = await sessionFor(dir);
    const rows = await rowsOf(ctx, findWorkload('charts_by_age')!.queries[0].sql);
    const groups = new Map<string, number[]>();
    for (const r of rows) groups.set(r[0]!, [...(groups.get(r[0]!) ?? []), Number(r[5])]);
    expect([...groups.keys()].sort()).toEqual(['10s', '20s', '30s', '40s', '50s', '60+']);
    for (const plays of groups.values()) {
      expect(plays).toHaveLength(10);
      expect([...plays].sort((a, b) => b - a)).toEqual(plays);
    }
  });
});
