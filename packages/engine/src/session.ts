import type * as arrow from 'apache-arrow';
import { Catalog, type TableSource } from './catalog.js';
import { EngineError } from './errors.js';
import { formatBatchRows } from './io/format.js';
import { MemoryTable } from './io/memory-table.js';
import { openTableFile, writeTable } from './io/open.js';
import { batchToArrow, tableToArrow } from './io/arrow-convert.js';
import { formatLogicalPlan } from './logical/display.js';
import { childrenOf, outputFields, type LogicalPlan } from './logical/plan.js';
import { optimize, type RuleTrace } from './optimizer/optimize.js';
import { createExecContext } from './physical/context.js';
import { formatPhysicalPlan, physicalPlanToJson, type PhysicalPlanJson } from './physical/display.js';
import { DEFAULT_EXEC_CONFIG, type ExecConfig, type PhysicalOperator, type ProgressInfo } from './physical/operator.js';
import { createPhysicalPlan } from './physical/planner.js';
import { DEFAULT_PARALLEL_CONFIG, type ParallelConfig } from './parallel/config.js';
import { bindStatement } from './sql/binder.js';
import { loadParser, parseSql } from './sql/parse.js';
import type { Batch, Field } from './types/batch.js';
import { makeColumn } from './types/column.js';
import { UTF8 } from './types/data-type.js';

export interface SessionOptions {
  /** Rows per batch produced by sources and re-batching operators. */
  batchSize?: number;
  /** Per-query memory limit in bytes. */
  memoryLimit?: number;
  /** A join side at or under this many rows is broadcast (hash table built once, probe streamed). */
  broadcastThresholdRows?: number;
  /** Optimizer rules to skip, by name (for experiments and EXPLAIN comparisons). */
  disabledRules?: string[];
  /**
   * Partitions (worker threads) a query may use; default: the number of cores. 1 keeps every
   * query in the calling thread. Finer settings in `parallel`.
   */
  partitions?: number;
  parallel?: Partial<ParallelConfig>;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: ProgressInfo) => void;
  /** Minimum milliseconds between progress callbacks (default 100). */
  progressIntervalMs?: number;
}

export type ExplainFormat = 'text' | 'json';

export interface ExplainJson {
  sql: string;
  logicalPlan: string;
  optimizedLogicalPlan: string;
  physicalPlan: string;
  /** Operator tree with metrics (all zero unless analyzed). */
  operators: PhysicalPlanJson;
  optimizerTrace: RuleTrace[];
  analyzed: boolean;
  /** Wall time of the analyzed run, ms. */
  elapsedMs?: number;
  rows?: number;
  peakMemoryBytes?: number;
}

/**
 * A registry of tables plus the settings queries run with. Cheap to create; hold one per
 * user/job. Registered in-memory tables are converted to the engine's layout once, so repeated
 * queries over them run hot.
 */
export class SessionContext {
  readonly catalog = new Catalog();
  readonly options: Required<Omit<SessionOptions, 'disabledRules' | 'partitions' | 'parallel'>> & { disabledRules: string[]; parallel: ParallelConfig };

  constructor(options: SessionOptions = {}) {
    this.options = {
      batchSize: options.batchSize ?? DEFAULT_EXEC_CONFIG.batchSize,
      memoryLimit: options.memoryLimit ?? DEFAULT_EXEC_CONFIG.memoryLimit,
      broadcastThresholdRows: options.broadcastThresholdRows ?? 1_000_000,
      disabledRules: options.disabledRules ?? [],
      parallel: {
        ...DEFAULT_PARALLEL_CONFIG,
        ...(options.partitions !== undefined ? { partitions: Math.max(1, Math.floor(options.partitions)) } : {}),
        ...options.parallel,
      },
    };
  }

  registerArrow(name: string, table: arrow.Table): void {
    this.catalog.register(name, MemoryTable.fromArrow(table));
  }

  registerBatches(name: string, fields: readonly Field[], batches: readonly Batch[]): void {
    this.catalog.register(name, new MemoryTable(fields, batches));
  }

  registerSource(name: string, source: TableSource): void {
    this.catalog.register(name, source);
  }

  /** Registers a .parquet, .arrow or .csv file; the file is read lazily, per query, only the columns used. */
  async registerFile(name: string, path: string): Promise<void> {
    this.catalog.register(name, await openTableFile(path));
  }

  deregister(name: string): boolean {
    return this.catalog.deregister(name);
  }

  tables(): { name: string; source: TableSource }[] {
    return this.catalog.names().map((name) => ({ name, source: this.catalog.get(name)! }));
  }

