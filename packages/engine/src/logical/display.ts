import { typeName, type DataType } from '../types/data-type.js';
import type { AggregateExpr, Expr, LiteralExpr, SortKey, WindowExpr, WindowFrame } from './expr.js';
import type { LogicalPlan, NamedExpr } from './plan.js';

/**
 * Text rendering of logical plans and expressions for EXPLAIN, in DataFusion's layout (one node
 * per line, children indented two spaces) with PostgreSQL-flavoured expressions:
 *
 *   Projection: sales.category, sum(sales.amount)
 *     Aggregate: groupBy=[[sales.category]], aggr=[[sum(sales.amount)]]
 *       TableScan: sales projection=[category, amount], filters=[sales.amount > 1000]
 */

/** Binary operators printed infix, with their precedence (higher binds tighter). */
const INFIX: Record<string, { op: string; prec: number }> = {
  or: { op: 'OR', prec: 1 },
  and: { op: 'AND', prec: 2 },
  eq: { op: '=', prec: 4 },
  neq: { op: '<>', prec: 4 },
  lt: { op: '<', prec: 4 },
  lte: { op: '<=', prec: 4 },
  gt: { op: '>', prec: 4 },
  gte: { op: '>=', prec: 4 },
  like: { op: 'LIKE', prec: 4 },
  not_like: { op: 'NOT LIKE', prec: 4 },
  ilike: { op: 'ILIKE', prec: 4 },
  not_ilike: { op: 'NOT ILIKE', prec: 4 },
  add: { op: '+', prec: 6 },
  sub: { op: '-', prec: 6 },
  mul: { op: '*', prec: 7 },
  div: { op: '/', prec: 7 },
  mod: { op: '%', prec: 7 },
};

/** Postfix predicates. */
const POSTFIX: Record<string, string> = {
  is_null: 'IS NULL',
  is_not_null: 'IS NOT NULL',
  is_true: 'IS TRUE',
  is_false: 'IS FALSE',
};

const PREC_NOT = 3;
const PREC_POSTFIX = 4;
const PREC_NEG = 8;
const PREC_ATOM = 10;

function precedenceOf(e: Expr): number {
  if (e.kind === 'call') {
    const inf = INFIX[e.fn];
    if (inf && e.args.length === 2) return inf.prec;
    if (e.fn === 'not' && e.args.length === 1) return PREC_NOT;
    if (e.fn === 'neg' && e.args.length === 1) return PREC_NEG;
    if (POSTFIX[e.fn] !== undefined && e.args.length === 1) return PREC_POSTFIX;
  }
  if (e.kind === 'in_list') return PREC_POSTFIX;
  return PREC_ATOM;
}

/** Formats `e`, parenthesized when it binds looser than `minPrec`. */
function formatAt(e: Expr, minPrec: number): string {
  const s = formatExpr(e);
  return precedenceOf(e) < minPrec ? `(${s})` : s;
}

