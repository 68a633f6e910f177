import type { Field } from '../types/batch.js';
import type { TableSource } from '../catalog.js';
import type { AggregateExpr, Expr, SortKey, WindowExpr } from './expr.js';

/**
 * Logical plan. Every node's output is a list of Fields each carrying a query-unique `id`
 * (see logical/expr.ts); `outputFields(plan)` computes it. Nodes are immutable: rules build new
 * nodes with spread (`{ ...node, input: newInput }`).
 */
export type LogicalPlan =
  | ScanNode
  | ValuesNode
  | ProjectionNode
  | FilterNode
  | AggregateNode
  | JoinNode
  | SortNode
  | LimitNode
  | WindowNode
  | SetOpNode
  | MaxOneRowNode
  | RecursiveCteNode
  | WorkTableNode;

/** A named output column: its id, display name and expression. */
export interface NamedExpr {
  readonly id: number;
  readonly name: string;
  readonly expr: Expr;
}

export interface ScanNode {
  readonly kind: 'scan';
  /** Name the table was registered under. */
  readonly table: string;
  /** Alias in the query (`FROM sales s` → 's'), else the table name. */
  readonly alias: string;
  readonly source: TableSource;
  /** Columns read, in this order (projection pushdown prunes this list). `name` is the source column name. */
  readonly fields: readonly Field[];
  /** Conjuncts pushed into the scan; the scan applies them exactly (and may use them to skip row groups). */
  readonly filters: readonly Expr[];
}

/** Literal rows (`SELECT 1`, `VALUES …`). A SELECT without FROM is a Values node with one empty row. */
export interface ValuesNode {
  readonly kind: 'values';
  readonly fields: readonly Field[];
  readonly rows: readonly (readonly Expr[])[];
}

export interface ProjectionNode {
  readonly kind: 'projection';
  readonly input: LogicalPlan;
  readonly exprs: readonly NamedExpr[];
}

export interface FilterNode {
  readonly kind: 'filter';
  readonly input: LogicalPlan;
  readonly predicate: Expr;
}

export interface AggregateNode {
  readonly kind: 'aggregate';
  readonly input: LogicalPlan;
  /** Output: group keys first, then aggregates, in these orders. */
  readonly groupBy: readonly NamedExpr[];
  readonly aggregates: readonly { readonly id: number; readonly name: string; readonly agg: AggregateExpr }[];
  /**
   * Set by aggregate_before_join on the aggregate above its join (input: Join(grouped side as the
   * probe, the other side)): when the join's build keys turn out distinct, every input row is a
   * group of its own and the aggregate passes rows on (its aggregates re-aggregate one row each).
   */
  readonly oneRowPerGroupIfBuildUnique?: boolean;
}

/**
 * inner / left / full / cross: left fields then right fields (right nullable for LEFT, both for
 * FULL). semi / anti: the left rows with / without a matching right row (EXISTS, NOT EXISTS,
 * IN); their output is the left fields only.
 */
export type JoinType = 'inner' | 'left' | 'full' | 'semi' | 'anti' | 'cross';

export interface JoinNode {
  readonly kind: 'join';
  readonly joinType: JoinType;
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  /** Equi-join keys: left expression (over left's fields) = right expression (over right's fields). */
  readonly on: readonly { readonly left: Expr; readonly right: Expr }[];
  /** Non-equi residual condition over both sides' fields (applied as part of the join for LEFT). */
  readonly filter: Expr | null;
  /**
   * Physical strategy picked by the optimizer (broadcast_join rule): 'broadcast' builds a hash
   * table from the right side, which it found small. 'auto' until then. Output: left fields then right fields.
   */
  readonly strategy: 'auto' | 'broadcast' | 'partitioned';
  /** Why the strategy was chosen, for EXPLAIN. */
  readonly strategyReason?: string;
}

export interface SortNode {
  readonly kind: 'sort';
  readonly input: LogicalPlan;
  readonly keys: readonly SortKey[];
  /** Top-k: only the first `fetch` rows are needed (set by the topk rule from a Limit above). */
  readonly fetch: number | null;
}

export interface LimitNode {
  readonly kind: 'limit';
  readonly input: LogicalPlan;
  readonly skip: number;
  readonly fetch: number | null;
}

/** Appends one column per window expression to the input's columns. */
export interface WindowNode {
  readonly kind: 'window';
  readonly input: LogicalPlan;
  readonly windows: readonly { readonly id: number; readonly name: string; readonly window: WindowExpr }[];
}

