import type { ScanPartition } from '../catalog.js';
import { EngineError } from '../errors.js';
import { DEFAULT_EXEC_CONFIG, type ExecConfig, type ExecContext } from './operator.js';

export interface ExecContextOptions {
  readonly config?: Partial<ExecConfig>;
  readonly signal?: AbortSignal;
  /** Receives every source read (rows decoded, bytes read). */
  readonly onRead?: (rows: number, bytes: number) => void;
  /** Scans read only this partition of their sources (partition workers). */
  readonly partition?: ScanPartition;
}

/** The ExecContext of one query run, with a few read-only counters for the session and tests. */
export interface QueryExecContext extends ExecContext {
  /** Bytes currently reserved by all operators. */
  readonly reservedBytes: number;
  /** Highest reservedBytes seen. */
  readonly peakReservedBytes: number;
  readonly rowsRead: number;
  readonly bytesRead: number;
}

class Context implements QueryExecContext {
  readonly config: ExecConfig;
  readonly signal?: AbortSignal;
  readonly partition?: ScanPartition;
  reservedBytes = 0;
  peakReservedBytes = 0;
  rowsRead = 0;
  bytesRead = 0;
  private readonly onRead: ((rows: number, bytes: number) => void) | undefined;

  constructor(opts: ExecContextOptions) {
    const batchSize = opts.config?.batchSize ?? DEFAULT_EXEC_CONFIG.batchSize;
    const memoryLimit = opts.config?.memoryLimit ?? DEFAULT_EXEC_CONFIG.memoryLimit;
    this.config = { batchSize: batchSize > 0 ? Math.floor(batchSize) : DEFAULT_EXEC_CONFIG.batchSize, memoryLimit };
    if (opts.signal) this.signal = opts.signal;
    if (opts.partition) this.partition = opts.partition;
    this.onRead = opts.onRead;
  }

  reportRead(rows: number, bytes: number): void {
    this.rowsRead += rows;
    this.bytesRead += bytes;
    if (this.onRead) this.onRead(rows, bytes);
  }

  reserve(operator: string, bytes: number): void {
    const next = this.reservedBytes + bytes;
    if (bytes > 0 && next > this.config.memoryLimit) {
      throw new EngineError('resources_exhausted', `memory limit of ${this.config.memoryLimit} bytes exceeded in ${operator}`);
    }
    this.reservedBytes = next < 0 ? 0 : next;
    if (next > this.peakReservedBytes) this.peakReservedBytes = next;
  }

  checkCancelled(): void {
    if (this.signal !== undefined && this.signal.aborted) throw new EngineError('cancelled', 'query cancelled');
  }
}

/** Memory accounting, cancellation and read accounting for one query run. */
export function createExecContext(opts: ExecContextOptions = {}): QueryExecContext {
  return new Context(opts);
}
