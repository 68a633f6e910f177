import type { Batch, Schema } from '../types/batch.js';
import type { OperatorMetrics } from './metrics.js';
import type { ScanPartition } from '../catalog.js';

export interface ProgressInfo {
  /** Rows read from sources so far. */
  readonly rowsRead: number;
  /** Bytes read from storage so far. */
  readonly bytesRead: number;
  /** Total input rows/bytes when sources know them up front, for a percentage. */
  readonly totalRows?: number;
  readonly totalBytes?: number;
}

export interface ExecConfig {
  /** Target rows per batch produced by sources and operators that re-batch. */
  readonly batchSize: number;
  /** Per-query memory limit in bytes (Infinity: none). Exceeding it fails the query naming the operator. */
  readonly memoryLimit: number;
}

export const DEFAULT_EXEC_CONFIG: ExecConfig = { batchSize: 65536, memoryLimit: Infinity };

/** State shared by all operators of one running query. */
export interface ExecContext {
  readonly config: ExecConfig;
  readonly signal?: AbortSignal;
  /** Sources call this as they read; the session aggregates it into ProgressInfo callbacks. */
  reportRead(rows: number, bytes: number): void;
  /**
   * Memory accounting across the query: operators call reserve(+n)/reserve(-n) as they grow and
   * shrink. Throws EngineError('resources_exhausted', "... in <operator>") over the limit.
   */
  reserve(operator: string, bytes: number): void;
  /** Throws EngineError('cancelled') if the query's AbortSignal fired. Call once per batch. */
  checkCancelled(): void;
  /** Set in a partition worker: scans read only this partition of their source. */
  readonly partition?: ScanPartition;
}

/**
 * A physical operator. Settings are fixed at construction; `execute` creates the running state
 * and does no work until the first batch is pulled. One operator instance may be executed once
 * per query.
 */
export interface PhysicalOperator {
  /** DataFusion-style name: ParquetScanExec, FilterExec, HashAggregateExec, … */
  readonly name: string;
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics: OperatorMetrics;
  /** One-line details for EXPLAIN after the name, e.g. `mode=Single, gby=[category@0], aggr=[sum(amount@1)]`. */
  describe(): string;
  execute(ctx: ExecContext): AsyncIterable<Batch>;
}
