import { Catalog, type TableSource } from '../../src/catalog.js';
import { loadParser, parseSql } from '../../src/sql/parse.js';
import { bindStatement, type BoundStatement } from '../../src/sql/binder.js';
import type { Field } from '../../src/types/batch.js';
import { BOOL, DATE, FLOAT64, INT32, INT64, TIMESTAMP, UTF8, decimal } from '../../src/types/data-type.js';
import { childrenOf, type LogicalPlan } from '../../src/logical/plan.js';
import { EngineError } from '../../src/errors.js';

/** A schema-only table: binding never scans. */
export function fakeTable(schema: Field[]): TableSource {
  return {
    kind: 'memory',
    schema,
    statistics: () => ({}),
    scan: () => {
      throw new Error('fake table: scan not available in binder tests');
    },
  };
}

const f = (name: string, type: Field['type'], nullable = true): Field => ({ name, type, nullable });

export function testCatalog(): Catalog {
  const c = new Catalog();
  c.register('sales', fakeTable([
    f('id', INT32, false), f('category', UTF8), f('amount', decimal(10, 2)), f('quantity', INT32), f('order_date', DATE),
    f('region', UTF8), f('customer_id', INT64), f('ts', TIMESTAMP), f('price', FLOAT64), f('active', BOOL),
  ]));
  c.register('customers', fakeTable([f('id', INT64, false), f('name', UTF8), f('region', UTF8)]));
  c.register('t', fakeTable([f('a', INT32), f('b', INT32), f('x', INT32)]));
  c.register('u', fakeTable([f('a', INT32), f('c', UTF8)]));
  c.register('MixedCase', fakeTable([f('CustomerID', INT32), f('Name', UTF8)]));
  return c;
}

export async function setup(): Promise<void> {
  await loadParser();
}

export function bind(sql: string, catalog: Catalog = testCatalog()): BoundStatement {
  const stmts = parseSql(sql);
  if (stmts.length !== 1) throw new Error(`expected one statement, got ${stmts.length}`);
  return bindStatement(stmts[0], catalog, sql);
}

export function plan(sql: string): LogicalPlan {
  return bind(sql).plan;
}

/** The EngineError a statement raises (fails the test when it binds). */
export function bindError(sql: string): EngineError {
  try {
    bind(sql);
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error(`expected an error binding: ${sql}`);
}

/** Node kinds from the root down the first-child chain: 'projection>sort>filter>scan'. */
export function shape(p: LogicalPlan): string {
  const kids = childrenOf(p);
  if (kids.length === 0) return p.kind;
  if (kids.length === 1) return `${p.kind}>${shape(kids[0])}`;
  return `${p.kind}(${kids.map(shape).join(', ')})`;
}

/** Finds the first node of a kind (depth-first). */
export function find<K extends LogicalPlan['kind']>(p: LogicalPlan, kind: K): Extract<LogicalPlan, { kind: K }> {
  const stack: LogicalPlan[] = [p];
  while (stack.length > 0) {
    const n = stack.shift()!;
    if (n.kind === kind) return n as Extract<LogicalPlan, { kind: K }>;
    stack.push(...childrenOf(n));
  }
  throw new Error(`no ${kind} node in plan`);
}

import type { Expr } from '../../src/logical/expr.js';
import { typeName } from '../../src/types/data-type.js';

/** Compact expression text with column ids: `amount#3`, `gt(quantity#4, 1:integer)`. */
export function ex(e: Expr): string {
  switch (e.kind) {
    case 'column': return `${e.name}#${e.id}`;
    case 'literal': return `${JSON.stringify(e.value)}:${typeName(e.type)}`;
    case 'cast': return `${ex(e.expr)}::${typeName(e.type)}`;
    case 'call': return `${e.fn}(${e.args.map(ex).join(', ')})`;
    case 'case': return `case(${e.whens.map((w) => `${ex(w.when)} => ${ex(w.then)}`).join('; ')}${e.otherwise ? `; else ${ex(e.otherwise)}` : ''})`;
    case 'in_list': return `${ex(e.expr)} ${e.negated ? 'not in' : 'in'} (${e.list.map(ex).join(', ')})`;
  }
}

/** Indented one-line-per-node plan text. */
export function text(p: LogicalPlan, indent = ''): string {
  const kids = (n: LogicalPlan[]) => n.map((c) => '\n' + text(c, indent + '  ')).join('');
  switch (p.kind) {
    case 'scan': return `${indent}scan ${p.table} as ${p.alias} [${p.fields.map((f) => `${f.name}#${f.id}`).join(', ')}]`;
    case 'values': return `${indent}values ${p.rows.length} rows [${p.fields.map((f) => `${f.name}#${f.id}:${typeName(f.type)}`).join(', ')}]`;
    case 'filter': return `${indent}filter ${ex(p.predicate)}` + kids([p.input]);
    case 'projection': return `${indent}projection ${p.exprs.map((n) => `${n.name}#${n.id} := ${ex(n.expr)}`).join(', ')}` + kids([p.input]);
    case 'aggregate':
      return `${indent}aggregate by [${p.groupBy.map((g) => `${g.name}#${g.id} := ${ex(g.expr)}`).join(', ')}] aggs [${p.aggregates
        .map((a) => `#${a.id} := ${a.agg.fn}(${a.agg.distinct ? 'distinct ' : ''}${a.agg.arg ? ex(a.agg.arg) : '*'})${a.agg.filter ? ` filter ${ex(a.agg.filter)}` : ''}:${typeName(a.agg.type)}`)
        .join(', ')}]` + kids([p.input]);
    case 'join':
      return `${indent}join ${p.joinType} on [${p.on.map((k) => `${ex(k.left)} = ${ex(k.right)}`).join(', ')}]${p.filter ? ` filter ${ex(p.filter)}` : ''}` + kids([p.left, p.right]);
    case 'sort': return `${indent}sort ${p.keys.map((k) => `${ex(k.expr)} ${k.ascending ? 'asc' : 'desc'} nulls ${k.nullsFirst ? 'first' : 'last'}`).join(', ')}` + kids([p.input]);
    case 'limit': return `${indent}limit skip=${p.skip} fetch=${p.fetch}` + kids([p.input]);
    case 'recursive_cte':
      return `${indent}recursive ${p.name}${p.all ? ' all' : ''} [${p.fields.map((f) => `${f.name}#${f.id}:${typeName(f.type)}`).join(', ')}]` + kids([p.static, p.recursive]);
    case 'work_table':
      return `${indent}work_table ${p.name} [${p.fields.map((f) => `${f.name}#${f.id}:${typeName(f.type)}`).join(', ')}]`;
    case 'max_one_row': return `${indent}max_one_row` + kids([p.input]);
    case 'set_op':
      return `${indent}${p.op}${p.all ? ' all' : ''} [${p.fields.map((f) => `${f.name}#${f.id}:${typeName(f.type)}`).join(', ')}]` + kids([...p.inputs]);
    case 'window':
      return `${indent}window ${p.windows.map((w) => `#${w.id} := ${w.window.fn}(${w.window.arg ? ex(w.window.arg) : ''}) over (partition [${w.window.partitionBy.map(ex).join(', ')}] order [${w.window.orderBy.map((k) => `${ex(k.expr)} ${k.ascending ? 'asc' : 'desc'}`).join(', ')}] ${JSON.stringify(w.window.frame)}):${typeName(w.window.type)}`).join(', ')}` + kids([p.input]);
  }
}