  /** Parses, binds and optimizes one statement. Nothing runs until the DataFrame is collected. */
  async sql(text: string): Promise<DataFrame> {
    await loadParser();
    const stmts = parseSql(text);
    if (stmts.length === 0) throw new EngineError('syntax_error', 'empty query');
    if (stmts.length > 1) throw new EngineError('feature_not_supported', 'only one statement per query is supported');
    const bound = bindStatement(stmts[0], this.catalog, text);
    const execConfig: ExecConfig = { batchSize: this.options.batchSize, memoryLimit: this.options.memoryLimit };
    const df = new DataFrame(text, bound.plan, execConfig, {
      broadcastThresholdRows: this.options.broadcastThresholdRows,
      disabledRules: this.options.disabledRules,
      parallel: this.options.parallel,
    });
    if (bound.kind === 'explain') return df.explainFrame(bound.analyze, bound.format);
    return df;
  }
}

interface OptimizeSettings {
  broadcastThresholdRows: number;
  disabledRules: string[];
  parallel?: ParallelConfig;
}

/**
 * A planned query. The physical plan is built fresh for every execution because operators hold
 * their metrics (one run, one set of metrics).
 */
export class DataFrame {
  readonly sqlText: string;
  readonly logicalPlan: LogicalPlan;
  readonly optimizedPlan: LogicalPlan;
  readonly optimizerTrace: RuleTrace[];
  readonly schema: Field[];
  private readonly execConfig: ExecConfig;
  /** Set for EXPLAIN statements: running the frame yields the plan text. */
  private explainOf: { analyze: boolean; format: ExplainFormat } | null = null;
  private lastRun: PhysicalOperator | null = null;
  private readonly parallel: ParallelConfig | undefined;

  constructor(sqlText: string, plan: LogicalPlan, execConfig: ExecConfig, settings: OptimizeSettings) {
    this.parallel = settings.parallel;
    this.sqlText = sqlText;
    this.logicalPlan = plan;
    const { plan: optimized, trace } = optimize(plan, settings);
    this.optimizedPlan = optimized;
    this.optimizerTrace = trace;
    this.schema = outputFields(plan);
    this.execConfig = execConfig;
  }

  /** @internal turns this frame into the result of `EXPLAIN [ANALYZE]`. */
  explainFrame(analyze: boolean, format: ExplainFormat): DataFrame {
    const frame = Object.create(DataFrame.prototype) as DataFrame;
    Object.assign(frame, this);
    frame.explainOf = { analyze, format };
    Object.defineProperty(frame, 'schema', { value: [{ name: 'plan', type: UTF8, nullable: false }] });
    return frame;
  }

  /** The physical plan that the next run would execute (fresh operators, zero metrics). */
  physicalPlan(): PhysicalOperator {
    return createPhysicalPlan(this.optimizedPlan, { batchSize: this.execConfig.batchSize, ...(this.parallel ? { parallel: this.parallel } : {}) });
  }

  /** Runs the query, yielding engine batches. */
  async *streamBatches(options: RunOptions = {}): AsyncGenerator<Batch> {
    if (this.explainOf) {
      yield await this.explainBatch();
      return;
    }
    const root = this.physicalPlan();
    this.lastRun = root;
    yield* this.execute(root, options);
  }

  private async *execute(root: PhysicalOperator, options: RunOptions): AsyncGenerator<Batch> {
    const interval = options.progressIntervalMs ?? 100;
    const totals = sourceTotals(this.optimizedPlan);
    let rowsRead = 0;
    let bytesRead = 0;
    let lastReport = 0;
    const onProgress = options.onProgress;
    const report = (force: boolean) => {
      if (!onProgress) return;
      const now = performance.now();
      if (!force && now - lastReport < interval) return;
      lastReport = now;
      onProgress({ rowsRead, bytesRead, ...totals });
    };
    const ctx = createExecContext({
      config: this.execConfig,
      signal: options.signal,
      onRead: (rows: number, bytes: number) => {
        rowsRead += rows;
        bytesRead += bytes;
        report(false);
      },
    });
    ctx.checkCancelled();
    for await (const batch of root.execute(ctx)) {
      ctx.checkCancelled();
      if (batch.numRows > 0) yield batch;
    }
    report(true);
  }

  async collectBatches(options: RunOptions = {}): Promise<{ schema: Field[]; batches: Batch[] }> {
    const batches: Batch[] = [];
    for await (const b of this.streamBatches(options)) batches.push(b);
    return { schema: this.schema, batches };
  }

