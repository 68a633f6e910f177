/** Output column names (PostgreSQL's FigureColname) and display strings of bound expressions. */
import type { Expr } from '../logical/expr.js';
import { typeName } from '../types/data-type.js';
import {
  nameList, nodeTag, stringValue, unwrap,
  type AExpr, type ColumnRef, type FuncCall, type PgNode, type SQLValueFunction, type TypeCast, type SubLink, type MinMaxExpr,
} from './ast.js';

/** Name and strength (2: a real name, 1: a type/keyword fallback, 0: none) as PostgreSQL's FigureColnameInternal. */
function figure(node: PgNode | undefined): [string, number] {
  if (node === undefined) return ['?column?', 0];
  switch (nodeTag(node)) {
    case 'ColumnRef': {
      const fields = unwrap<ColumnRef>(node, 'ColumnRef')!.fields;
      for (let i = fields.length - 1; i >= 0; i--) {
        const s = stringValue(fields[i]);
        if (s !== undefined) return [s, 2];
      }
      return ['?column?', 0];
    }
    case 'FuncCall': {
      const names = nameList(unwrap<FuncCall>(node, 'FuncCall')!.funcname);
      return [names[names.length - 1], 2];
    }
    case 'A_Expr': {
      const e = unwrap<AExpr>(node, 'A_Expr')!;
      if (e.kind === 'AEXPR_NULLIF') return ['nullif', 2];
      return ['?column?', 0];
    }
    case 'TypeCast': {
      const tc = unwrap<TypeCast>(node, 'TypeCast')!;
      const [name, strength] = figure(tc.arg);
      if (strength <= 1) {
        const names = nameList(tc.typeName.names);
        return [names[names.length - 1] ?? '?column?', 1];
      }
      return [name, strength];
    }
    case 'CollateClause': {
      const arg = (node.CollateClause as { arg?: PgNode }).arg;
      return figure(arg);
    }
    case 'CaseExpr': return ['case', 1];
    case 'CoalesceExpr': return ['coalesce', 2];
    case 'MinMaxExpr': {
      const op = unwrap<MinMaxExpr>(node, 'MinMaxExpr')!.op;
      return [op === 'IS_GREATEST' ? 'greatest' : 'least', 2];
    }
    case 'SQLValueFunction': {
      const op = unwrap<SQLValueFunction>(node, 'SQLValueFunction')!.op;
      return [op.replace(/^SVFOP_/, '').toLowerCase().replace(/_n$/, ''), 2];
    }
    case 'SubLink': {
      const s = unwrap<SubLink>(node, 'SubLink')!;
      if (s.subLinkType === 'EXISTS_SUBLINK') return ['exists', 2];
      if (s.subLinkType === 'ARRAY_SUBLINK') return ['array', 2];
      return ['?column?', 0];
    }
    case 'A_ArrayExpr': return ['array', 2];
    case 'RowExpr': return ['row', 2];
    case 'GroupingFunc': return ['grouping', 2];
    default: return ['?column?', 0];
  }
}

/** The output column name PostgreSQL gives an unaliased select-list expression. */
export function figureColname(node: PgNode | undefined): string {
  return figure(node)[0];
}

const INFIX: Record<string, string> = {
  add: '+', sub: '-', mul: '*', div: '/', mod: '%', eq: '=', neq: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=',
  and: 'AND', or: 'OR', like: '~~', not_like: '!~~', ilike: '~~*', not_ilike: '!~~*',
  date_add_days: '+', date_sub_days: '-', date_diff_days: '-',
};

function literalText(e: Expr & { kind: 'literal' }): string {
  if (e.value === null) return 'NULL';
  if (typeof e.value === 'string') return `'${e.value.replace(/'/g, "''")}'`;
  if (typeof e.value === 'boolean') return e.value ? 'true' : 'false';
  if (e.type.kind === 'decimal' && e.type.scale > 0) return (e.value / 10 ** e.type.scale).toFixed(e.type.scale);
  return String(e.value);
}

/** Short SQL-like text of a bound expression, for names of aggregates, group keys and windows. */
export function exprDisplay(e: Expr): string {
  switch (e.kind) {
    case 'column': return e.name;
    case 'literal': return literalText(e);
    case 'cast': return `CAST(${exprDisplay(e.expr)} AS ${typeName(e.type)})`;
    case 'case':
      return `CASE ${e.whens.map((w) => `WHEN ${exprDisplay(w.when)} THEN ${exprDisplay(w.then)}`).join(' ')}${e.otherwise ? ` ELSE ${exprDisplay(e.otherwise)}` : ''} END`;
    case 'in_list':
      return `${exprDisplay(e.expr)} ${e.negated ? 'NOT IN' : 'IN'} (${e.list.map(exprDisplay).join(', ')})`;
    case 'call': {
      const op = INFIX[e.fn];
      if (op !== undefined && e.args.length === 2) return `(${exprDisplay(e.args[0])} ${op} ${exprDisplay(e.args[1])})`;
      if (e.fn === 'neg') return `(- ${exprDisplay(e.args[0])})`;
      if (e.fn === 'not') return `(NOT ${exprDisplay(e.args[0])})`;
      if (e.fn === 'is_null') return `(${exprDisplay(e.args[0])} IS NULL)`;
      if (e.fn === 'is_not_null') return `(${exprDisplay(e.args[0])} IS NOT NULL)`;
      return `${e.fn}(${e.args.map(exprDisplay).join(', ')})`;
    }
  }
}

function typeKey(t: Expr['type']): string {
  return t.kind === 'decimal' ? `decimal(${t.precision},${t.scale})` : t.kind;
}

/** Structural identity of a bound expression (columns by id): equal keys ⇔ same computation. */
export function exprKey(e: Expr): string {
  switch (e.kind) {
    case 'column': return `#${e.id}`;
    case 'literal': return `lit:${typeKey(e.type)}:${JSON.stringify(e.value)}`;
    case 'cast': return `cast(${exprKey(e.expr)}:${typeKey(e.type)})`;
    case 'call': return `${e.fn}(${e.args.map(exprKey).join(',')})`;
    case 'case':
      return `case(${e.whens.map((w) => `${exprKey(w.when)}=>${exprKey(w.then)}`).join(';')};else ${e.otherwise ? exprKey(e.otherwise) : ''})`;
    case 'in_list': return `in(${e.negated ? '!' : ''}${exprKey(e.expr)};${e.list.map(exprKey).join(',')})`;
  }
}
