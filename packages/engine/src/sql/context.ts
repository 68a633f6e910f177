/** State shared by the whole statement being bound: column ids, positions, catalog, CTEs. */
import type { Catalog } from '../catalog.js';
import type { Expr } from '../logical/expr.js';
import type { ResolvedScalar } from '../expr/registry.js';
import type { CommonTableExpr } from './ast.js';
import { byteToCharOffset, isAscii } from './parse.js';
import type { Scope } from './scope.js';

export interface CteDefinition {
  readonly def: CommonTableExpr;
  /** CTEs visible to this one's body (those defined before it, and outer ones). */
  readonly visible: CteScope | null;
  /** Defined in WITH RECURSIVE: its body may reference itself (and sees itself). */
  readonly recursive?: boolean;
}

/** A recursive CTE whose recursive term is being bound: references to it read the work table. */
export interface WorkTableBinding {
  readonly id: number;
  readonly fields: readonly { readonly name: string; readonly type: import('../types/data-type.js').DataType }[];
  referenced: boolean;
}

/** A WITH clause's names, chained to the enclosing query's. */
export interface CteScope {
  readonly ctes: ReadonlyMap<string, CteDefinition>;
  readonly parent: CteScope | null;
}

/** The scope of a query whose subquery is being bound, and the outer columns that subquery reads. */
export interface OuterScope {
  readonly scope: Scope;
  /** Ids of this scope's columns referenced from inside the subquery (correlation). */
  readonly refs: Set<number>;
}

export class BindContext {
  /**
   * Enclosing queries' scopes while a subquery expression is bound, innermost last: a column
   * name the subquery's own FROM does not have is looked up here (a correlated reference).
   */
  readonly outer: OuterScope[] = [];
  /** Recursive CTEs being bound: null while the non-recursive term is bound, then their work table. */
  readonly recursiveCtes = new Map<CommonTableExpr, WorkTableBinding | null>();
  private nextColumnId = 1;
  private readonly ascii: boolean;
  /** Source position of bound column references (for grouping errors). */
  readonly positions = new WeakMap<Expr, number>();
  /** `rel.col` PostgreSQL uses for a column id in grouping errors. */
  readonly columnOrigin = new Map<number, string>();

  constructor(
    readonly catalog: Catalog,
    readonly sqlText: string,
    /** Function/operator resolution over bound arguments (resolveScalarCall by default). */
    readonly resolveCall: (fn: string, args: readonly Expr[]) => ResolvedScalar | null,
  ) {
    this.ascii = isAscii(sqlText);
  }

  newId(): number {
    return this.nextColumnId++;
  }

  /** Parser location (UTF-8 bytes, -1 when unknown) → 0-based string offset (undefined when unknown). */
  pos(location: number | undefined): number {
    if (location === undefined || location < 0) return -1;
    return this.ascii ? location : byteToCharOffset(this.sqlText, location);
  }
}
