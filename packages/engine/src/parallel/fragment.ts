/**
 * A plan fragment that runs in a partition worker: a logical plan (plain data) whose scan sources
 * are replaced by descriptors a worker can open on its own — a file path (the worker reads its
 * share of row groups / record batches) or a table in shared memory.
 */
import type { TableSource } from '../catalog.js';
import { ArrowFileTable } from '../io/arrow-ipc.js';
import { MemoryTable } from '../io/memory-table.js';
import { ParquetTable } from '../io/parquet.js';
import { openTableFile } from '../io/open.js';
import type { LogicalPlan, ScanNode } from '../logical/plan.js';
import { SharedTableSource, shareMemoryTable, type SharedTableDescriptor } from './shared-table.js';
import type { TaskInput } from './tasks.js';

/** What describeSource returns: a file, or a table in shared memory (sent to each worker once). */
export type SourceDescriptor = { readonly kind: 'file'; readonly location: string; readonly mtimeMs: number; readonly replicated?: boolean } | SharedTableDescriptor;

/** What a wire plan's scan holds: a file, or a reference to a shared table the worker already has. */
export type WireSource =
  | { readonly kind: 'file'; readonly location: string; readonly mtimeMs: number; readonly replicated?: boolean }
  | { readonly kind: 'shared-ref'; readonly id: number; readonly replicated?: boolean }
  | TaskInputSource;

/** Input `index` of the task: rows an exchange hash-partitioned for this partition (read whole). */
export interface TaskInputSource {
  readonly kind: 'task-input';
  readonly index: number;
}

/** A scan whose source is a descriptor. */
export type WireScanNode = Omit<ScanNode, 'source'> & { readonly source: WireSource };

/** Structurally a LogicalPlan with WireScanNode leaves (the node types are plain data). */
export type WirePlan = unknown;

/** The descriptor of a source partition workers can read, or null (e.g. CSV: rows cannot be split without parsing). */
export function describeSource(source: TableSource, mtimeMs: () => number): SourceDescriptor | null {
  if (source instanceof MemoryTable) return shareMemoryTable(source);
  if ((source instanceof ParquetTable || source instanceof ArrowFileTable) && source.location !== undefined) {
    return { kind: 'file', location: source.location, mtimeMs: mtimeMs() };
  }
  return null;
}

export interface WireFragment {
  readonly plan: WirePlan;
  /** Shared tables the plan references (each worker is sent those it lacks, once). */
  readonly tables: readonly SharedTableDescriptor[];
}

/** Replaces every scan's source by its descriptor (null when some source cannot be described). */
export function fragmentToWire(plan: LogicalPlan, describe: (scan: ScanNode) => SourceDescriptor | TaskInputSource | null): WireFragment | null {
  let ok = true;
  const tables: SharedTableDescriptor[] = [];
  const walk = (p: LogicalPlan): unknown => {
    if (p.kind === 'scan') {
      const d = describe(p);
      if (d === null) {
        ok = false;
        return p;
      }
      if (d.kind === 'file' || d.kind === 'task-input') return { ...p, source: d };
      if (!tables.some((t) => t.id === d.id)) tables.push({ ...d, replicated: false });
      const ref: WireSource = d.replicated ? { kind: 'shared-ref', id: d.id, replicated: true } : { kind: 'shared-ref', id: d.id };
      return { ...p, source: ref };
    }
    const out: Record<string, unknown> = { ...p };
    for (const key of ['input', 'left', 'right'] as const) {
      if (key in p) out[key] = walk((p as unknown as Record<string, LogicalPlan>)[key]);
    }
    return out;
  };
  const w = walk(plan);
  return ok ? { plan: w, tables } : null;
}

/** Worker side: opens descriptors (cached per worker) and rebuilds the logical plan. */
export class SourceCache {
  private readonly files = new Map<string, Promise<TableSource>>();
  private readonly tables = new Map<number, SharedTableSource>();

  addShared(d: SharedTableDescriptor): void {
    if (!this.tables.has(d.id)) this.tables.set(d.id, new SharedTableSource(d));
  }

  hasShared(id: number): boolean {
    return this.tables.has(id);
  }

  private async open(d: WireSource, inputs: readonly TaskInput[]): Promise<TableSource> {
    if (d.kind === 'task-input') {
      const input = inputs[d.index];
      if (input === undefined) throw new Error(`task input ${d.index} missing`);
      return wholeTable(new MemoryTable(input.fields, input.batches));
    }
    const base = await this.openBase(d);
    return d.replicated === true ? wholeTable(base) : base;
  }

  private async openBase(d: Exclude<WireSource, TaskInputSource>): Promise<TableSource> {
    if (d.kind === 'shared-ref') {
      const t = this.tables.get(d.id);
      if (t === undefined) throw new Error(`shared table ${d.id} was not sent to this worker`);
      return t;
    }
    return this.openFile(d.location, d.mtimeMs);
  }

  /** A file source, opened once per version (path and mtime) for every task of this worker. */
  openFile(location: string, mtimeMs: number): Promise<TableSource> {
    const key = `${location}\u0000${mtimeMs}`;
    let f = this.files.get(key);
    if (f === undefined) {
      f = openTableFile(location);
      this.files.set(key, f);
      f.catch(() => this.files.delete(key));
    }
    return f;
  }

  async planFromWire(w: WirePlan, inputs: readonly TaskInput[] = []): Promise<LogicalPlan> {
    const walk = async (p: Record<string, unknown>): Promise<unknown> => {
      if (p.kind === 'scan') return { ...p, source: await this.open(p.source as WireSource, inputs) };
      const out: Record<string, unknown> = { ...p };
      for (const key of ['input', 'left', 'right']) {
        if (key in p && p[key] !== null && typeof p[key] === 'object') out[key] = await walk(p[key] as Record<string, unknown>);
      }
      return out;
    };
    return (await walk(w as Record<string, unknown>)) as LogicalPlan;
  }
}

/** A broadcast build side: every partition reads all of it, whatever its partition. */
function wholeTable(t: TableSource): TableSource {
  return {
    kind: t.kind,
    ...(t.location !== undefined ? { location: t.location } : {}),
    schema: t.schema,
    statistics: () => t.statistics(),
    scan: (options) => {
      const { partition: _ignored, ...rest } = options;
      return t.scan(rest);
    },
  };
}
