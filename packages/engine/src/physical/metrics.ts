/**
 * Per-operator metrics, owned by the operator and filled while it runs. EXPLAIN ANALYZE and the
 * dashboard read only these.
 */
export class OperatorMetrics {
  outputRows = 0;
  outputBatches = 0;
  /** Time spent inside this operator's own code, excluding time waiting on children (ms). */
  elapsedComputeMs = 0;
  /** Bytes this operator held at its peak (hash tables, buffered batches, sort runs). */
  peakMemoryBytes = 0;
  private currentMemory = 0;
  /** Operator-specific counters, e.g. { rowGroupsSkipped: 3, groups: 100, spilledBytes: 0 }. */
  readonly extra: Record<string, number | string> = {};

  /** Record `bytes` more (or fewer, if negative) held by the operator. */
  trackMemory(bytes: number): void {
    this.currentMemory += bytes;
    if (this.currentMemory > this.peakMemoryBytes) this.peakMemoryBytes = this.currentMemory;
  }

  /** Set the current holding outright (operators that can size their state directly). */
  setMemory(bytes: number): void {
    this.currentMemory = bytes;
    if (bytes > this.peakMemoryBytes) this.peakMemoryBytes = bytes;
  }

  toJSON(): MetricsJson {
    return {
      outputRows: this.outputRows,
      outputBatches: this.outputBatches,
      elapsedComputeMs: Math.round(this.elapsedComputeMs * 1000) / 1000,
      peakMemoryBytes: this.peakMemoryBytes,
      ...(Object.keys(this.extra).length ? { extra: { ...this.extra } } : {}),
    };
  }
}

export interface MetricsJson {
  outputRows: number;
  outputBatches: number;
  elapsedComputeMs: number;
  peakMemoryBytes: number;
  extra?: Record<string, number | string>;
}

/** Wall-clock helper: `const stop = timer(); …; metrics.elapsedComputeMs += stop();` */
export function timer(): () => number {
  const t0 = performance.now();
  return () => performance.now() - t0;
}
