/**
 * Name resolution scope of one SELECT level: the relations of its FROM clause and their columns.
 */
import { EngineError } from '../errors.js';
import type { DataType } from '../types/data-type.js';

export interface ScopeColumn {
  /** Name as visible in this scope (an alias column list may rename it). */
  readonly name: string;
  readonly id: number;
  readonly type: DataType;
  /** Relation name PostgreSQL uses in messages (`t.x must appear in the GROUP BY …`). */
  readonly relName: string;
  /** Display name for ColumnExpr: `alias.col` when the relation has an explicit alias. */
  readonly display: string;
}

export interface ScopeRelation {
  /** Name that qualifies its columns (`t` in `t.x`); null for an unnamed join result. */
  readonly alias: string | null;
  readonly columns: readonly ScopeColumn[];
}

export interface ScopeEntry {
  readonly column: ScopeColumn;
  /** False for the right-hand copy of a JOIN … USING column: reachable only when qualified. */
  readonly visible: boolean;
}

export class Scope {
  constructor(
    readonly relations: readonly ScopeRelation[],
    /** Columns in `SELECT *` order, with their unqualified visibility. */
    readonly entries: readonly ScopeEntry[],
  ) {}

  static empty(): Scope {
    return new Scope([], []);
  }

  static ofRelation(rel: ScopeRelation): Scope {
    return new Scope([rel], rel.columns.map((column) => ({ column, visible: true })));
  }

  /** Columns of `SELECT *`. */
  starColumns(): ScopeColumn[] {
    return this.entries.filter((e) => e.visible).map((e) => e.column);
  }

  findRelation(alias: string): ScopeRelation | undefined {
    const exact = this.relations.filter((r) => r.alias === alias);
    if (exact.length > 0) return exact[0];
    const lower = alias.toLowerCase();
    return this.relations.find((r) => r.alias !== null && r.alias.toLowerCase() === lower);
  }

  /** Unqualified lookup: visible columns named `name` (exact match first, then case-insensitive). */
  lookup(name: string): ScopeColumn[] {
    const visible = this.entries.filter((e) => e.visible);
    const exact = visible.filter((e) => e.column.name === name);
    if (exact.length > 0) return exact.map((e) => e.column);
    const lower = name.toLowerCase();
    return visible.filter((e) => e.column.name.toLowerCase() === lower).map((e) => e.column);
  }

  /** Columns of one relation named `name`. */
  static lookupIn(rel: ScopeRelation, name: string): ScopeColumn[] {
    const exact = rel.columns.filter((c) => c.name === name);
    if (exact.length > 0) return exact;
    const lower = name.toLowerCase();
    return rel.columns.filter((c) => c.name.toLowerCase() === lower);
  }

  /** Concatenation for joins (left's relations and columns first). */
  static join(left: Scope, right: Scope, position: number): Scope {
    for (const r of right.relations) {
      if (r.alias !== null && left.relations.some((l) => l.alias === r.alias)) {
        throw new EngineError('ambiguous_column', `table name "${r.alias}" specified more than once`, position);
      }
    }
    return new Scope([...left.relations, ...right.relations], [...left.entries, ...right.entries]);
  }
}
