/** A naive row-at-a-time reference interpreter of logical plans (rows keyed by column id). */
import type { AggregateExpr, Expr, SortKey, WindowExpr } from '../../src/logical/expr.js';
import { outputFields, type LogicalPlan } from '../../src/logical/plan.js';

export type Value = number | string | boolean | null;
export type Row = Record<string, Value>;

// ---------------------------------------------------------------------------------------------
// Reference interpreter: rows are objects keyed by column id.

type IdRow = Record<number, Value>;

function cmp(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return Number(a) - Number(b);
}

export function evalExpr(e: Expr, row: IdRow): Value {
  switch (e.kind) {
    case 'column':
      if (!(e.id in row)) throw new Error(`interpreter: column #${e.id} (${e.name}) not in row`);
      return row[e.id];
    case 'literal':
      return e.value;
    case 'cast':
      return evalExpr(e.expr, row);
    case 'case': {
      for (const w of e.whens) if (evalExpr(w.when, row) === true) return evalExpr(w.then, row);
      return e.otherwise ? evalExpr(e.otherwise, row) : null;
    }
    case 'in_list': {
      const v = evalExpr(e.expr, row);
      if (v === null) return null;
      const vals = e.list.map((x) => evalExpr(x, row));
      const found = vals.some((x) => x !== null && cmp(v, x) === 0);
      if (found) return !e.negated;
      return vals.some((x) => x === null) ? null : e.negated;
    }
    case 'call': {
      if (e.fn === 'and' || e.fn === 'or') {
        const vs = e.args.map((a) => evalExpr(a, row));
        if (e.fn === 'and') return vs.some((v) => v === false) ? false : vs.some((v) => v === null) ? null : true;
        return vs.some((v) => v === true) ? true : vs.some((v) => v === null) ? null : false;
      }
      const vs = e.args.map((a) => evalExpr(a, row));
      switch (e.fn) {
        case 'is_null': return vs[0] === null;
        case 'is_not_null': return vs[0] !== null;
        case 'coalesce': return vs.find((v) => v !== null) ?? null;
      }
      if (vs.some((v) => v === null)) return null;
      const [a, b] = vs;
      switch (e.fn) {
        case 'not': return !a;
        case 'neg': return -(a as number);
        case 'add': return (a as number) + (b as number);
        case 'sub': return (a as number) - (b as number);
        case 'mul': return (a as number) * (b as number);
        case 'div': {
          if (b === 0) throw new Error('division by zero');
          const q = (a as number) / (b as number);
          return e.type.kind === 'float64' ? q : Math.trunc(q);
        }
        case 'mod': return (a as number) % (b as number);
        case 'eq': return cmp(a, b) === 0;
        case 'neq': return cmp(a, b) !== 0;
        case 'lt': return cmp(a, b) < 0;
        case 'lte': return cmp(a, b) <= 0;
        case 'gt': return cmp(a, b) > 0;
        case 'gte': return cmp(a, b) >= 0;
        case 'lower': return String(a).toLowerCase();
        case 'upper': return String(a).toUpperCase();
        case 'concat': return vs.join('');
      }
      throw new Error(`interpreter: unsupported function ${e.fn}`);
    }
  }
}

function sortRows(rows: IdRow[], keys: readonly SortKey[]): IdRow[] {
  return [...rows].sort((x, y) => {
    for (const k of keys) {
      const a = evalExpr(k.expr, x);
      const b = evalExpr(k.expr, y);
      if (a === null && b === null) continue;
      if (a === null) return k.nullsFirst ? -1 : 1;
      if (b === null) return k.nullsFirst ? 1 : -1;
      const c = cmp(a, b);
      if (c !== 0) return k.ascending ? c : -c;
    }
    return 0;
  });
}

