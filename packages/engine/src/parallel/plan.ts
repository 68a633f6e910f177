/**
 * When an aggregate runs partitioned. Its input must be a pipeline each partition can run alone:
 * scans (of files or in-memory tables workers can open), filters, projections, and broadcast
 * hash joins whose build side every partition reads whole. Below a row count the single-thread
 * plan is kept (hand-offs between threads would cost more than they save).
 */
import fs from 'node:fs';
import { col, columnsOf, windowExprs, type Expr } from '../logical/expr.js';
import { outputFields, type AggregateNode, type JoinNode, type LogicalPlan, type ScanNode, type WindowNode } from '../logical/plan.js';
import type { TableSource } from '../catalog.js';
import { stateFields } from '../operators/aggregate/accumulators/index.js';
import type { PhysicalOperator } from '../physical/operator.js';
import type { ParallelConfig } from './config.js';
import { describeSource, type SourceDescriptor } from './fragment.js';
import { ParallelAggregateExec } from './parallel-aggregate.js';
import { estimateRows } from '../optimizer/estimate.js';

/** Without GROUP BY and partial state, partitions run the pipeline only if it keeps at most this share of the rows. */
export const RAW_SHIP_FRACTION = 0.25;

/** Rows the partitioned side reads, or null when the input is not a partitionable pipeline. */
function pipelineRows(plan: LogicalPlan, replicated: boolean): number | null {
  switch (plan.kind) {
    case 'scan': {
      if (plan.source.kind === 'csv') return null;
      if (plan.source.kind !== 'memory' && plan.source.location === undefined) return null;
      if (replicated) return 0;
      return plan.source.statistics().numRows ?? null;
    }
    case 'filter':
    case 'projection':
      return pipelineRows(plan.input, replicated);
    case 'join': {
      if (plan.strategy !== 'broadcast' || plan.on.length === 0 || (plan.joinType !== 'inner' && plan.joinType !== 'left')) return null;
      const left = pipelineRows(plan.left, replicated);
      const right = pipelineRows(plan.right, true);
      return left === null || right === null ? null : left;
    }
    default:
      return null;
  }
}

function mtimeOf(location: string | undefined): number {
  try {
    return location === undefined ? 0 : fs.statSync(location).mtimeMs;
  } catch {
    return 0;
  }
}

/** Scans under a broadcast join's build side are read whole by every partition. */
function replicatedScans(plan: LogicalPlan, inBuild: boolean, out: Set<ScanNode>): Set<ScanNode> {
  if (plan.kind === 'scan') {
    if (inBuild) out.add(plan);
    return out;
  }
  if (plan.kind === 'join') {
    replicatedScans(plan.left, inBuild, out);
    // a partitioned join's build side is exchanged like its probe side, not read whole
    replicatedScans(plan.right, inBuild || plan.strategy === 'broadcast', out);
    return out;
  }
  if ('input' in plan) replicatedScans(plan.input, inBuild, out);
  return out;
}

/**
 * An exchange inside the aggregate's input: a window whose functions share one PARTITION BY, or a
 * partitioned (not broadcast) equi-join, above partitionable pipelines. Its inputs are hash-
 * partitioned on those keys first (stage 0), so every key's rows meet in one partition, and the
 * rest of the pipeline runs per partition over them (DataFusion's RepartitionExec below a
 * BoundedWindowAggExec or a partitioned HashJoinExec).
 */
export interface ExchangePoint {
  readonly node: WindowNode | JoinNode;
  readonly inputs: readonly ExchangeInput[];
  /** The aggregate's input with the exchanged inputs replaced by task-input scans. */
  readonly upper: LogicalPlan;
  /** The scans in `upper` that read input i of the task (exchanged input i), by position. */
  readonly inputScans: readonly ScanNode[];
  /** What EXPLAIN says about the exchange. */
  readonly label: string;
}

export interface ExchangeInput {
  readonly plan: LogicalPlan;
  readonly keys: readonly Expr[];
  /** The input's output columns as the task-input scan names them (`c0`…, ids kept). */
  readonly fields: ReturnType<typeof outputFields>;
}

