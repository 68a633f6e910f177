/**
 * Minimal typings of the PostgreSQL parse tree that libpg-query (v18) returns, for the nodes the
 * binder understands. Every node is a one-key object `{ TagName: body }`; `unwrap` narrows it.
 * Fields the protobuf encoder leaves out when zero/false/empty are optional here.
 */

/** A node as the parser emits it: `{ SelectStmt: {...} }`, `{ ColumnRef: {...} }`, … */
export type PgNode = { readonly [tag: string]: unknown };

/** One parsed statement (the `stmt` of libpg-query's `stmts[i]`). */
export type PgStatement = PgNode;

export interface PgString { readonly sval?: string }

export interface ColumnRef { readonly fields: readonly PgNode[]; readonly location?: number }

export interface AConst {
  readonly ival?: { readonly ival?: number };
  readonly fval?: { readonly fval?: string };
  readonly sval?: { readonly sval?: string };
  readonly boolval?: { readonly boolval?: boolean };
  readonly bsval?: { readonly bsval?: string };
  readonly isnull?: boolean;
  readonly location?: number;
}

export interface AExpr {
  readonly kind: string;
  readonly name?: readonly PgNode[];
  readonly lexpr?: PgNode;
  readonly rexpr?: PgNode;
  readonly location?: number;
}

export interface BoolExpr { readonly boolop: 'AND_EXPR' | 'OR_EXPR' | 'NOT_EXPR'; readonly args: readonly PgNode[]; readonly location?: number }
export interface NullTest { readonly arg: PgNode; readonly nulltesttype: 'IS_NULL' | 'IS_NOT_NULL'; readonly location?: number }
export interface BooleanTest { readonly arg: PgNode; readonly booltesttype: string; readonly location?: number }

export interface TypeName {
  readonly names?: readonly PgNode[];
  readonly typmods?: readonly PgNode[];
  readonly arrayBounds?: readonly PgNode[];
  readonly setof?: boolean;
  readonly location?: number;
}
export interface TypeCast { readonly arg: PgNode; readonly typeName: TypeName; readonly location?: number }

export interface CaseWhen { readonly expr: PgNode; readonly result: PgNode; readonly location?: number }
export interface CaseExpr { readonly arg?: PgNode; readonly args: readonly PgNode[]; readonly defresult?: PgNode; readonly location?: number }
export interface CoalesceExpr { readonly args: readonly PgNode[]; readonly location?: number }
export interface MinMaxExpr { readonly op: string; readonly args: readonly PgNode[]; readonly location?: number }
export interface SQLValueFunction { readonly op: string; readonly location?: number }

export interface SortBy {
  readonly node: PgNode;
  readonly sortby_dir?: 'SORTBY_DEFAULT' | 'SORTBY_ASC' | 'SORTBY_DESC' | 'SORTBY_USING';
  readonly sortby_nulls?: 'SORTBY_NULLS_DEFAULT' | 'SORTBY_NULLS_FIRST' | 'SORTBY_NULLS_LAST';
  readonly location?: number;
}

export interface WindowDef {
  readonly name?: string;
  readonly refname?: string;
  readonly partitionClause?: readonly PgNode[];
  readonly orderClause?: readonly PgNode[];
  readonly frameOptions?: number;
  readonly startOffset?: PgNode;
  readonly endOffset?: PgNode;
  readonly location?: number;
}

export interface FuncCall {
  readonly funcname: readonly PgNode[];
  readonly args?: readonly PgNode[];
  readonly agg_order?: readonly PgNode[];
  readonly agg_filter?: PgNode;
  readonly over?: WindowDef;
  readonly agg_within_group?: boolean;
  readonly agg_star?: boolean;
  readonly agg_distinct?: boolean;
  readonly func_variadic?: boolean;
  readonly funcformat?: string;
  readonly location?: number;
}

export interface SubLink {
  readonly subLinkType: string;
  readonly testexpr?: PgNode;
  readonly operName?: readonly PgNode[];
  readonly subselect: PgNode;
  readonly location?: number;
}

export interface ResTarget { readonly name?: string; readonly val?: PgNode; readonly location?: number }

export interface Alias { readonly aliasname: string; readonly colnames?: readonly PgNode[] }

export interface RangeVar {
  readonly schemaname?: string;
  readonly relname: string;
  readonly alias?: Alias;
  readonly location?: number;
}

export interface RangeSubselect { readonly lateral?: boolean; readonly subquery: PgNode; readonly alias?: Alias }

export interface JoinExpr {
  readonly jointype: string;
  readonly isNatural?: boolean;
  readonly larg: PgNode;
  readonly rarg: PgNode;
  readonly usingClause?: readonly PgNode[];
  readonly quals?: PgNode;
  readonly alias?: Alias;
  readonly join_using_alias?: Alias;
}

export interface CommonTableExpr {
  readonly ctename: string;
  readonly aliascolnames?: readonly PgNode[];
  readonly ctequery: PgNode;
  readonly location?: number;
}
export interface WithClause { readonly ctes: readonly PgNode[]; readonly recursive?: boolean; readonly location?: number }

export interface SelectStmt {
  readonly distinctClause?: readonly PgNode[];
  readonly targetList?: readonly PgNode[];
  readonly fromClause?: readonly PgNode[];
  readonly whereClause?: PgNode;
  readonly groupClause?: readonly PgNode[];
  readonly groupDistinct?: boolean;
  readonly havingClause?: PgNode;
  readonly windowClause?: readonly PgNode[];
  readonly valuesLists?: readonly PgNode[];
  readonly sortClause?: readonly PgNode[];
  readonly limitOffset?: PgNode;
  readonly limitCount?: PgNode;
  readonly limitOption?: string;
  readonly lockingClause?: readonly PgNode[];
  readonly withClause?: WithClause;
  readonly intoClause?: unknown;
  readonly op?: string;
  readonly all?: boolean;
  readonly larg?: SelectStmt;
  readonly rarg?: SelectStmt;
}

export interface DefElem { readonly defname: string; readonly arg?: PgNode; readonly location?: number }
export interface ExplainStmt { readonly query: PgNode; readonly options?: readonly PgNode[] }

export interface ListNode { readonly items?: readonly PgNode[] }

/** The tag of a node: `{ ColumnRef: … }` → 'ColumnRef'. */
export function nodeTag(n: PgNode): string {
  const keys = Object.keys(n);
  return keys.length === 1 ? keys[0] : keys.length === 0 ? '' : keys[0];
}

/** The body of `n` when its tag is `tag`, else undefined. */
export function unwrap<T>(n: PgNode | undefined, tag: string): T | undefined {
  if (n === undefined || n === null || typeof n !== 'object') return undefined;
  const v = n[tag];
  return v !== undefined && v !== null && typeof v === 'object' ? (v as T) : undefined;
}

/** `{String:{sval:'x'}}` → 'x' (empty string when absent). */
export function stringValue(n: PgNode | undefined): string | undefined {
  const s = unwrap<PgString>(n, 'String');
  return s ? (s.sval ?? '') : undefined;
}

/** The `location` of any node, -1 when the parser gave none. */
export function nodeLocation(n: PgNode | undefined): number {
  if (n === undefined) return -1;
  const body = n[nodeTag(n)];
  if (body !== null && typeof body === 'object' && 'location' in body) {
    const loc = (body as { location?: unknown }).location;
    if (typeof loc === 'number') return loc;
  }
  return -1;
}

/** Names of a dotted name list (`funcname`, `TypeName.names`, `usingClause`). */
export function nameList(list: readonly PgNode[] | undefined): string[] {
  return (list ?? []).map((n) => stringValue(n) ?? '');
}
