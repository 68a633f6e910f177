import type { ColumnStats, ScanOptions, TableSource } from '../../src/catalog.js';
import { batchBytes, makeBatch, type Batch, type Field } from '../../src/types/batch.js';
import { valueAt } from '../../src/types/column.js';

/** A TableSource with row groups and min/max statistics, recording what it was asked. */
export class FakeSource implements TableSource {
  readonly kind: TableSource['kind'];
  readonly location?: string;
  lastOptions: ScanOptions | null = null;
  groupsRead = 0;
  closed = false;
  constructor(readonly schema: readonly Field[], private readonly groups: readonly Batch[], kind: TableSource['kind'] = 'parquet', location = '/data/t.parquet') {
    this.kind = kind;
    if (kind !== 'memory') this.location = location;
  }
  statistics() {
    return { numRows: this.groups.reduce((s, b) => s + b.numRows, 0) };
  }
  async *scan(options: ScanOptions): AsyncGenerator<Batch> {
    this.lastOptions = options;
    try {
      for (const g of this.groups) {
        if (options.keepRowGroup) {
          const stats = new Map<string, ColumnStats>();
          this.schema.forEach((f, c) => {
            let min: number | string | boolean | undefined;
            let max: number | string | boolean | undefined;
            let nulls = 0;
            for (let i = 0; i < g.numRows; i++) {
              const v = valueAt(g.columns[c], i);
              if (v === null) { nulls++; continue; }
              if (min === undefined || v < min) min = v;
              if (max === undefined || v > max) max = v;
            }
            stats.set(f.name, { ...(min !== undefined ? { min, max } : {}), nullCount: nulls });
          });
          if (!options.keepRowGroup(stats, g.numRows)) continue;
        }
        this.groupsRead++;
        const cols = options.columns.map((name) => g.columns[this.schema.findIndex((f) => f.name === name)]);
        const out = makeBatch(options.columns.map((name) => this.schema.find((f) => f.name === name)!), cols, g.numRows);
        options.onRead?.(g.numRows, batchBytes(out));
        yield out;
      }
    } finally {
      this.closed = true;
    }
  }
}