/** Never scanned in the main thread: workers read the task's inputs in its place. */
const EXCHANGE_SOURCE: TableSource = {
  kind: 'memory',
  schema: [],
  statistics: () => ({}),
  scan: () => {
    throw new Error('an exchange input is read by partition workers only');
  },
};

function exchangeScan(index: number, input: LogicalPlan): { scan: ScanNode; fields: ExchangeInput['fields'] } {
  const fields = outputFields(input).map((f, i) => ({ ...f, name: `c${i}` }));
  const table = `__exchange_${index}`;
  return { scan: { kind: 'scan', table, alias: table, source: EXCHANGE_SOURCE, fields, filters: [] }, fields };
}

/** `plan` with `target` replaced; subtrees without it keep their identity (replicatedScans relies on it). */
function replaceNode(plan: LogicalPlan, target: LogicalPlan, by: LogicalPlan): LogicalPlan {
  if (plan === target) return by;
  let changed = false;
  const out: Record<string, unknown> = { ...plan };
  for (const key of ['input', 'left', 'right'] as const) {
    if (!(key in plan)) continue;
    const child = (plan as unknown as Record<string, LogicalPlan>)[key]!;
    const next = replaceNode(child, target, by);
    if (next !== child) { out[key] = next; changed = true; }
  }
  return changed ? (out as unknown as LogicalPlan) : plan;
}

/**
 * Only the columns read above the exchange cross it: the input's other columns (those its scan
 * filters needed, say) are dropped by a projection before the rows are split and shipped.
 */
function pruned(input: LogicalPlan, read: ReadonlySet<number>): LogicalPlan {
  const fields = outputFields(input);
  const keep = fields.filter((f) => read.has(f.id!));
  if (keep.length === fields.length || keep.length === 0) return input;
  return { kind: 'projection', input, exprs: keep.map((f) => ({ id: f.id!, name: f.name, expr: col(f.id!, f.name, f.type) })) };
}

/** For EXPLAIN: which columns cross when the exchange does not ship them all. */
function crossing(input: LogicalPlan, shipped: LogicalPlan): string {
  if (shipped === input) return '';
  const names = outputFields(shipped).map((f) => f.name);
  return `; ships [${names.join(', ')}] of ${outputFields(input).length} columns`;
}

/**
 * The exchange point on the aggregate input's pipeline path, or null. `read`: the columns the
 * aggregate reads (the nodes on the path add theirs).
 */
export function findExchange(root: LogicalPlan, read: ReadonlySet<number> | null = null): ExchangePoint | null {
  let p: LogicalPlan = root;
  // null: unknown (every column crosses)
  const above: Set<number> | null = read === null ? null : new Set(read);
  for (;;) {
    switch (p.kind) {
      case 'filter':
        if (above !== null) columnsOf(p.predicate, above);
        p = p.input;
        continue;
      case 'projection':
        if (above !== null) for (const e of p.exprs) columnsOf(e.expr, above);
        p = p.input;
        continue;
      case 'join': {
        if (p.on.length === 0 || (p.joinType !== 'inner' && p.joinType !== 'left')) return null;
        if (above !== null) {
          for (const k of p.on) { columnsOf(k.left, above); columnsOf(k.right, above); }
          if (p.filter) columnsOf(p.filter, above);
        }
        if (p.strategy === 'broadcast') {
          if (pipelineRows(p.right, true) === null) return null;
          p = p.left;
          continue;
        }
        if (pipelineRows(p.left, false) === null || pipelineRows(p.right, false) === null) return null;
        const left = above === null ? p.left : pruned(p.left, above);
        const right = above === null ? p.right : pruned(p.right, above);
        const l = exchangeScan(0, left);
        const r = exchangeScan(1, right);
        const node: JoinNode = p;
        return {
          node,
          inputs: [
            { plan: left, keys: p.on.map((k) => k.left), fields: l.fields },
            { plan: right, keys: p.on.map((k) => k.right), fields: r.fields },
          ],
          upper: replaceNode(root, node, { ...node, left: l.scan, right: r.scan }),
          inputScans: [l.scan, r.scan],
          label: `partitioned hash join: both sides hash-partitioned on the join keys${crossing(p.left, left)}${crossing(p.right, right)}`,
        };
      }
      case 'window': {
        const keys = p.windows[0]?.window.partitionBy ?? [];
        const same = JSON.stringify(keys);
        if (keys.length === 0 || p.windows.some((w) => JSON.stringify(w.window.partitionBy) !== same)) return null;
        if (pipelineRows(p.input, false) === null) return null;
        if (above !== null) for (const w of p.windows) for (const e of windowExprs(w.window)) columnsOf(e, above);
        const input = above === null ? p.input : pruned(p.input, above);
        const x = exchangeScan(0, input);
        const node: WindowNode = p;
        return {
          node,
          inputs: [{ plan: input, keys, fields: x.fields }],
          upper: replaceNode(root, node, { ...node, input: x.scan }),
          inputScans: [x.scan],
          label: `window PARTITION BY: rows of one key meet in one partition${crossing(p.input, input)}`,
        };
      }
      default:
        return null;
    }
  }
}

