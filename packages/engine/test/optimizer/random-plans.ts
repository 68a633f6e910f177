/** Random logical plans for differential optimizer tests. */
import { call, col, type ColumnExpr, type Expr } from '../../src/logical/expr.js';
import { formatLogicalPlan } from '../../src/logical/display.js';
import { outputFields, type LogicalPlan } from '../../src/logical/plan.js';
import { validatePlan } from '../../src/optimizer/validate.js';
import { BOOL, INT32, INT64, UTF8 } from '../../src/types/data-type.js';
import { customersTable, salesTable } from './fixtures.js';
import {
  add, agg, aggregate, and, asc, desc, eq, filter, gt, i32, Ids, isNull, join, limit, lt, not, optimizeChecked, or, project, results,
  scan, sort, str, values, window,
} from './helpers.js';
import { TooBig } from './interp.js';

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Gen {
  plan: LogicalPlan;
  cols: ColumnExpr[];
}

/** A random (valid, usually) logical plan over the fixture tables, reproducible by seed. */
export function generator(seed: number) {
  const rnd = mulberry32(seed);
  const ids = new Ids();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const colsOf = (plan: LogicalPlan, names?: Map<number, string>): ColumnExpr[] =>
    outputFields(plan).map((f) => col(f.id!, names?.get(f.id!) ?? f.name, f.type));
  const ints = (cs: ColumnExpr[]) => cs.filter((c) => c.type.kind === 'int32');
  const strs = (cs: ColumnExpr[]) => cs.filter((c) => c.type.kind === 'utf8');

  function atom(cs: ColumnExpr[]): Expr {
    const r = rnd();
    const is = ints(cs);
    const ss = strs(cs);
    if (r < 0.35 && is.length > 0) return gt(pick(is), i32(Math.floor(rnd() * 40)));
    if (r < 0.5 && is.length > 1) return (rnd() < 0.5 ? eq : lt)(pick(is), pick(is));
    if (r < 0.65 && ss.length > 0) return eq(pick(ss), str(pick(['category_1', 'category_3', 'r1', 'r2', 'Oslo', 'cust2'])));
    if (r < 0.75) return isNull(pick(cs));
    if (r < 0.8) return call('eq', [i32(1), i32(rnd() < 0.5 ? 1 : 2)], BOOL);
    if (r < 0.85) return not(atom(cs));
    if (is.length > 0) return lt(add(pick(is), i32(3)), i32(20));
    return isNull(pick(cs));
  }
  function predicate(cs: ColumnExpr[]): Expr {
    let p = atom(cs);
    const n = Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) p = rnd() < 0.7 ? and(p, atom(cs)) : or(p, atom(cs));
    return p;
  }

  function leaf(): Gen {
    const r = rnd();
    if (r < 0.1) {
      const v = values(ids, [['vk', INT32], ['vs', UTF8]], [[1, 'a'], [2, null], [3, 'c'], [null, 'd']]);
      return { plan: v.plan, cols: colsOf(v.plan) };
    }
    const t = r < 0.6 ? scan(ids, 'sales', salesTable(), 's') : scan(ids, 'customers', customersTable(), 'c');
    return { plan: t.plan, cols: Object.values(t.c) };
  }

  function gen(depth: number): Gen {
    if (depth === 0 || rnd() < 0.15) return leaf();
    const op = rnd();
    if (op < 0.25) {
      const g = gen(depth - 1);
      return { plan: filter(g.plan, predicate(g.cols)), cols: g.cols };
    }
    if (op < 0.4) {
      const g = gen(depth - 1);
      const chosen = g.cols.filter(() => rnd() < 0.5);
      if (chosen.length === 0) chosen.push(pick(g.cols));
      const exprs: [string, Expr][] = chosen.map((c, i) => [`p${i}`, c]);
      const is = ints(g.cols);
      if (is.length > 0 && rnd() < 0.6) exprs.push(['calc', add(pick(is), i32(1))]);
      const p = project(ids, g.plan, exprs);
      return { plan: p.plan, cols: Object.values(p.c) };
    }
    if (op < 0.65) {
      const l = gen(depth - 1);
      const r = gen(depth - 1);
      const type = pick(['inner', 'left', 'cross', 'inner', 'left', 'full', 'semi', 'anti'] as const);
      const li = ints(l.cols);
      const ri = ints(r.cols);
      const on: [Expr, Expr][] = type !== 'cross' && li.length > 0 && ri.length > 0 && rnd() < 0.8 ? [[pick(li), pick(ri)]] : [];
      const both = [...l.cols, ...r.cols];
      const f = type !== 'cross' && (on.length === 0 || rnd() < 0.4) ? predicate(both) : null;
      const plan = join(type === 'inner' && on.length === 0 && !f ? 'cross' : type, l.plan, r.plan, on, f);
      return { plan, cols: type === 'semi' || type === 'anti' ? l.cols : both };
    }
    if (op < 0.8 && rnd() < 0.3) {
      // group by the join key and the other side's columns (the aggregate_before_join shape)
      const l = gen(depth - 1);
      const r = gen(depth - 1);
      const li = ints(l.cols);
      const ri = ints(r.cols);
      if (li.length > 0 && ri.length > 0) {
        const lk = pick(li);
        const j = join('inner', l.plan, r.plan, [[lk, pick(ri)]], null);
        const keys: Expr[] = [lk, pick(r.cols)];
        if (rnd() < 0.4) keys.push(pick(l.cols));
        if (rnd() < 0.3) keys.push(pick(r.cols));
        const aggs: [string, ReturnType<typeof agg>][] = [['n', agg('count_star', null)]];
        aggs.push(['total', agg('sum', pick(li), rnd() < 0.3 ? { filter: atom(l.cols) } : {})]);
        aggs.push(['mx', agg(rnd() < 0.5 ? 'max' : 'min', pick(l.cols))]);
        if (rnd() < 0.3) aggs.push(['c', agg('count', pick(l.cols))]);
        const a = aggregate(ids, j, keys.map((k, i) => [`k${i}`, k]), aggs);
        return { plan: a.plan, cols: Object.values(a.c) };
      }
    }
    if (op < 0.8) {
      const g = gen(depth - 1);
      const keys = g.cols.filter(() => rnd() < 0.25).slice(0, 2);
      const is = ints(g.cols);
      const aggs: [string, ReturnType<typeof agg>][] = [['n', agg('count_star', null)]];
      if (is.length > 0) aggs.push(['total', agg('sum', pick(is), rnd() < 0.3 ? { filter: atom(g.cols) } : {})]);
      aggs.push(['mx', agg('max', pick(g.cols))]);
      if (is.length > 0 && rnd() < 0.3) aggs.push(['dc', agg('count', pick(is), { distinct: true })]);
      const a = aggregate(ids, g.plan, keys.map((k, i) => [`k${i}`, k]), aggs);
      return { plan: a.plan, cols: Object.values(a.c) };
    }
    if (op < 0.9) {
      const g = gen(depth - 1);
      const keys = g.cols.map((c) => (rnd() < 0.5 ? asc(c) : desc(c)));
      const sorted = sort(g.plan, keys);
      const plan = rnd() < 0.8 ? limit(sorted, Math.floor(rnd() * 3), 1 + Math.floor(rnd() * 10)) : sorted;
      return { plan, cols: g.cols };
    }
    if (op < 0.95) {
      // a set operation over the int32 columns two inputs share in number
      const l = gen(depth - 1);
      const r = gen(depth - 1);
      const li = l.cols.filter((c) => c.type.kind === 'int32');
      const ri = r.cols.filter((c) => c.type.kind === 'int32');
      const k = Math.min(2, li.length, ri.length);
      if (k === 0) return l;
      const pl = project(ids, l.plan, li.slice(0, k).map((c, i) => [`u${i}`, c]));
      const pr = project(ids, r.plan, ri.slice(ri.length - k).map((c, i) => [`u${i}`, c]));
      const [setOp, all] = pick([['union', true], ['union', false], ['intersect', false], ['intersect', true], ['except', false], ['except', true]] as const);
      const fields = outputFields(pl.plan).map((f) => ({ ...f, id: ids.id() }));
      const plan: LogicalPlan = { kind: 'set_op', op: setOp, all, inputs: [pl.plan, pr.plan], fields };
      return { plan, cols: fields.map((f) => col(f.id!, f.name, f.type)) };
    }
    const g = gen(depth - 1);
    const is = ints(g.cols);
    if (is.length === 0) return g;
    const w = window(ids, g.plan, [
      ['ws', { fn: 'sum', arg: pick(is), partitionBy: g.cols.filter(() => rnd() < 0.3).slice(0, 1), orderBy: [], frame: { mode: 'partition' }, type: INT64 }],
    ]);
    return { plan: w.plan, cols: [...g.cols, ...Object.values(w.c)] };
  }

  return () => {
    const g = gen(3);
    // Root: usually a projection over a few columns (and sometimes a filter above everything).
    let plan = g.plan;
    if (rnd() < 0.3) plan = filter(plan, predicate(g.cols));
    const top = rnd() < 0.25;
    if (top) plan = sort(plan, g.cols.map((c) => (rnd() < 0.5 ? asc(c) : desc(c))));
    if (rnd() < 0.7) {
      const chosen = g.cols.filter(() => rnd() < 0.4);
      if (chosen.length === 0) chosen.push(pick(g.cols));
      plan = project(ids, plan, chosen.map((c, i) => [`out${i}`, c])).plan;
    }
    if (top) plan = limit(plan, Math.floor(rnd() * 3), 1 + Math.floor(rnd() * 8));
    return plan;
  };
}


