/**
 * Aggregates and window functions found while binding a SELECT: they are collected (deduplicated
 * structurally), replaced in expressions by references to the Aggregate/Window node outputs, and
 * the grouped-query check rewrites expressions over group keys (PostgreSQL's parseCheckAggregates).
 */
import { EngineError } from '../errors.js';
import { col, type AggregateExpr, type Expr, type WindowExpr } from '../logical/expr.js';
import type { BindContext } from './context.js';
import type { WindowDef } from './ast.js';
import { exprKey } from './names.js';

export interface CollectedAggregate {
  readonly id: number;
  readonly name: string;
  readonly agg: AggregateExpr;
  readonly key: string;
  /** Source position of the first call. */
  readonly position: number;
}

export interface CollectedWindow {
  readonly id: number;
  readonly name: string;
  window: WindowExpr;
  readonly key: string;
  readonly position: number;
}

export class AggregateCollector {
  readonly items: CollectedAggregate[] = [];
  readonly ids = new Set<number>();

  constructor(private readonly ctx: BindContext) {}

  /** Registers an aggregate call (or finds the same one) and returns a reference to its output. */
  add(agg: AggregateExpr, name: string, position: number): Expr {
    const key = `${agg.fn}|${agg.distinct ? 'd' : ''}|${agg.arg ? exprKey(agg.arg) : '*'}|${agg.filter ? exprKey(agg.filter) : ''}`;
    let item = this.items.find((a) => a.key === key);
    if (!item) {
      item = { id: this.ctx.newId(), name, agg, key, position };
      this.items.push(item);
      this.ids.add(item.id);
    }
    return col(item.id, item.name, agg.type);
  }
}

export class WindowCollector {
  readonly items: CollectedWindow[] = [];
  readonly ids = new Set<number>();

  constructor(
    private readonly ctx: BindContext,
    /** Named windows of the WINDOW clause. */
    readonly defs: ReadonlyMap<string, WindowDef>,
  ) {}

  add(window: WindowExpr, name: string, position: number): Expr {
    const key = JSON.stringify([
      window.fn,
      window.arg ? exprKey(window.arg) : null,
      window.partitionBy.map(exprKey),
      window.orderBy.map((k) => [exprKey(k.expr), k.ascending, k.nullsFirst]),
      window.frame,
      window.offset ?? null,
      window.defaultValue ? exprKey(window.defaultValue) : null,
    ]);
    let item = this.items.find((w) => w.key === key);
    if (!item) {
      item = { id: this.ctx.newId(), name, window, key, position };
      this.items.push(item);
      this.ids.add(item.id);
    }
    return col(item.id, item.name, window.type);
  }
}

export interface GroupKey {
  readonly id: number;
  readonly name: string;
  readonly expr: Expr;
  readonly key: string;
}

/**
 * Rewrites an expression evaluated above the Aggregate node: sub-expressions equal to a group
 * key become references to it; aggregate/window outputs stay; any other column is a grouping
 * error at its position.
 */
export function rewriteOverGroups(
  e: Expr,
  groups: readonly GroupKey[],
  allowed: ReadonlySet<number>,
  ctx: BindContext,
): Expr {
  const rec = (x: Expr): Expr => {
    if (groups.length > 0 && x.kind !== 'literal') {
      const k = exprKey(x);
      const g = groups.find((gk) => gk.key === k);
      if (g) return col(g.id, x.kind === 'column' ? x.name : g.name, g.expr.type);
    }
    switch (x.kind) {
      case 'column': {
        if (allowed.has(x.id)) return x;
        const origin = ctx.columnOrigin.get(x.id) ?? x.name;
        throw new EngineError(
          'grouping_error',
          `column "${origin}" must appear in the GROUP BY clause or be used in an aggregate function`,
          ctx.positions.get(x),
        );
      }
      case 'literal':
        return x;
      case 'call':
        return { ...x, args: x.args.map(rec) };
      case 'cast':
        return { ...x, expr: rec(x.expr) };
      case 'case':
        return {
          ...x,
          whens: x.whens.map((w) => ({ when: rec(w.when), then: rec(w.then) })),
          otherwise: x.otherwise ? rec(x.otherwise) : null,
        };
      case 'in_list':
        return { ...x, expr: rec(x.expr), list: x.list.map(rec) };
    }
  };
  return rec(e);
}

/** Rewrites a window expression's inputs over the group keys (windows run after the aggregate). */
export function rewriteWindowOverGroups(
  w: WindowExpr,
  groups: readonly GroupKey[],
  allowed: ReadonlySet<number>,
  ctx: BindContext,
): WindowExpr {
  const r = (e: Expr): Expr => rewriteOverGroups(e, groups, allowed, ctx);
  return {
    ...w,
    arg: w.arg ? r(w.arg) : null,
    ...(w.defaultValue ? { defaultValue: r(w.defaultValue) } : {}),
    partitionBy: w.partitionBy.map(r),
    orderBy: w.orderBy.map((k) => ({ ...k, expr: r(k.expr) })),
  };
}
