/** The Phaselab engine: cold = a new session over the files per query; hot = tables held as batches. */
import { SessionContext } from '@phaselab/engine';
import type { Rows } from '../compare.js';
import type { Mode } from '../args.js';
import type { BenchEngine, DatasetFiles } from './types.js';

export class PhaselabEngine implements BenchEngine {
  readonly name = 'engine';
  readonly version = '0.1.0';
  private data: DatasetFiles | null = null;
  private hotCtx: SessionContext | null = null;

  constructor(readonly mode: Mode) {}

  async prepare(data: DatasetFiles): Promise<void> {
    this.data = data;
    if (this.mode === 'hot') {
      const ctx = new SessionContext();
      for (const [name, file] of Object.entries(data.tables)) {
        const load = new SessionContext();
        await load.registerFile(name, file);
        const { schema, batches } = await (await load.sql(`SELECT * FROM "${name}"`)).collectBatches();
        ctx.registerBatches(name, schema, batches);
      }
      this.hotCtx = ctx;
    }
  }

  async run(sql: string): Promise<Rows> {
    let ctx = this.hotCtx;
    if (!ctx) {
      // Cold: a fresh session per query, so nothing read by an earlier run is reused.
      ctx = new SessionContext();
      for (const [name, file] of Object.entries(this.data!.tables)) await ctx.registerFile(name, file);
    }
    return (await (await ctx.sql(sql)).collectText()).rows;
  }

  async close(): Promise<void> {
    this.hotCtx = null;
  }
}
