import type { Batch, Field } from './types/batch.js';

/** Min/max/null statistics of one column in one row group (values in the column storage domain). */
export interface ColumnStats {
  readonly min?: number | string | boolean;
  readonly max?: number | string | boolean;
  readonly nullCount?: number;
}

export interface ScanOptions {
  /** Source column names to decode, in output order. Only these are read from disk. */
  readonly columns: readonly string[];
  /**
   * Row-group pruning hook: called with the statistics of each row group (keyed by column name);
   * returning false skips the group. Advisory: the scan operator still filters rows exactly.
   */
  readonly keepRowGroup?: (stats: ReadonlyMap<string, ColumnStats>, numRows: number) => boolean;
  /** Preferred rows per batch (sources may return bigger or smaller batches). */
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
  /** Called as raw input is consumed: rows decoded and bytes read from storage. */
  readonly onRead?: (rows: number, bytes: number) => void;
  /**
   * Read only this share of the table (parallel execution: one partition per worker thread).
   * Sources split by storage unit (row group, record batch), round-robin, so every unit is read by
   * exactly one of the `count` partitions.
   */
  readonly partition?: ScanPartition;
  /**
   * The plan above holds every row before it works on them (a sort, top-k or window over this
   * scan, through filters and projections): the calling thread is idle while the scan runs, so a
   * source may decode on every core rather than leave one for it.
   */
  readonly consumerWaits?: boolean;
}

export interface ScanPartition {
  readonly index: number;
  readonly count: number;
}

/** True when unit `i` (row group, batch) belongs to the partition (all units without one). */
export function inPartition(i: number, partition: ScanPartition | undefined): boolean {
  return partition === undefined || partition.count <= 1 || i % partition.count === partition.index;
}

export interface NumericRange {
  readonly min: number;
  readonly max: number;
  /** min and max are values the column holds (not just bounds): MIN/MAX may be answered from them. */
  readonly exact?: boolean;
}

/** Something a query can read: an in-memory table or a file. Implementations live in io/. */
export interface TableSource {
  readonly kind: 'memory' | 'parquet' | 'arrow' | 'csv';
  /** File path for file sources. */
  readonly location?: string;
  /** Column names and types; field ids are not set here (the binder assigns them). */
  readonly schema: readonly Field[];
  /** Known row count and size in bytes, when cheap to know (file footer, in-memory length). */
  statistics(): { readonly numRows?: number; readonly bytes?: number };
  /**
   * Smallest and largest non-NULL value of a numeric column (storage domain), when known: a
   * file's statistics, an in-memory table's values. The optimizer uses it to prove that an
   * expression cannot fail (overflow) before moving it where it sees more rows, and answers a
   * bare MIN/MAX from an exact range.
   */
  columnRange?(name: string): NumericRange | undefined;
  scan(options: ScanOptions): AsyncIterable<Batch>;
  /** How a scan of these columns would read them, for EXPLAIN (e.g. Parquet's decoder). */
  scanDetail?(columns: readonly string[]): string | undefined;
}

/** Name → source lookup, case-insensitive like PostgreSQL's unquoted identifiers. */
export class Catalog {
  private readonly tables = new Map<string, TableSource>();

  register(name: string, source: TableSource): void {
    this.tables.set(name.toLowerCase(), source);
  }

  deregister(name: string): boolean {
    return this.tables.delete(name.toLowerCase());
  }

  get(name: string): TableSource | undefined {
    return this.tables.get(name.toLowerCase());
  }

  names(): string[] {
    return [...this.tables.keys()].sort();
  }
}
