/** The Phaselab engine: cold = a new session over the files per query; hot = tables held as batches. */
import { SessionContext, type SessionOptions } from '@phaselab/engine';
import type { Rows } from '../compare.js';
import type { EngineOptions, Mode } from '../args.js';
import type { BenchEngine, DatasetFiles } from './types.js';

export class PhaselabEngine implements BenchEngine {
  readonly name = 'engine';
  readonly version = '0.1.0';
  private data: DatasetFiles | null = null;
  private hotCtx: SessionContext | null = null;

  private readonly session: SessionOptions;

  constructor(readonly mode: Mode, options: EngineOptions = { partitions: null, skipPartial: true }) {
    this.session = {
      ...(options.partitions === null ? {} : { partitions: options.partitions }),
      // a ratio no group count can exceed: the partial step never gives up
      ...(options.skipPartial ? {} : { parallel: { skipPartialRatio: Number.POSITIVE_INFINITY } }),
    };
  }

  async prepare(data: DatasetFiles): Promise<void> {
    this.data = data;
    if (this.mode === 'hot') {
      const ctx = new SessionContext(this.session);
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
      ctx = new SessionContext(this.session);
      for (const [name, file] of Object.entries(this.data!.tables)) await ctx.registerFile(name, file);
    }
    return (await (await ctx.sql(sql)).collectText()).rows;
  }

  async close(): Promise<void> {
    this.hotCtx = null;
  }
}