/**
 * Optimizes `count` random plans and checks each returns the same rows as before; returns how
 * many were checked, how many had rows, and how often each rule changed a plan.
 */
export function runDifferential(count: number) {
  let checked = 0;
  let nonEmpty = 0;
  const ruleChanges = new Map<string, number>();
  for (let seed = 1; seed <= count; seed++) {
    const plan = generator(seed)();
    try {
      validatePlan(plan);
    } catch {
      continue; // the generator made an invalid plan — not the optimizer's problem
    }
    let before: string[];
    try {
      before = results(plan);
    } catch (e) {
      if (e instanceof TooBig) continue;
      throw e;
    }
    const { plan: optimized, rulesApplied } = optimizeChecked(plan, { broadcastThresholdRows: 10 });
    for (const r of rulesApplied) ruleChanges.set(r, (ruleChanges.get(r) ?? 0) + 1);
    const after = results(optimized);
    if (JSON.stringify(after) !== JSON.stringify(before)) {
      throw new Error(
        `seed ${seed}: results differ\n--- original\n${formatLogicalPlan(plan)}\n--- optimized\n${formatLogicalPlan(optimized)}\n` +
          `before (${before.length}): ${before.slice(0, 5).join(' ')}\nafter (${after.length}): ${after.slice(0, 5).join(' ')}`,
      );
    }
    checked++;
    if (before.length > 0) nonEmpty++;
  }
  if (process.env.OPT_STATS) console.log({ checked, nonEmpty, ruleChanges });
  return { checked, nonEmpty, ruleChanges };
}
