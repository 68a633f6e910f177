/**
 * Makes a spare job runner (warm-runners.ts) truly warm before it says 'ready': the first Parquet
 * scan of a process starts the decoder thread and compiles parquet-wasm there (~0.3-0.4 s here),
 * and the first query loads the SQL parser; the first partitioned query starts one worker thread per
 * core, each loading the engine bundle and parquet-wasm (~0.3 s more). Done once on a throwaway
 * file with a row group per partition, off any job's clock, so a job's measured time is the
 * query's and not the process's start-up.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SessionContext, writeParquet } from '@phaselab/engine';

export async function warmUpRunner(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phaselab-runner-warmup-'));
  try {
    const file = path.join(dir, 'warmup.parquet');
    const writer = new SessionContext();
    await (await writer.sql('SELECT 1 AS id, 2.5 AS amount, \'x\' AS label')).write(file, 'parquet');
    const ctx = new SessionContext();
    await ctx.registerFile('warmup', file);
    const df = await ctx.sql('SELECT label, count(*) AS n, sum(amount) AS total FROM warmup WHERE id > 0 GROUP BY label ORDER BY label');
    for await (const b of df.streamBatches({})) void b;
    // The partition workers: a multi-row-group file and a parallel threshold of one row.
    const partitions = ctx.options.parallel.partitions;
    if (partitions > 1) {
      const wide = path.join(dir, 'warmup-partitions.parquet');
      const values = Array.from({ length: partitions * 16 }, (_, i) => `(${i}, '${i % 3}', ${i}.5)`).join(', ');
      const src = await writer.sql(`SELECT * FROM (VALUES ${values}) AS v(id, label, amount)`);
      await writeParquet(wide, src.schema, src.streamBatches({}), { rowGroupSize: 16 });
      const par = new SessionContext({ parallel: { minRows: 1 } });
      await par.registerFile('warmup', wide);
      for await (const b of (await par.sql('SELECT label, count(*) AS n, sum(amount) AS total FROM warmup GROUP BY label')).streamBatches({})) void b;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
