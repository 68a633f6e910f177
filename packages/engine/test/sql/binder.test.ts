import { beforeAll, describe, expect, it } from 'vitest';
import { childrenOf, outputFields } from '../../src/logical/plan.js';
import { typeName } from '../../src/types/data-type.js';
import { bind, bindError, ex, find, plan, setup, shape, text } from './helpers.js';

beforeAll(setup);

const names = (sql: string): string[] => outputFields(plan(sql)).map((f) => f.name);
const types = (sql: string): string[] => outputFields(plan(sql)).map((f) => typeName(f.type));
const projExprs = (sql: string): string[] => find(plan(sql), 'projection').exprs.map((n) => ex(n.expr));

describe('output names (FigureColname)', () => {
  it('uses aliases, column names, function names and ?column?', () => {
    expect(names('select a, b as bee, t.x, count(*), sum(a), 1, a + 1, upper(c) from t join u using (a) group by a, b, t.x, c'))
      .toEqual(['a', 'bee', 'x', 'count', 'sum', '?column?', '?column?', 'upper']);
  });
  it('names casts like PostgreSQL', () => {
    expect(names("select x::int, 1::int, cast(b as bigint), 'a'::text, date '2024-01-01' from t")).toEqual(['x', 'int4', 'b', 'text', 'date']);
  });
  it('names CASE, COALESCE, NULLIF, extract, window functions', () => {
    expect(names('select case when a > 0 then 1 end, coalesce(a, 0), nullif(a, 0), row_number() over () from t'))
      .toEqual(['case', 'coalesce', 'nullif', 'row_number']);
    expect(names('select extract(year from order_date), date_trunc(\'month\', order_date), current_date from sales'))
      .toEqual(['extract', 'date_trunc', 'current_date']);
  });
  it('allows duplicate names', () => {
    expect(names('select a, a from t')).toEqual(['a', 'a']);
  });
  it('expands * and t.* in scope order', () => {
    expect(names('select * from t')).toEqual(['a', 'b', 'x']);
    expect(names('select u.*, t.a from t, u')).toEqual(['a', 'c', 'a']);
    expect(names('select * from t join u using (a)')).toEqual(['a', 'b', 'x', 'c']);
    expect(names('select * from t natural join u')).toEqual(['a', 'b', 'x', 'c']);
  });
});