/**
 * UNION [ALL] / INTERSECT [ALL] / EXCEPT [ALL]. Output column i is column i of every input (the
 * binder makes the inputs' column types equal; columns are matched by position, not id). UNION
 * ALL may have any number (≥ 2) of inputs; the other operations have exactly two. Rows compare
 * as in GROUP BY (NULLs equal). Without ALL the result has no duplicates; INTERSECT ALL keeps
 * min(m, n) copies of a row found m and n times, EXCEPT ALL max(m − n, 0).
 */
export interface SetOpNode {
  readonly kind: 'set_op';
  readonly op: 'union' | 'intersect' | 'except';
  readonly all: boolean;
  readonly inputs: readonly LogicalPlan[];
  /** Output columns (own ids, names of the first input). */
  readonly fields: readonly Field[];
}

/**
 * Passes its input's rows on and fails the query with `more than one row returned by a subquery
 * used as an expression` when there is a second one (the input of a scalar subquery) — a second
 * row with the same `keys` when there are keys (a correlated scalar subquery joined on them;
 * rows with a NULL key never join and are not counted).
 */
export interface MaxOneRowNode {
  readonly kind: 'max_one_row';
  readonly input: LogicalPlan;
  readonly keys?: readonly Expr[];
}

/**
 * WITH RECURSIVE name AS (static UNION [ALL] recursive): runs `static`, then `recursive` over the
 * rows the previous step produced (its WorkTable nodes with the same `workTable` id) until a step
 * produces no (new, for UNION) rows. Output: every step's rows, columns matched by position.
 */
export interface RecursiveCteNode {
  readonly kind: 'recursive_cte';
  readonly name: string;
  readonly all: boolean;
  readonly static: LogicalPlan;
  readonly recursive: LogicalPlan;
  /** Identifies the WorkTable nodes of `recursive` that read the previous step's rows. */
  readonly workTable: number;
  readonly fields: readonly Field[];
}

/** The rows of the previous step of the enclosing recursive CTE (a leaf of its recursive term). */
export interface WorkTableNode {
  readonly kind: 'work_table';
  readonly name: string;
  readonly workTable: number;
  readonly fields: readonly Field[];
}

export function outputFields(plan: LogicalPlan): Field[] {
  switch (plan.kind) {
    case 'scan':
    case 'values':
    case 'set_op':
    case 'recursive_cte':
    case 'work_table':
      return [...plan.fields];
    case 'projection':
      return plan.exprs.map((e) => ({ id: e.id, name: e.name, type: e.expr.type, nullable: true }));
    case 'filter':
    case 'sort':
    case 'limit':
    case 'max_one_row':
      return outputFields(plan.input);
    case 'aggregate':
      return [
        ...plan.groupBy.map((g) => ({ id: g.id, name: g.name, type: g.expr.type, nullable: true })),
        ...plan.aggregates.map((a) => ({ id: a.id, name: a.name, type: a.agg.type, nullable: true })),
      ];
    case 'join': {
      const left = outputFields(plan.left);
      if (plan.joinType === 'semi' || plan.joinType === 'anti') return left;
      const right = outputFields(plan.right);
      const nullable = (fs: Field[]): Field[] => fs.map((f) => ({ ...f, nullable: true }));
      if (plan.joinType === 'full') return [...nullable(left), ...nullable(right)];
      return [...left, ...(plan.joinType === 'left' ? nullable(right) : right)];
    }
    case 'window':
      return [
        ...outputFields(plan.input),
        ...plan.windows.map((w) => ({ id: w.id, name: w.name, type: w.window.type, nullable: true })),
      ];
  }
}

export function childrenOf(plan: LogicalPlan): LogicalPlan[] {
  switch (plan.kind) {
    case 'scan':
    case 'values':
      return [];
    case 'join':
      return [plan.left, plan.right];
    case 'set_op':
      return [...plan.inputs];
    case 'recursive_cte':
      return [plan.static, plan.recursive];
    case 'work_table':
      return [];
    default:
      return [plan.input];
  }
}

/** Same node with new children (same order as childrenOf). */
export function withChildren(plan: LogicalPlan, children: LogicalPlan[]): LogicalPlan {
  switch (plan.kind) {
    case 'scan':
    case 'values':
      return plan;
    case 'join':
      return { ...plan, left: children[0], right: children[1] };
    case 'set_op':
      return { ...plan, inputs: children };
    case 'recursive_cte':
      return { ...plan, static: children[0], recursive: children[1] };
    case 'work_table':
      return plan;
    default:
      return { ...plan, input: children[0] } as LogicalPlan;
  }
}
