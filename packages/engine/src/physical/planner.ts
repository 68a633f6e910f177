import type { LogicalPlan } from '../logical/plan.js';
import type { PhysicalOperator } from './operator.js';
import { DEFAULT_EXEC_CONFIG } from './operator.js';
import { ScanExec } from '../operators/scan.js';
import { ValuesExec } from '../operators/values.js';
import { ProjectionExec } from '../operators/projection.js';
import { FilterExec } from '../operators/filter.js';
import { SortExec } from '../operators/sort.js';
import { TopKExec } from '../operators/topk.js';
import { LimitExec } from '../operators/limit.js';
import { CoalesceBatchesExec } from '../operators/coalesce-batches.js';
import { WindowExec } from '../operators/window/window.js';
import { PartitionFirstRowExec, firstRowEligible } from '../operators/window/partition-first-row.js';
import { columnsOf, splitConjunction, type Expr } from '../logical/expr.js';
import { conjunction } from '../optimizer/utils.js';
import type { FilterNode } from '../logical/plan.js';
import { HashAggregateExec } from '../operators/aggregate/hash-aggregate.js';
import { HashJoinExec } from '../operators/join/hash-join.js';
import { NestedLoopJoinExec } from '../operators/join/nested-loop-join.js';
import { SetOpExec, UnionExec } from '../operators/set-op.js';
import { MaxOneRowExec } from '../operators/max-one-row.js';
import { RecursiveCteExec, WorkTable, WorkTableExec } from '../operators/recursive-cte.js';
import type { ParallelConfig } from '../parallel/config.js';
import { planParallelAggregate } from '../parallel/plan.js';
import { StreamingAggregateExec } from '../operators/aggregate/streaming-aggregate.js';
import { hasPartialState, sortedOnGroupKeys } from './ordering.js';

export interface PlannerConfig {
  /** Rows per batch the plan is tuned for (execution reads ctx.config.batchSize). */
  readonly batchSize: number;
  /** Put a CoalesceBatchesExec above filters (merges the small batches a selective filter leaves). */
  readonly coalesceBatches: boolean;
  /** Partitioned execution on worker threads (parallel/); absent or 1 partition: single-threaded. */
  readonly parallel?: ParallelConfig;
  /** Work tables of the recursive CTEs being planned (by RecursiveCteNode.workTable). */
  readonly workTables?: ReadonlyMap<number, WorkTable>;
  /** The node being planned feeds a sort or window through filters and projections only. */
  readonly consumerWaits?: boolean;
}

export const DEFAULT_PLANNER_CONFIG: PlannerConfig = { batchSize: DEFAULT_EXEC_CONFIG.batchSize, coalesceBatches: false };

/**
 * Maps an (optimized) logical plan to a tree of physical operators, one per node: expressions
 * are compiled against each child's schema, whose field ids come from the logical plan. A new
 * tree is built for every execution (operators own their metrics).
 */
export function createPhysicalPlan(plan: LogicalPlan, config: Partial<PlannerConfig> = {}): PhysicalOperator {
  const cfg: PlannerConfig = { ...DEFAULT_PLANNER_CONFIG, ...config };
  return plan_(plan, cfg);
}

function plan_(plan: LogicalPlan, cfg: PlannerConfig): PhysicalOperator {
  // a sort or window holds all its input: the scans below it (through filters and projections) know
  const passes = plan.kind === 'scan' || plan.kind === 'filter' || plan.kind === 'projection';
  const waits = plan.kind === 'sort' || plan.kind === 'window' || (passes && cfg.consumerWaits === true);
  return planNode(plan, waits === (cfg.consumerWaits === true) ? cfg : { ...cfg, consumerWaits: waits });
}