describe('plan shapes', () => {
  it('simple projection over a scan', () => {
    const p = plan('select a from t');
    expect(shape(p)).toBe('projection>scan');
    const scan = find(p, 'scan');
    expect(scan.table).toBe('t');
    expect(scan.fields.map((f) => f.name)).toEqual(['a', 'b', 'x']);
    expect(new Set(scan.fields.map((f) => f.id)).size).toBe(3);
  });
  it('SELECT without FROM is a one-row Values node', () => {
    const p = plan('select 1');
    expect(shape(p)).toBe('projection>values');
    expect(find(p, 'values').rows).toEqual([[]]);
  });
  it('WHERE → Filter, GROUP BY → Aggregate, HAVING → Filter above it, ORDER BY/LIMIT above the projection', () => {
    const p = plan('select category, sum(amount) from sales where quantity > 1 group by category having count(*) > 2 order by 2 desc limit 5');
    expect(shape(p)).toBe('limit>sort>projection>filter>aggregate>filter>scan');
    const agg = find(p, 'aggregate');
    expect(agg.groupBy.map((g) => ex(g.expr))).toEqual(['category#2']);
    expect(agg.aggregates.map((a) => a.agg.fn)).toEqual(['sum', 'count_star']);
    const sort = find(p, 'sort');
    expect(sort.keys[0].ascending).toBe(false);
    expect(sort.keys[0].nullsFirst).toBe(true);
    expect(find(p, 'limit')).toMatchObject({ skip: 0, fetch: 5 });
  });
  it('aggregates without GROUP BY give an Aggregate with no keys', () => {
    const agg = find(plan('select count(*), max(a) from t'), 'aggregate');
    expect(agg.groupBy).toEqual([]);
    expect(agg.aggregates.map((a) => typeName(a.agg.type))).toEqual(['bigint', 'integer']);
  });
  it('computes a repeated aggregate once', () => {
    const p = plan('select sum(a), sum(a) + 1 from t having sum(a) > 0 order by sum(a)');
    expect(find(p, 'aggregate').aggregates).toHaveLength(1);
  });
  it('hidden ORDER BY columns are dropped by a final projection', () => {
    const p = plan('select a from t order by b desc nulls last');
    expect(shape(p)).toBe('projection>sort>projection>scan');
    expect(outputFields(p).map((f) => f.name)).toEqual(['a']);
    const sort = find(p, 'sort');
    expect(sort.keys[0]).toMatchObject({ ascending: false, nullsFirst: false });
  });
  it('ORDER BY output alias, ordinal and matching expression use the select list', () => {
    for (const sql of ['select a + 1 as k from t order by k', 'select a + 1 as k from t order by 1', 'select a + 1 as k from t order by a + 1']) {
      expect(shape(plan(sql))).toBe('sort>projection>scan');
    }
  });
  it('ORDER BY default nulls: last for ASC, first for DESC', () => {
    const keys = find(plan('select a, b from t order by a, b desc'), 'sort').keys;
    expect(keys.map((k) => [k.ascending, k.nullsFirst])).toEqual([[true, false], [false, true]]);
  });
  it('DISTINCT is an Aggregate over the projection', () => {
    const p = plan('select distinct a, b from t order by b limit 3');
    expect(shape(p)).toBe('projection>limit>sort>aggregate>projection>scan');
    expect(outputFields(p).map((f) => f.name)).toEqual(['a', 'b']);
  });
  it('LIMIT ALL / OFFSET', () => {
    expect(find(plan('select a from t limit all offset 2'), 'limit')).toMatchObject({ skip: 2, fetch: null });
    expect(shape(plan('select a from t limit null'))).toBe('projection>scan');
    expect(find(plan('select a from t fetch first 3 rows only'), 'limit')).toMatchObject({ fetch: 3 });
  });
  it('every id is unique within a statement', () => {
    const p = plan('select s.category, count(*) from sales s join customers c on s.customer_id = c.id group by 1 order by 2');
    const ids: number[] = [];
    const walk = (n: typeof p): void => {
      for (const f of outputFields(n)) ids.push(f.id!);
      for (const c of childrenOf(n)) walk(c);
    };
    walk(p);
    // a field id appears once per node that produces it; filter/sort/limit pass ids through
    const produced = new Map<number, number>();
    for (const id of ids) produced.set(id, (produced.get(id) ?? 0) + 1);
    expect(outputFields(p).every((f) => typeof f.id === 'number')).toBe(true);
  });
});

describe('joins', () => {
  it('comma join → cross join with the WHERE filter above', () => {
    const p = plan('select * from sales s, customers c where s.customer_id = c.id');
    expect(shape(p)).toBe('projection>filter>join(scan, scan)');
    expect(find(p, 'join').joinType).toBe('cross');
  });
  it('splits ON into equi keys and a residual filter', () => {
    const j = find(plan('select 1 from sales s join customers c on c.id = s.customer_id and c.region <> s.region and c.name = \'x\''), 'join');
    expect(j.joinType).toBe('inner');
    expect(j.on.map((k) => [ex(k.left), ex(k.right)])).toEqual([['s.customer_id#7', 'c.id#11']]);
    expect(ex(j.filter!)).toBe('and(neq(c.region#13, s.region#6), eq(c.name#12, "x":text))');
  });
  it('LEFT JOIN keeps its type; RIGHT JOIN becomes a LEFT JOIN with swapped inputs', () => {
    expect(find(plan('select * from t left join u on t.a = u.a'), 'join').joinType).toBe('left');
    const r = find(plan('select t.a, u.c from t right join u on t.a = u.a'), 'join');
    expect(r.joinType).toBe('left');
    expect((r.left as { table?: string }).table).toBe('u');
    expect(ex(r.on[0].left)).toBe('u.a#4');
  });
  it('CROSS JOIN and JOIN … USING', () => {
    expect(find(plan('select * from t cross join u'), 'join').joinType).toBe('cross');
    const j = find(plan('select a from t join u using (a)'), 'join');
    expect(j.on).toHaveLength(1);
  });
  it('equi key on expressions, with casts from type resolution', () => {
    const j = find(plan('select 1 from sales s join customers c on s.id = c.id'), 'join');
    expect(ex(j.on[0].left)).toBe('s.id#1::bigint');
  });
  it('table aliases qualify display names', () => {
    expect(projExprs('select s.amount, amount from sales s')).toEqual(['s.amount#3', 's.amount#3']);
    expect(projExprs('select t.a, b from t')).toEqual(['t.a#1', 'b#2']);
  });
});

