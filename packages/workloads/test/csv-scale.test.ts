/** The engine's CSV reader on generated data: magnitudes past the inference sample still read. */
import fs from 'node:fs';
import path from 'node:path';
import { SessionContext } from '@phaselab/engine';
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../src/index.js';
import { rowsOf, tmpDir } from './helpers.js';

describe('CSV numeric inference', () => {
  it('reads a later row with more integer digits than the first 1000 rows', async () => {
    const dir = tmpDir('csv-scale');
    const file = path.join(dir, 'a.csv');
    const lines = ['amount'];
    for (let i = 0; i < 1500; i++) lines.push((i % 100) + 0.25 + '');
    lines.push('123456789.50');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const ctx = new SessionContext();
    await ctx.registerFile('a', file);
    expect(await rowsOf(ctx, 'SELECT max(amount), count(*) FROM a')).toEqual([['123456789.50', '1501']]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a large CSV without a MaxListeners warning', async () => {
    const dir = tmpDir('csv-listeners');
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      // Many chunks, so the file stream reports back-pressure (drain) many times.
      await generateDataset({ dataset: 'sales', rows: 300_000, outDir: dir, format: 'csv' });
      await new Promise((r) => setTimeout(r, 50));
      expect(fs.statSync(path.join(dir, 'l40s_sales_large.csv')).size).toBeGreaterThan(5_000_000);
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