function describeScan(replicated: Set<ScanNode>) {
  return (scan: ScanNode): SourceDescriptor | null => {
    const d = describeSource(scan.source, () => mtimeOf(scan.source.location));
    if (d === null || !replicated.has(scan)) return d;
    return { ...d, replicated: true };
  };
}

/**
 * The partitioned plan of this aggregate, or why it stays on one thread (EXPLAIN shows the
 * reason on the serial aggregate).
 */
export function planParallelAggregate(
  node: AggregateNode,
  config: ParallelConfig | undefined,
  displayInput: () => PhysicalOperator,
): PhysicalOperator | { readonly serial: string } {
  if (config === undefined || config.partitions <= 1) return { serial: 'one partition configured' };
  let rows = pipelineRows(node.input, false);
  const exchange = rows === null ? findExchange(node.input, aggregateReads(node)) : null;
  if (exchange !== null) rows = exchange.inputs.reduce((a, i) => a + (pipelineRows(i.plan, false) ?? 0), 0);
  if (rows === null) return { serial: 'input has no partitioned plan (it is not scans, filters, projections and joins, nor hash-partitionable)' };
  if (rows < config.minRows) return { serial: `input ~${rows} rows < ${config.minRows}` };
  // COUNT(*)-style inputs read no column (row counts from metadata): nothing to spread.
  if (readsNoColumn(node.input)) return { serial: 'reads no column (row counts from metadata)' };
  let stage1: 'Partial' | 'Raw' = 'Partial';
  for (const a of node.aggregates) {
    try {
      stateFields(a.agg);
    } catch {
      stage1 = 'Raw'; // DISTINCT, string_agg: no mergeable partial state
    }
  }
  if (stage1 === 'Raw' && node.groupBy.length === 0) {
    // One group and no mergeable state: every row meets in one place. Worth it only when the
    // partitions' pipeline drops most rows first (a selective filter): they ship the survivors
    // and this thread aggregates them (seed 000's sampled DQ checks: 10M rows scanned, 1M kept).
    const kept = estimateRows(node.input);
    if (kept === undefined || kept > rows * RAW_SHIP_FRACTION) {
      return { serial: 'an aggregate without mergeable partial state (DISTINCT, string_agg), no GROUP BY, and no selective filter below' };
    }
  }
  return new ParallelAggregateExec({
    displayInput: displayInput(),
    input: node.input,
    groupBy: node.groupBy,
    aggregates: node.aggregates,
    stage1,
    config,
    describe: describeScan(replicatedScans(node.input, false, new Set())),
    reason: `input ~${rows} rows ≥ ${config.minRows}`,
    exchange,
  });
}

function aggregateReads(node: AggregateNode): Set<number> {
  const read = new Set<number>();
  for (const g of node.groupBy) columnsOf(g.expr, read);
  for (const a of node.aggregates) {
    if (a.agg.arg) columnsOf(a.agg.arg, read);
    if (a.agg.filter) columnsOf(a.agg.filter, read);
  }
  return read;
}

function readsNoColumn(plan: LogicalPlan): boolean {
  if (plan.kind === 'scan') return plan.fields.length === 0 && plan.filters.length === 0;
  if (plan.kind === 'projection') return readsNoColumn(plan.input);
  return false;
}