describe('subqueries and CTEs', () => {
  it('uncorrelated IN (SELECT …) in a WHERE conjunct becomes a semi join', () => {
    const p = plan("select b from t where a in (select a from u where c like 'x%') and b = 1");
    expect(shape(p)).toBe('projection>filter>join(scan, projection>filter>scan)');
    const j = find(p, 'join');
    expect(j.joinType).toBe('semi');
    expect(j.on).toHaveLength(1);
    expect(ex(find(p, 'filter').predicate)).toBe('eq(b#2, 1:integer)');
    expect(bindError('select b from t where a in (select a, c from u)').message).toBe('subquery has too many columns');
    expect(shape(plan('select b from t where a in (select a from u) or b = 1'))).toBe('projection>filter>join(join(scan, aggregate>projection>scan), aggregate>projection>scan)');
    // top-level NOT IN: anti join, then the subquery's row / non-NULL counts decide
    const notIn = plan('select b from t where a not in (select a from u)');
    expect(find(notIn, 'join')).toMatchObject({ joinType: 'left' });
    expect(shape(notIn)).toBe('projection>filter>join(join(scan, projection>scan), aggregate>projection>scan)');
    expect(ex(find(plan('select b from t where b = 1 or a not in (select a from u)'), 'filter').predicate)).toMatch(/not\(case/);
  });
  it('subquery in FROM with alias and column aliases', () => {
    const p = plan('select k, n from (select a, count(*) from t group by a) s(k, n) where n > 1');
    expect(shape(p)).toBe('projection>filter>projection>aggregate>scan');
    expect(outputFields(p).map((f) => f.name)).toEqual(['k', 'n']);
  });
  it('a CTE referenced twice is bound twice with fresh ids', () => {
    const p = plan('with q as (select a from t) select * from q x, q y where x.a = y.a');
    const j = find(p, 'join');
    const l = outputFields(j.left).map((f) => f.id);
    const r = outputFields(j.right).map((f) => f.id);
    expect(l.some((id) => r.includes(id))).toBe(false);
  });
  it('CTEs see earlier CTEs and shadow tables', () => {
    expect(names('with t as (select 1 as z), r as (select z + 1 as w from t) select * from r')).toEqual(['w']);
  });
});

describe('expressions and types', () => {
  it('integer literals: int4 when they fit, else int8; decimals keep their scale', () => {
    expect(types('select 1, 2147483647, 2147483648, 1.50, 0.001, -5')).toEqual(['integer', 'integer', 'bigint', 'numeric(3,2)', 'numeric(3,3)', 'integer']);
    expect(projExprs('select 1.50')).toEqual(['150:numeric(3,2)']);
  });
  it('string literals take the type of the other operand', () => {
    expect(projExprs("select order_date >= '2024-01-31' from sales")).toEqual(['gte(order_date#5, 19753:date)']);
    expect(projExprs("select ts < '2024-01-01 00:00:01' from sales")).toEqual(['lt(ts#8, 1704067201000000:timestamp)']);
    expect(projExprs("select a = '7' from t")).toEqual(['eq(a#1, 7:integer)']);
    expect(projExprs("select 'abc'")).toEqual(['"abc":text']);
  });
  it('invalid date literals raise invalid_text_representation at the literal', () => {
    const e = bindError("select * from sales where order_date = 'nope'");
    expect(e.code).toBe('invalid_text_representation');
    expect(e.message).toBe('invalid input syntax for type date: "nope"');
    expect(e.position).toBe(39);
  });
  it('arithmetic types come from resolveScalar; date arithmetic is renamed', () => {
    const ts = types('select a + 1, a * 1.5, order_date + 1, order_date - 1, order_date - order_date, a / 2 from sales, t');
    expect(ts[1]).toMatch(/^numeric\(\d+,1\)$/);
    expect(ts.filter((_, i) => i !== 1)).toEqual(['integer', 'date', 'date', 'integer', 'integer']);
    expect(projExprs('select order_date + 1, order_date - order_date from sales'))
      .toEqual(['date_add_days(order_date#5, 1:integer)', 'date_diff_days(order_date#5, order_date#5)']);
  });
  it('unary minus, NOT, AND/OR, IS [NOT] NULL, IS TRUE', () => {
    expect(projExprs('select -a, not active, active and a > 1 or b is null, a is not null, active is not true from sales, t'))
      .toEqual(['neg(a#11)', 'not(active#10)', 'or(and(active#10, gt(a#11, 1:integer)), is_null(b#12))', 'is_not_null(a#11)', 'not(is_true(active#10))']);
  });
  it('IN lists, BETWEEN, LIKE/ILIKE', () => {
    expect(projExprs("select a in (1, 2), a not in (1, 3000000000), c like 'x%', c not ilike 'y', a between 1 and 2, a not between 1 and 2 from t join u using (a)"))
      .toEqual([
        'a#1 in (1:integer, 2:integer)',
        'a#1::bigint not in (1:bigint, 3000000000:bigint)',
        'like(c#5, "x%":text)',
        'not_ilike(c#5, "y":text)',
        'and(gte(a#1, 1:integer), lte(a#1, 2:integer))',
        'or(lt(a#1, 1:integer), gt(a#1, 2:integer))',
      ]);
  });
  it('CASE (searched and simple), COALESCE, NULLIF', () => {
    expect(projExprs("select case when a > 1 then 'x' end, case a when 1 then 10 else 20 end, coalesce(a, b), nullif(a, 0) from t"))
      .toEqual([
        'case(gt(a#1, 1:integer) => "x":text)',
        'case(eq(a#1, 1:integer) => 10:integer; else 20:integer)',
        'coalesce(a#1, b#2)',
        'nullif(a#1, 0:integer)',
      ]);
  });
  it('CAST and :: to the supported type names', () => {
    expect(types("select a::bigint, a::int8, a::smallint, a::real, a::float8, a::double precision, a::numeric(10,2), a::decimal, a::text, 'x'::varchar(5), '1'::char(1), 'true'::bool, '2024-01-01'::date, '2024-01-01 10:00'::timestamp from t"))
      .toEqual(['bigint', 'bigint', 'integer', 'double precision', 'double precision', 'double precision', 'numeric(10,2)', 'numeric(10,0)', 'text', 'text', 'text', 'boolean', 'date', 'timestamp']);
    expect(projExprs("select '12.345'::numeric(5,2), 'abcdef'::varchar(3), cast(a as text) from t"))
      .toEqual(['1235:numeric(5,2)', '"abc":text', 'a#1::text']);
  });
  it('string functions, concat and ||', () => {
    expect(projExprs("select lower(c), upper(c), length(c), char_length(c), substring(c from 2 for 3), substr(c, 2), c || 'x', 'n=' || a from u"))
      .toEqual([
        'lower(c#2)', 'upper(c#2)', 'length(c#2)', 'length(c#2)', 'substring(c#2, 2:integer, 3:integer)', 'substring(c#2, 2:integer)',
        'concat_op(c#2, "x":text)', 'concat_op("n=":text, a#1::text)',
      ]);
    expect(types("select concat('a', null, 1) from u")).toEqual(['text']);
  });
  it('date functions take a lower-cased field literal first', () => {
    expect(projExprs("select date_trunc('MONTH', order_date), extract(year from order_date), date_part('dow', ts) from sales"))
      .toEqual([
        'date_trunc("month":text, order_date#5::timestamp)',
        'extract("year":text, order_date#5)',
        'date_part("dow":text, ts#8)',
      ]);
  });
  it('GREATEST/LEAST ignore NULLs; varchar(n) casts truncate', () => {
    expect(projExprs('select greatest(a, b), least(a, 2) from t')).toEqual([
      'case(or(gte(a#1, b#2), is_null(b#2)) => a#1; else b#2)',
      'case(or(lte(a#1, 2:integer), is_null(2:integer)) => a#1; else 2:integer)',
    ]);
    expect(projExprs('select c::varchar(2) from u')).toEqual(['substring(c#2, 1:integer, 2:integer)']);
  });
  it('math functions', () => {
    expect(types('select round(amount, 1), round(price), abs(quantity), floor(amount), ceil(price), ceiling(price) from sales'))
      .toEqual(['numeric(10,1)', 'double precision', 'integer', 'numeric(9,0)', 'double precision', 'double precision']);
  });
});

describe('aggregates', () => {
  it('result types follow aggregate-types.ts', () => {
    expect(types('select count(*), count(a), sum(a), sum(customer_id), sum(amount), avg(a), min(category), stddev(price), variance(a), var_pop(a), stddev_pop(a), bool_and(active), bool_or(active) from sales, t'))
      .toEqual(['bigint', 'bigint', 'bigint', 'numeric(38,0)', 'numeric(38,2)', 'double precision', 'text', 'double precision', 'double precision', 'double precision', 'double precision', 'boolean', 'boolean']);
  });
  it('stddev/variance are the sample versions; DISTINCT and FILTER are kept', () => {
    const aggs = find(plan('select stddev(a), variance(a), count(distinct b), sum(a) filter (where b > 1) from t'), 'aggregate').aggregates;
    expect(aggs.map((a) => a.agg.fn)).toEqual(['stddev_samp', 'var_samp', 'count', 'sum']);
    expect(aggs[2].agg.distinct).toBe(true);
    expect(ex(aggs[3].agg.filter!)).toBe('gt(b#2, 1:integer)');
  });
  it('GROUP BY ordinal, output alias, expression; select expressions over group keys', () => {
    for (const sql of [
      "select date_trunc('month', order_date) as m, sum(amount) from sales group by 1",
      "select date_trunc('month', order_date) as m, sum(amount) from sales group by m",
      "select date_trunc('month', order_date) as m, sum(amount) from sales group by date_trunc('month', order_date)",
    ]) {
      const agg = find(plan(sql), 'aggregate');
      expect(agg.groupBy.map((g) => ex(g.expr))).toEqual(['date_trunc("month":text, order_date#5::timestamp)']);
    }
    expect(projExprs('select a + 1, count(*) from t group by a')[0]).toMatch(/^add\(a#\d+, 1:integer\)$/);
  });
  it('GROUP BY prefers an input column over an output alias', () => {
    const agg = find(plan('select b as a from t group by a, b'), 'aggregate');
    expect(agg.groupBy.map((g) => ex(g.expr))).toEqual(['a#1', 'b#2']);
  });
  it('grouping errors name the column as rel.col with its position', () => {
    const e = bindError('select a, count(*) from t');
    expect(e.code).toBe('grouping_error');
    expect(e.message).toBe('column "t.a" must appear in the GROUP BY clause or be used in an aggregate function');
    expect(e.position).toBe(7);
    const e2 = bindError('select s.category from sales s group by s.region order by s.amount');
    expect(e2.message).toBe('column "s.category" must appear in the GROUP BY clause or be used in an aggregate function');
    expect(bindError('select a from t group by b having x > 1').position).toBe(7);
  });
  it('aggregates are not allowed in WHERE, GROUP BY, JOIN ON, or nested', () => {
    expect(bindError('select 1 from t where count(*) > 1')).toMatchObject({ code: 'grouping_error', message: 'aggregate functions are not allowed in WHERE', position: 22 });
    expect(bindError('select sum(a) from t group by 1').message).toBe('aggregate functions are not allowed in GROUP BY');
    expect(bindError('select 1 from t join u on sum(t.a) = 1').message).toBe('aggregate functions are not allowed in JOIN conditions');
    expect(bindError('select sum(count(*)) from t').message).toBe('aggregate function calls cannot be nested');
  });
  it('unsupported argument types', () => {
    expect(bindError('select sum(c) from u')).toMatchObject({ code: 'undefined_function', message: 'function sum(text) does not exist' });
  });
});

describe('window functions', () => {
  it('ranking and aggregate windows with frames', () => {
    const p = plan('select row_number() over (partition by region order by amount desc), sum(amount) over (order by id rows between 2 preceding and current row), count(*) over (), avg(quantity) over (order by id rows unbounded preceding), max(price) over (order by id rows between unbounded preceding and current row) from sales');
    expect(shape(p)).toBe('projection>window>scan');
    const w = find(p, 'window').windows.map((x) => x.window);
    expect(w.map((x) => x.fn)).toEqual(['row_number', 'sum', 'count_star', 'avg', 'max']);
    expect(w.map((x) => x.frame)).toEqual([
      { mode: 'range' },
      { mode: 'rows', preceding: 2, following: 0 },
      { mode: 'partition' },
      { mode: 'rows', preceding: null, following: 0 },
      { mode: 'rows', preceding: null, following: 0 },
    ]);
    expect(w.map((x) => typeName(x.type))).toEqual(['bigint', 'numeric(38,2)', 'bigint', 'double precision', 'double precision']);
    expect(w[0].orderBy[0]).toMatchObject({ ascending: false, nullsFirst: true });
  });
  it('windows over aggregates run after the Aggregate node', () => {
    const p = plan('select region, sum(sum(amount)) over (order by region), rank() over (order by sum(amount) desc) from sales group by region');
    expect(shape(p)).toBe('projection>window>aggregate>scan');
    const w = find(p, 'window').windows;
    const agg = find(p, 'aggregate');
    expect(w[0].window.arg).toMatchObject({ kind: 'column', id: agg.aggregates[0].id });
    expect(w[0].window.orderBy[0].expr).toMatchObject({ kind: 'column', id: agg.groupBy[0].id });
  });
  it('named windows', () => {
    const w = find(plan('select sum(a) over w, rank() over w from t window w as (partition by b order by a)'), 'window').windows;
    expect(w.map((x) => x.window.partitionBy.length)).toEqual([1, 1]);
  });
  it('window errors', () => {
    expect(bindError('select row_number() from t').message).toBe('window function row_number requires an OVER clause');
    expect(bindError('select 1 from t where row_number() over () > 1').message).toBe('window functions are not allowed in WHERE');
    expect(bindError('select sum(row_number() over ()) from t').message).toBe('aggregate function calls cannot contain window function calls');
    expect(bindError('select lag(a, a) over () from t').code).toBe('feature_not_supported');
    expect(bindError('select ntile(0) over () from t').message).toBe('argument of ntile must be greater than zero');
  });
});

describe('name resolution errors', () => {
  it('unknown relation and columns, with positions', () => {
    expect(bindError('select a from nope')).toMatchObject({ code: 'undefined_table', message: 'relation "nope" does not exist', position: 14 });
    expect(bindError('select nope from t')).toMatchObject({ code: 'undefined_column', message: 'column "nope" does not exist', position: 7 });
    expect(bindError('select t.nope from t')).toMatchObject({ code: 'undefined_column', message: 'column t.nope does not exist', position: 7 });
    expect(bindError('select q.a from t')).toMatchObject({ code: 'undefined_table', message: 'missing FROM-clause entry for table "q"', position: 7 });
    expect(bindError('select a from t, u')).toMatchObject({ code: 'ambiguous_column', message: 'column reference "a" is ambiguous', position: 7 });
  });
  it('positions count characters, not UTF-8 bytes', () => {
    expect(bindError("select 'é', nope from t").position).toBe(12);
  });
  it('catalog lookup is case-insensitive; quoted identifiers keep case', () => {
    expect(names('select "CustomerID", name from MIXEDCASE')).toEqual(['CustomerID', 'name']);
  });
  it('function and operator resolution failures', () => {
    expect(bindError('select lower(a) from t')).toMatchObject({ code: 'undefined_function', message: 'function lower(integer) does not exist', position: 7 });
    expect(bindError('select c + 1 from u')).toMatchObject({ code: 'undefined_function', message: 'operator does not exist: text + integer', position: 9 });
  });
  it('ORDER BY / GROUP BY / LIMIT errors', () => {
    expect(bindError('select a from t order by 5').message).toBe('ORDER BY position 5 is not in select list');
    expect(bindError('select a as x, b as x from t order by x').message).toBe('ORDER BY "x" is ambiguous');
    expect(bindError('select distinct a from t order by b').message).toBe('for SELECT DISTINCT, ORDER BY expressions must appear in select list');
    expect(bindError('select a from t limit -1')).toMatchObject({ message: 'LIMIT must not be negative' });
    expect(bindError('select a from t offset -1')).toMatchObject({ message: 'OFFSET must not be negative' });
    expect(bindError("select a from t order by 'x'").message).toBe('non-integer constant in ORDER BY');
  });
  it('type errors', () => {
    expect(bindError('select 1 from t where a').message).toBe('argument of WHERE must be type boolean, not type integer');
    expect(bindError("select a = '1.5' from t").message).toBe('invalid input syntax for type integer: "1.5"');
    expect(bindError("select case when a > 0 then 1 else 'x' end from t").code).toBe('invalid_text_representation');
    // PostgreSQL resolves the ELSE branch first, so it is named first; the position is the THEN that does not match
    const caseErr = bindError('select case when a > 0 then 1 else c end from t join u using (a)');
    expect(caseErr.message).toBe('CASE types text and integer cannot be matched');
    expect(caseErr.position).toBe(28);
  });
  it('unsupported constructs are feature_not_supported', () => {
    expect(bindError('select a from t group by (select 1)').message).toBe('subquery expressions are not supported here');
    expect(bindError('select a from t where a > all (select a from u)').message).toBe('ALL (subquery) is not supported');
    expect(bindError('select a from t union select a, a from u').message).toBe('each UNION query must have the same number of columns');
    expect(bindError('select * from generate_series(1, 3)').code).toBe('feature_not_supported');
    expect(bindError('insert into t values (1)').code).toBe('feature_not_supported');
    expect(bindError('select * from t full join u on t.a < u.a').code).toBe('feature_not_supported');
  });
});

describe('statements', () => {
  it('EXPLAIN variants', () => {
    expect(bind('explain select a from t')).toMatchObject({ kind: 'explain', analyze: false, format: 'text' });
    expect(bind('explain analyze select a from t')).toMatchObject({ kind: 'explain', analyze: true, format: 'text' });
    expect(bind('explain (analyze, format json) select a from t')).toMatchObject({ kind: 'explain', analyze: true, format: 'json' });
    expect(bind('explain (analyze false) select a from t')).toMatchObject({ analyze: false });
  });
  it('VALUES', () => {
    const p = plan("select * from (values (1, 'a'), (2, null)) v(n, s) where n > 1");
    expect(outputFields(p).map((f) => `${f.name}:${typeName(f.type)}`)).toEqual(['n:integer', 's:text']);
  });
  it('text() renders plans for debugging', () => {
    expect(text(plan('select a from t where b > 1'))).toContain('filter gt(b#2, 1:integer)');
  });
});

describe('subquery expressions', () => {
  const at = (sql: string, what: string): number => sql.indexOf(what);
  it('unsupported correlated shapes name the construct and its position', () => {
    const q1 = 'select a, (select u.c from u where u.a < t.a) from t';
    expect(bindError(q1)).toMatchObject({ code: 'feature_not_supported', position: at(q1, '(select') });
    expect(bindError(q1).message).toMatch(/correlated scalar subquery that is not \(SELECT agg/);
    const q2 = 'select a from t where a not in (select u.a from u where u.c = t.x::text)';
    expect(bindError(q2).message).toBe('a correlated NOT IN subquery is not supported');
    expect(bindError(q2).position).toBe(at(q2, 'not in'));
    const q3 = 'select a from t where exists (select 1 from u where u.a > t.a limit 1)';
    expect(bindError(q3).message).toMatch(/correlated EXISTS subquery with outer references outside its WHERE clause/);
    const q4 = 'select (select count(*) from u where u.a < t.a) from t';
    expect(bindError(q4).message).toMatch(/correlated scalar subquery/);
  });
  it('scalar subqueries become joins; EXISTS and IN become semi / anti joins', () => {
    expect(shape(plan('select a, (select max(a) from u) from t'))).toBe('projection>join(scan, projection>aggregate>scan)');
    expect(shape(plan('select a, (select a from u) from t'))).toBe('projection>join(scan, max_one_row>projection>scan)');
    expect(find(plan('select a from t where exists (select 1 from u where u.a = t.a)'), 'join')).toMatchObject({ joinType: 'semi' });
    expect(find(plan('select a from t where not exists (select 1 from u where u.a = t.a)'), 'join')).toMatchObject({ joinType: 'anti' });
    expect(find(plan('select a from t where a in (select a from u)'), 'join')).toMatchObject({ joinType: 'semi' });
    expect(shape(plan('select a, (select u.c from u where u.a = t.a) from t'))).toBe('projection>join(scan, max_one_row>projection>scan)');
    expect(find(plan('select a, (select u.c from u where u.a = t.a) from t'), 'max_one_row').keys).toHaveLength(1);
    const corr = find(plan('select a, (select count(*) from u where u.a = t.b) from t'), 'join');
    expect(corr).toMatchObject({ joinType: 'left' });
    expect(corr.on.length).toBe(1);
  });
});