function quoteString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Days since 1970-01-01 → 'YYYY-MM-DD'. */
function formatDate(days: number): string {
  const d = new Date(days * 86_400_000);
  const y = d.getUTCFullYear();
  const year = y < 0 ? `-${pad(-y, 4)}` : pad(y, 4);
  return `${year}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** Microseconds since epoch → 'YYYY-MM-DD HH:MM:SS[.ffffff]'. */
function formatTimestamp(micros: number): string {
  const secs = Math.floor(micros / 1_000_000);
  const frac = micros - secs * 1_000_000;
  const days = Math.floor(secs / 86_400);
  const sod = secs - days * 86_400;
  const hms = `${pad(Math.floor(sod / 3600), 2)}:${pad(Math.floor(sod / 60) % 60, 2)}:${pad(sod % 60, 2)}`;
  const base = `${formatDate(days)} ${hms}`;
  return frac === 0 ? base : `${base}.${pad(Math.round(frac), 6).replace(/0+$/, '')}`;
}

/** Unscaled decimal integer → exact text with `scale` digits after the point. */
function formatDecimal(unscaled: number, scale: number): string {
  if (scale === 0) return String(unscaled);
  const neg = unscaled < 0;
  const digits = String(Math.abs(Math.round(unscaled))).padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** A literal as PostgreSQL would write it: `1000`, `'a''b'`, `TRUE`, `NULL`, `DATE '2024-01-31'`, `12.50`. */
export function formatLiteral(e: LiteralExpr): string {
  const v = e.value;
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'string') return quoteString(v);
  const t: DataType = e.type;
  switch (t.kind) {
    case 'date': return `DATE '${formatDate(v)}'`;
    case 'timestamp': return `TIMESTAMP '${formatTimestamp(v)}'`;
    case 'decimal': return formatDecimal(v, t.scale);
    case 'float64':
      if (Number.isNaN(v)) return "'NaN'::double precision";
      if (!Number.isFinite(v)) return v > 0 ? "'Infinity'::double precision" : "'-Infinity'::double precision";
      return String(v);
    default:
      return String(v);
  }
}

export function formatExpr(e: Expr): string {
  switch (e.kind) {
    case 'column':
      return e.name;
    case 'literal':
      return formatLiteral(e);
    case 'cast':
      return `CAST(${formatExpr(e.expr)} AS ${typeName(e.type)})`;
    case 'case': {
      const parts = ['CASE'];
      for (const w of e.whens) parts.push(`WHEN ${formatExpr(w.when)} THEN ${formatExpr(w.then)}`);
      if (e.otherwise) parts.push(`ELSE ${formatExpr(e.otherwise)}`);
      parts.push('END');
      return parts.join(' ');
    }
    case 'in_list':
      return `${formatAt(e.expr, PREC_POSTFIX + 1)} ${e.negated ? 'NOT IN' : 'IN'} (${e.list.map(formatExpr).join(', ')})`;
    case 'call': {
      const inf = INFIX[e.fn];
      if (inf && e.args.length === 2) {
        // Left-associative: the right operand needs parentheses at equal precedence (a - (b - c)),
        // except for the associative AND / OR. Comparisons never chain without parentheses.
        const assoc = e.fn === 'and' || e.fn === 'or';
        const leftMin = inf.prec === 4 ? inf.prec + 1 : inf.prec;
        const rightMin = assoc ? inf.prec : inf.prec + 1;
        return `${formatAt(e.args[0], leftMin)} ${inf.op} ${formatAt(e.args[1], rightMin)}`;
      }
      if (e.args.length === 1) {
        if (e.fn === 'not') return `NOT ${formatAt(e.args[0], PREC_NOT)}`;
        if (e.fn === 'neg') return `-${formatAt(e.args[0], PREC_NEG + 1)}`;
        const post = POSTFIX[e.fn];
        if (post !== undefined) return `${formatAt(e.args[0], PREC_POSTFIX + 1)} ${post}`;
      }
      return `${e.fn}(${e.args.map(formatExpr).join(', ')})`;
    }
  }
}

export function formatAggregate(a: AggregateExpr): string {
  let s: string;
  if (a.fn === 'count_star' || a.arg === null) s = `${a.fn === 'count_star' ? 'count' : a.fn}(*)`;
  else s = `${a.fn}(${a.distinct ? 'DISTINCT ' : ''}${formatExpr(a.arg)})`;
  if (a.filter) s += ` FILTER (WHERE ${formatExpr(a.filter)})`;
  return s;
}

export function formatSortKey(k: SortKey): string {
  return `${formatExpr(k.expr)} ${k.ascending ? 'ASC' : 'DESC'} ${k.nullsFirst ? 'NULLS FIRST' : 'NULLS LAST'}`;
}

function formatFrame(f: WindowFrame): string {
  switch (f.mode) {
    case 'range': return 'RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW';
    case 'partition': return 'ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING';
    case 'rows': {
      const start = f.preceding === null ? 'UNBOUNDED PRECEDING' : f.preceding === 0 ? 'CURRENT ROW' : `${f.preceding} PRECEDING`;
      const end = f.following === 0 ? 'CURRENT ROW' : `${f.following} FOLLOWING`;
      return `ROWS BETWEEN ${start} AND ${end}`;
    }
  }
}

export function formatWindow(w: WindowExpr): string {
  const fn = w.fn === 'count_star' ? 'count' : w.fn;
  const args: string[] = w.arg ? [formatExpr(w.arg)] : [];
  if (w.offset !== undefined) args.push(String(w.offset));
  if (w.defaultValue) args.push(formatExpr(w.defaultValue));
  const arg = w.fn === 'count_star' ? '*' : args.join(', ');
  let s = `${fn}(${arg})`;
  if (w.partitionBy.length > 0) s += ` PARTITION BY [${w.partitionBy.map(formatExpr).join(', ')}]`;
  if (w.orderBy.length > 0) s += ` ORDER BY [${w.orderBy.map(formatSortKey).join(', ')}]`;
  s += ` ${formatFrame(w.frame)}`;
  return s;
}

/** `expr`, or `expr AS name` when the name is not what the expression already shows. */
function formatNamed(n: NamedExpr): string {
  const s = formatExpr(n.expr);
  if (n.expr.kind === 'column') {
    const shown = n.expr.name;
    if (shown === n.name || shown.endsWith(`.${n.name}`)) return s;
  }
  return s === n.name ? s : `${s} AS ${n.name}`;
}

const MAX_VALUES_ROWS = 5;

/** The one-line description of a node (without its children). */
export function formatNode(plan: LogicalPlan): string {
  switch (plan.kind) {
    case 'scan': {
      const name = plan.alias && plan.alias !== plan.table ? `${plan.table} AS ${plan.alias}` : plan.table;
      let s = `TableScan: ${name} projection=[${plan.fields.map((f) => f.name).join(', ')}]`;
      if (plan.filters.length > 0) s += `, filters=[${plan.filters.map(formatExpr).join(', ')}]`;
      return s;
    }
    case 'values': {
      if (plan.rows.length === 0) return `EmptyRelation: [${plan.fields.map((f) => f.name).join(', ')}]`;
      const rows = plan.rows.slice(0, MAX_VALUES_ROWS).map((r) => `(${r.map(formatExpr).join(', ')})`);
      if (plan.rows.length > MAX_VALUES_ROWS) rows.push(`... ${plan.rows.length - MAX_VALUES_ROWS} more rows`);
      return `Values: ${rows.join(', ')}`.trimEnd();
    }
    case 'projection':
      return `Projection: ${plan.exprs.map(formatNamed).join(', ')}`;
    case 'filter':
      return `Filter: ${formatExpr(plan.predicate)}`;
    case 'aggregate':
      return `Aggregate: groupBy=[[${plan.groupBy.map(formatNamed).join(', ')}]], aggr=[[${plan.aggregates.map((a) => formatAggregate(a.agg)).join(', ')}]]`;
    case 'join': {
      const kind = ({ inner: 'Inner', left: 'Left', full: 'Full', semi: 'LeftSemi', anti: 'LeftAnti', cross: 'Cross' } as const)[plan.joinType];
      const parts: string[] = [];
      if (plan.on.length > 0) parts.push(plan.on.map((k) => `${formatAt(k.left, 5)} = ${formatAt(k.right, 5)}`).join(', '));
      if (plan.filter) parts.push(`filter=${formatExpr(plan.filter)}`);
      if (plan.strategy !== 'auto') parts.push(`strategy=${plan.strategy}${plan.strategyReason ? ` (${plan.strategyReason})` : ''}`);
      return `${kind} Join:${parts.length > 0 ? ' ' + parts.join(', ') : ''}`;
    }
    case 'sort': {
      let s = `Sort: ${plan.keys.map(formatSortKey).join(', ')}`;
      if (plan.fetch !== null) s += `, fetch=${plan.fetch}`;
      return s;
    }
    case 'limit':
      return `Limit: skip=${plan.skip}, fetch=${plan.fetch === null ? 'None' : plan.fetch}`;
    case 'window':
      return `WindowAggr: windowExpr=[[${plan.windows.map((w) => formatWindow(w.window)).join(', ')}]]`;
    case 'max_one_row':
      return plan.keys && plan.keys.length > 0 ? `MaxOneRow: per [${plan.keys.map(formatExpr).join(', ')}]` : 'MaxOneRow';
    case 'recursive_cte':
      return `RecursiveQuery: ${plan.name}${plan.all ? ' (UNION ALL)' : ' (UNION)'} [${plan.fields.map((f) => f.name).join(', ')}]`;
    case 'work_table':
      return `WorkTableScan: ${plan.name} [${plan.fields.map((f) => f.name).join(', ')}]`;
    case 'set_op': {
      const name = plan.op === 'union' ? 'Union' : plan.op === 'intersect' ? 'Intersect' : 'Except';
      return `${name}${plan.all ? ' All' : ''}: [${plan.fields.map((f) => f.name).join(', ')}]`;
    }
  }
}

export function formatLogicalPlan(plan: LogicalPlan): string {
  const lines: string[] = [];
  const visit = (p: LogicalPlan, depth: number): void => {
    lines.push('  '.repeat(depth) + formatNode(p));
    switch (p.kind) {
      case 'scan':
      case 'values':
        return;
      case 'join':
        visit(p.left, depth + 1);
        visit(p.right, depth + 1);
        return;
      case 'set_op':
        for (const i of p.inputs) visit(i, depth + 1);
        return;
      case 'recursive_cte':
        visit(p.static, depth + 1);
        visit(p.recursive, depth + 1);
        return;
      case 'work_table':
        return;
      default:
        visit(p.input, depth + 1);
    }
  };
  visit(plan, 0);
  return lines.join('\n');
}