  async collect(options: RunOptions = {}): Promise<arrow.Table> {
    const { schema, batches } = await this.collectBatches(options);
    return tableToArrow(schema, batches);
  }

  async *stream(options: RunOptions = {}): AsyncGenerator<arrow.RecordBatch> {
    for await (const b of this.streamBatches(options)) yield batchToArrow(b);
  }

  /** Every cell as PostgreSQL's text output shows it (NULL → null). */
  async collectText(options: RunOptions = {}): Promise<{ columns: Field[]; rows: (string | null)[][] }> {
    const { schema, batches } = await this.collectBatches(options);
    const rows: (string | null)[][] = [];
    for (const b of batches) for (const r of formatBatchRows(b)) rows.push(r);
    return { columns: schema, rows };
  }

  async write(path: string, format?: 'parquet' | 'arrow' | 'csv', options: RunOptions = {}): Promise<void> {
    await writeTable(path, this.schema, this.streamBatches(options), format);
  }

  /** Logical and physical plans as text; with analyze, runs the query and adds per-operator metrics. */
  async explain(options: { analyze?: boolean } & RunOptions = {}): Promise<string> {
    const json = await this.explainJson(options);
    return renderExplain(json);
  }

  async explainJson(options: { analyze?: boolean } & RunOptions = {}): Promise<ExplainJson> {
    const root = this.physicalPlan();
    let elapsedMs: number | undefined;
    let rows: number | undefined;
    if (options.analyze) {
      const t0 = performance.now();
      rows = 0;
      for await (const b of this.execute(root, options)) rows += b.numRows;
      elapsedMs = performance.now() - t0;
    }
    const operators = physicalPlanToJson(root);
    return {
      sql: this.sqlText,
      logicalPlan: formatLogicalPlan(this.logicalPlan),
      optimizedLogicalPlan: formatLogicalPlan(this.optimizedPlan),
      physicalPlan: formatPhysicalPlan(root, { analyze: !!options.analyze }),
      operators,
      optimizerTrace: this.optimizerTrace,
      analyzed: !!options.analyze,
      ...(elapsedMs !== undefined ? { elapsedMs, rows, peakMemoryBytes: sumPeakMemory(operators) } : {}),
    };
  }

  /** Metrics of the last streamBatches/collect run, as data (for the API and the dashboard). */
  lastRunMetrics(): PhysicalPlanJson | null {
    return this.lastRun ? physicalPlanToJson(this.lastRun) : null;
  }

  private async explainBatch(): Promise<Batch> {
    const { analyze, format } = this.explainOf!;
    const json = await this.explainJson({ analyze });
    const text = format === 'json' ? JSON.stringify(json, null, 2) : renderExplain(json);
    const lines = format === 'json' ? [text] : text.split('\n');
    const codes = new Int32Array(lines.length);
    for (let i = 0; i < codes.length; i++) codes[i] = i;
    return { schema: this.schema, columns: [makeColumn(UTF8, codes, null, lines)], numRows: lines.length };
  }
}

function renderExplain(json: ExplainJson): string {
  const parts = [
    '== Logical Plan ==',
    json.optimizedLogicalPlan,
    '',
    json.analyzed ? '== Physical Plan (analyzed) ==' : '== Physical Plan ==',
    json.physicalPlan,
  ];
  if (json.analyzed) {
    parts.push('', `Execution: ${json.elapsedMs!.toFixed(2)} ms, ${json.rows} rows, peak memory ${formatBytes(json.peakMemoryBytes ?? 0)}`);
  }
  return parts.join('\n');
}

function sumPeakMemory(op: PhysicalPlanJson): number {
  return op.metrics.peakMemoryBytes + op.children.reduce((s, c) => s + sumPeakMemory(c), 0);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

/** Total rows/bytes of the scanned sources, when known, so progress can show a percentage. */
function sourceTotals(plan: LogicalPlan): { totalRows?: number; totalBytes?: number } {
  let rows = 0;
  let bytes = 0;
  let rowsKnown = true;
  let bytesKnown = true;
  const visit = (p: LogicalPlan): void => {
    if (p.kind === 'scan') {
      const s = p.source.statistics();
      if (s.numRows === undefined) rowsKnown = false;
      else rows += s.numRows;
      if (s.bytes === undefined) bytesKnown = false;
      else bytes += s.bytes;
      return;
    }
    if (p.kind === 'values') return;
    for (const c of childrenOf(p)) visit(c);
  };
  visit(plan);
  return { ...(rowsKnown ? { totalRows: rows } : {}), ...(bytesKnown ? { totalBytes: bytes } : {}) };
}