function runAggregate(a: AggregateExpr, rows: IdRow[]): Value {
  const rs = a.filter ? rows.filter((r) => evalExpr(a.filter!, r) === true) : rows;
  if (a.fn === 'count_star') return rs.length;
  let vals = rs.map((r) => evalExpr(a.arg!, r)).filter((v) => v !== null) as (number | string | boolean)[];
  if (a.distinct) vals = [...new Set(vals)];
  switch (a.fn) {
    case 'count': return vals.length;
    case 'sum': return vals.length === 0 ? null : (vals as number[]).reduce((s, v) => s + v, 0);
    case 'avg': return vals.length === 0 ? null : (vals as number[]).reduce((s, v) => s + v, 0) / vals.length;
    case 'min': return vals.length === 0 ? null : vals.reduce((m, v) => (cmp(v, m) < 0 ? v : m));
    case 'max': return vals.length === 0 ? null : vals.reduce((m, v) => (cmp(v, m) > 0 ? v : m));
    case 'bool_and': return vals.length === 0 ? null : vals.every((v) => v === true);
    case 'bool_or': return vals.length === 0 ? null : vals.some((v) => v === true);
    default: throw new Error(`interpreter: unsupported aggregate ${a.fn}`);
  }
}

function runWindow(w: WindowExpr, rows: IdRow[]): Value[] {
  const out: Value[] = new Array(rows.length);
  const parts = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const k = JSON.stringify(w.partitionBy.map((p) => evalExpr(p, r)));
    if (!parts.has(k)) parts.set(k, []);
    parts.get(k)!.push(i);
  });
  for (const idx of parts.values()) {
    const ordered = w.orderBy.length > 0 ? sortRows(idx.map((i) => ({ ...rows[i], [-1]: i })), w.orderBy).map((r) => r[-1] as number) : idx;
    ordered.forEach((i, pos) => {
      switch (w.fn) {
        case 'row_number': out[i] = pos + 1; break;
        case 'count_star': out[i] = w.frame.mode === 'partition' ? ordered.length : pos + 1; break;
        case 'sum': {
          const upto = w.frame.mode === 'partition' ? ordered : ordered.slice(0, pos + 1);
          const vs = upto.map((j) => evalExpr(w.arg!, rows[j])).filter((v) => v !== null) as number[];
          out[i] = vs.length === 0 ? null : vs.reduce((s, v) => s + v, 0);
          break;
        }
        default: throw new Error(`interpreter: unsupported window ${w.fn}`);
      }
    });
  }
  return out;
}

/** Thrown when a plan is too expensive for the naive interpreter (tests skip such plans). */
export class TooBig extends Error {}

