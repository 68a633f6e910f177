/**
 * Makes a spare job runner (warm-runners.ts) truly warm before it says 'ready': the first Parquet
 * scan of a process starts the decoder thread and compiles parquet-wasm there (~0.3-0.4 s here),
 * and the first query loads the SQL parser. Done once on a throwaway file, off any job's clock, so a
 * job's measured time is the query's and not the process's start-up.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SessionContext } from '@phaselab/engine';

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
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
