import os from 'node:os';

/** Settings of partitioned execution (SessionOptions and EXPLAIN show them). */
export interface ParallelConfig {
  /** Partitions, one worker thread each (default: the number of cores). 1 runs everything in the calling thread. */
  readonly partitions: number;
  /** A query whose scans hold fewer rows stays in one partition: thread hand-offs would cost more than they save. */
  readonly minRows: number;
  /** Partial aggregation checks its reduction after this many input rows (DataFusion's default 100000)… */
  readonly skipPartialProbeRows: number;
  /** …and stops aggregating when groups/rows exceeds this (DataFusion's default 0.8). */
  readonly skipPartialRatio: number;
  /** Stage 1 output at or under this many rows is merged in the main thread (CoalescePartitions + Final). */
  readonly coalesceMaxRows: number;
  /** false: run partitions one after another in the calling thread (tests, debugging). */
  readonly threads: boolean;
}

export const DEFAULT_PARALLEL_CONFIG: ParallelConfig = {
  partitions: Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length),
  minRows: 1_000_000,
  skipPartialProbeRows: 100_000,
  skipPartialRatio: 0.8,
  coalesceMaxRows: 65_536,
  threads: true,
};