export function execute(plan: LogicalPlan): IdRow[] {
  switch (plan.kind) {
    case 'scan': {
      const src = plan.source as unknown as { rows: Row[] };
      return src.rows
        .map((r) => {
          const row: IdRow = {};
          for (const f of plan.fields) row[f.id!] = r[f.name] ?? null;
          return row;
        })
        .filter((row) => plan.filters.every((f) => evalExpr(f, row) === true));
    }
    case 'values':
      return plan.rows.map((r) => {
        const row: IdRow = {};
        plan.fields.forEach((f, i) => (row[f.id!] = evalExpr(r[i], {})));
        return row;
      });
    case 'projection':
      return execute(plan.input).map((r) => {
        const row: IdRow = {};
        for (const n of plan.exprs) row[n.id] = evalExpr(n.expr, r);
        return row;
      });
    case 'filter':
      return execute(plan.input).filter((r) => evalExpr(plan.predicate, r) === true);
    case 'aggregate': {
      const rows = execute(plan.input);
      const groups = new Map<string, IdRow[]>();
      for (const r of rows) {
        const k = JSON.stringify(plan.groupBy.map((g) => evalExpr(g.expr, r)));
        if (!groups.has(k)) groups.set(k, []);
        groups.get(k)!.push(r);
      }
      if (plan.groupBy.length === 0 && groups.size === 0) groups.set('[]', []);
      return [...groups.values()].map((rs) => {
        const row: IdRow = {};
        for (const g of plan.groupBy) row[g.id] = evalExpr(g.expr, rs[0]);
        for (const a of plan.aggregates) row[a.id] = runAggregate(a.agg, rs);
        return row;
      });
    }
    case 'join': {
      const left = execute(plan.left);
      const right = execute(plan.right);
      if (left.length * right.length > 100_000) throw new TooBig();
      const rightFields = outputFields(plan.right);
      const leftFields = outputFields(plan.left);
      const out: IdRow[] = [];
      const rightMatched = new Set<number>();
      for (const l of left) {
        let matched = false;
        for (const [ri, r] of right.entries()) {
          const keysMatch = plan.on.every((k) => {
            const a = evalExpr(k.left, l);
            const b = evalExpr(k.right, r);
            return a !== null && b !== null && cmp(a, b) === 0;
          });
          if (!keysMatch) continue;
          const row = { ...l, ...r };
          if (plan.filter && evalExpr(plan.filter, row) !== true) continue;
          matched = true;
          rightMatched.add(ri);
          if (plan.joinType !== 'semi' && plan.joinType !== 'anti') out.push(row);
        }
        if (plan.joinType === 'semi' && matched) out.push({ ...l });
        if (plan.joinType === 'anti' && !matched) out.push({ ...l });
        if (!matched && (plan.joinType === 'left' || plan.joinType === 'full')) {
          const row: IdRow = { ...l };
          for (const f of rightFields) row[f.id!] = null;
          out.push(row);
        }
      }
      if (plan.joinType === 'full') {
        for (const [ri, r] of right.entries()) {
          if (rightMatched.has(ri)) continue;
          const row: IdRow = { ...r };
          for (const f of leftFields) row[f.id!] = null;
          out.push(row);
        }
      }
      return out;
    }
    case 'sort': {
      const rows = sortRows(execute(plan.input), plan.keys);
      return plan.fetch === null ? rows : rows.slice(0, plan.fetch);
    }
    case 'limit': {
      const rows = execute(plan.input);
      return rows.slice(plan.skip, plan.fetch === null ? undefined : plan.skip + plan.fetch);
    }
    case 'recursive_cte':
    case 'work_table':
      throw new Error(`the reference interpreter does not run ${plan.kind}`);
    case 'max_one_row': {
      const rows = execute(plan.input);
      const keys = plan.keys ?? [];
      const seen = new Set<string>();
      for (const r of rows) {
        const k = keys.map((e) => evalExpr(e, r));
        if (k.some((v) => v === null)) continue;
        const s = JSON.stringify(k);
        if (seen.has(s)) throw new Error('more than one row returned by a subquery used as an expression');
        seen.add(s);
      }
      return rows;
    }
    case 'set_op': {
      // rows by position: input i's j-th output column becomes output field j
      const sides = plan.inputs.map((input) => {
        const fs = outputFields(input);
        return execute(input).map((r) => plan.fields.map((_, j) => r[fs[j].id!]));
      });
      const key = (vs: unknown[]): string => JSON.stringify(vs);
      const count = (rows: unknown[][]): Map<string, { row: unknown[]; n: number }> => {
        const m = new Map<string, { row: unknown[]; n: number }>();
        for (const r of rows) {
          const e = m.get(key(r));
          if (e) e.n++;
          else m.set(key(r), { row: r, n: 1 });
        }
        return m;
      };
      let out: unknown[][];
      if (plan.op === 'union') {
        const all = sides.flat();
        out = plan.all ? all : [...count(all).values()].map((e) => e.row);
      } else {
        const l = count(sides[0]);
        const r = count(sides[1]);
        out = [];
        for (const [k, e] of l) {
          const m = r.get(k)?.n ?? 0;
          const n = plan.op === 'intersect'
            ? (plan.all ? Math.min(e.n, m) : e.n > 0 && m > 0 ? 1 : 0)
            : (plan.all ? Math.max(e.n - m, 0) : m === 0 ? 1 : 0);
          for (let i = 0; i < n; i++) out.push(e.row);
        }
      }
      return out.map((vs) => {
        const row: IdRow = {};
        plan.fields.forEach((f, j) => (row[f.id!] = vs[j] as IdRow[number]));
        return row;
      });
    }
    case 'window': {
      const rows = execute(plan.input);
      const cols = plan.windows.map((w) => runWindow(w.window, rows));
      return rows.map((r, i) => {
        const row: IdRow = { ...r };
        plan.windows.forEach((w, j) => (row[w.id] = cols[j][i]));
        return row;
      });
    }
  }
}

/** Result rows as arrays in output-field order (sorted unless `ordered`), for comparisons. */
export function results(plan: LogicalPlan, ordered = false): string[] {
  const fields = outputFields(plan);
  const rows = execute(plan).map((r) => JSON.stringify(fields.map((f) => r[f.id!])));
  return ordered ? rows : rows.sort();
}