function planNode(plan: LogicalPlan, cfg: PlannerConfig): PhysicalOperator {
  switch (plan.kind) {
    case 'scan':
      return new ScanExec({ table: plan.table, source: plan.source, fields: plan.fields, filters: plan.filters, ...(cfg.consumerWaits ? { consumerWaits: true } : {}) });
    case 'values':
      return new ValuesExec({ fields: plan.fields, rows: plan.rows });
    case 'projection': {
      const w = plan.input;
      if (w.kind === 'window') {
        // the window passes on only the input columns this projection reads
        const passOn = new Set<number>();
        for (const e of plan.exprs) columnsOf(e.expr, passOn);
        return new ProjectionExec({ input: new WindowExec({ input: plan_(w.input, { ...cfg, consumerWaits: true }), windows: w.windows, passOn }), exprs: plan.exprs });
      }
      return new ProjectionExec({ input: plan_(plan.input, cfg), exprs: plan.exprs });
    }
    case 'filter': {
      const firstRow = planFirstRow(plan, cfg);
      if (firstRow !== null) return firstRow;
      const f = new FilterExec({ input: plan_(plan.input, cfg), predicate: plan.predicate });
      return cfg.coalesceBatches ? new CoalesceBatchesExec({ input: f }) : f;
    }
    case 'aggregate': {
      const serialCfg: PlannerConfig = { batchSize: cfg.batchSize, coalesceBatches: cfg.coalesceBatches, workTables: cfg.workTables };
      const parallel = planParallelAggregate(plan, cfg.parallel, () => plan_(plan.input, serialCfg));
      if (!('serial' in parallel)) return parallel;
      const sortedOn = hasPartialState(plan) ? sortedOnGroupKeys(plan) : null;
      if (sortedOn !== null) return new StreamingAggregateExec(plan_(plan.input, cfg), plan.groupBy, plan.aggregates, sortedOn);
      // the reason only when partitions were on offer: with one, there is no choice to explain
      const serialReason = cfg.parallel !== undefined && cfg.parallel.partitions > 1 ? parallel.serial : undefined;
      const input = plan_(plan.input, cfg);
      // the upper aggregate of aggregate_before_join, its grouped side still the probe side
      const join = plan.input;
      const oneRowPerGroup = plan.oneRowPerGroupIfBuildUnique === true && join.kind === 'join' && join.left.kind === 'aggregate' && input instanceof HashJoinExec
        ? () => input.buildKeysUnique === true
        : undefined;
      return new HashAggregateExec({ input, mode: 'Single', groupBy: plan.groupBy, aggregates: plan.aggregates, serialReason, ...(oneRowPerGroup ? { oneRowPerGroup } : {}) });
    }
    case 'join': {
      const left = plan_(plan.left, cfg);
      const right = plan_(plan.right, cfg);
      if (plan.on.length > 0) {
        return new HashJoinExec({
          left,
          right,
          joinType: plan.joinType === 'cross' ? 'inner' : plan.joinType,
          on: plan.on,
          filter: plan.filter,
          partitionMode: plan.strategy === 'broadcast' ? 'broadcast' : 'partitioned',
        });
      }
      return new NestedLoopJoinExec({ left, right, joinType: plan.joinType, filter: plan.filter });
    }
    case 'sort': {
      const input = plan_(plan.input, cfg);
      if (plan.fetch !== null) return new TopKExec({ input, keys: plan.keys, fetch: plan.fetch });
      return new SortExec({ input, keys: plan.keys, fetch: null });
    }
    case 'limit':
      return new LimitExec({ input: plan_(plan.input, cfg), skip: plan.skip, fetch: plan.fetch });
    case 'window':
      return new WindowExec({ input: plan_(plan.input, cfg), windows: plan.windows });
    case 'max_one_row':
      return new MaxOneRowExec({ input: plan_(plan.input, cfg), keys: plan.keys ?? [] });
    case 'recursive_cte': {
      const table = new WorkTable();
      const inner: PlannerConfig = { ...cfg, workTables: new Map([...(cfg.workTables ?? []), [plan.workTable, table]]) };
      return new RecursiveCteExec({
        name: plan.name, all: plan.all, fields: plan.fields, table,
        static: plan_(plan.static, cfg),
        recursive: () => plan_(plan.recursive, inner),
      });
    }
    case 'work_table': {
      const table = cfg.workTables?.get(plan.workTable);
      if (!table) throw new Error(`work table of "${plan.name}" outside its recursive CTE`);
      return new WorkTableExec(table, plan.name, plan.fields);
    }
    case 'set_op': {
      const inputs = plan.inputs.map((i) => plan_(i, cfg));
      if (plan.op === 'union' && plan.all) return new UnionExec({ inputs, fields: plan.fields });
      return new SetOpExec({ op: plan.op, all: plan.all, inputs, fields: plan.fields });
    }
  }
}

/**
 * Filter(rn = 1 [AND …]) over a window holding only `row_number() OVER (PARTITION BY … ORDER BY …)
 * AS rn`: the de-duplication idiom. Planned as PartitionFirstRowExec (no sort), the remaining
 * conjuncts as a FilterExec above it.
 */
function planFirstRow(plan: FilterNode, cfg: PlannerConfig): PhysicalOperator | null {
  const w = plan.input;
  if (w.kind !== 'window' || w.windows.length !== 1 || !firstRowEligible(w.windows[0]!.window)) return null;
  const rnId = w.windows[0]!.id;
  const conjuncts = splitConjunction(plan.predicate);
  const at = conjuncts.findIndex((c) => isEqualsOne(c, rnId));
  if (at < 0) return null;
  const rest = conjuncts.filter((_, i) => i !== at);
  const first = new PartitionFirstRowExec({ input: plan_(w.input, { ...cfg, consumerWaits: true }), window: w.windows[0]! });
  if (rest.length === 0) return first;
  const f = new FilterExec({ input: first, predicate: conjunction(rest) });
  return cfg.coalesceBatches ? new CoalesceBatchesExec({ input: f }) : f;
}

function isEqualsOne(e: Expr, id: number): boolean {
  if (e.kind !== 'call' || e.fn !== 'eq' || e.args.length !== 2) return false;
  const [a, b] = e.args as [Expr, Expr];
  const isCol = (x: Expr) => x.kind === 'column' && x.id === id;
  const isOne = (x: Expr) => x.kind === 'literal' && Number(x.value) === 1 && typeof x.value !== 'boolean';
  return (isCol(a) && isOne(b)) || (isOne(a) && isCol(b));
}
