import type { Batch, Field } from '../types/batch.js';
import { allocValues, makeColumn, takeColumn, type Column } from '../types/column.js';
import { typesEqual, type DataType } from '../types/data-type.js';
import { call, columnsOf, type CaseExpr, type Expr, type InListExpr } from '../logical/expr.js';
import type { PhysicalExpr } from './physical-expr.js';
import { ConstantExpr, constantColumn, isConstant, type Scalar } from './util.js';
import { compileCast } from './kernels/cast.js';
import { BUILDERS } from './kernels/index.js';
import { NOT_FOLDABLE } from './kernels/agg-args.js';
import { callLabel } from './kernels/kernel.js';
import { BOOL } from '../types/data-type.js';
import { andOrColumns } from './kernels/logic.js';
import { valueAt } from '../types/column.js';
import { EngineError } from '../errors.js';

/**
 * Compiles a bound expression against an input schema: column ids are resolved to positions
 * (Field.id), literals become constants, calls pick a kernel specialised for their argument
 * types and for constant arguments. Sub-expressions whose inputs are all constant are
 * evaluated once here (when that raises, evaluation is left to run time, as PostgreSQL does
 * for branches that may never run).
 */
export function compileExpr(expr: Expr, input: readonly Field[]): PhysicalExpr {
  if (shared !== null) return compileShared(expr, input);
  const counts = new Map<string, number>();
  countSubtrees(expr, counts);
  let repeated = false;
  for (const c of counts.values()) if (c > 1) { repeated = true; break; }
  if (!repeated) return compileNode(expr, input);
  shared = { counts, compiled: new Map() };
  try {
    return compileNode(expr, input);
  } finally {
    shared = null;
  }
}

/**
 * Common subexpressions of the tree being compiled: a call or cast that occurs more than once
 * (CASE WHEN 2024 - y < 20 … WHEN 2024 - y < 30 …) compiles to one MemoExpr, evaluated once per
 * batch. Expressions are deterministic (now() is bound to a constant), so sharing is exact.
 */
let shared: { counts: Map<string, number>; compiled: Map<string, PhysicalExpr> } | null = null;

function countSubtrees(e: Expr, counts: Map<string, number>): void {
  visitSubtrees(e, (x) => {
    if (x.kind !== 'call' && x.kind !== 'cast') return;
    const key = JSON.stringify(x);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
}

/** Calls `visit` on `e` and every expression below it (parents first). */
function visitSubtrees(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  switch (e.kind) {
    case 'call': e.args.forEach((a) => visitSubtrees(a, visit)); break;
    case 'cast': visitSubtrees(e.expr, visit); break;
    case 'in_list': visitSubtrees(e.expr, visit); e.list.forEach((a) => visitSubtrees(a, visit)); break;
    case 'case': for (const w of e.whens) { visitSubtrees(w.when, visit); visitSubtrees(w.then, visit); } if (e.otherwise) visitSubtrees(e.otherwise, visit); break;
    default: break;
  }
}

function compileShared(expr: Expr, input: readonly Field[]): PhysicalExpr {
  if (shared === null || (expr.kind !== 'call' && expr.kind !== 'cast')) return compileNode(expr, input);
  const key = JSON.stringify(expr);
  if ((shared.counts.get(key) ?? 0) < 2) return compileNode(expr, input);
  let e = shared.compiled.get(key);
  if (e === undefined) {
    const inner = compileNode(expr, input);
    e = inner instanceof ConstantExpr ? inner : new MemoExpr(inner);
    shared.compiled.set(key, e);
  }
  return e;
}

/** The last batch's result of a shared subexpression (see compileShared). */
class MemoExpr implements PhysicalExpr {
  private lastBatch: Batch | null = null;
  private last: Column | null = null;
  constructor(private readonly inner: PhysicalExpr) {}
  get type(): DataType {
    return this.inner.type;
  }
  evaluate(batch: Batch): Column {
    if (batch === this.lastBatch) return this.last!;
    const c = this.inner.evaluate(batch);
    this.lastBatch = batch;
    this.last = c;
    return c;
  }
  toString(): string {
    return this.inner.toString();
  }
}

function compileNode(expr: Expr, input: readonly Field[]): PhysicalExpr {
  switch (expr.kind) {
    case 'column': {
      let pos = -1;
      for (let i = 0; i < input.length; i++) {
        if (input[i].id === expr.id) { pos = i; break; }
      }
      if (pos < 0) {
        throw new Error(`compileExpr: column ${expr.name}#${expr.id} not in input [${input.map((f) => `${f.name}#${f.id}`).join(', ')}]`);
      }
      return new ColumnRef(pos, expr.name, expr.type);
    }
    case 'literal':
      return new ConstantExpr(expr.value, expr.type);
    case 'call': {
      if (expr.fn === 'coalesce') return compileCoalesce(expr.args, expr.type, input);
      if ((expr.fn === 'and' || expr.fn === 'or') && expr.args.length === 2 && mayRaise(expr.args[1])) {
        return compileLazyAndOr(expr.fn === 'and', expr.args[0], expr.args[1], input);
      }
      const builder = BUILDERS[expr.fn];
      if (builder === undefined) throw new EngineError('undefined_function', `function ${expr.fn} is not implemented`);
      const args = expr.args.map((a) => compileExpr(a, input));
      if (NOT_FOLDABLE.has(expr.fn)) return builder(args, expr.type, expr.fn);
      return foldIfConstant(builder(args, expr.type, expr.fn), args);
    }
    case 'cast': {
      const child = compileExpr(expr.expr, input);
      return foldIfConstant(compileCast(child, expr.type), [child]);
    }
    case 'case':
      return compileCase(expr, input);
    case 'in_list':
      return compileInList(expr, input);
  }
}

/** Reference to input column `index`. */
export class ColumnRef implements PhysicalExpr {
  constructor(readonly index: number, readonly name: string, readonly type: DataType) {}
  evaluate(batch: Batch): Column {
    return batch.columns[this.index];
  }
  toString(): string {
    return `${this.name}@${this.index}`;
  }
}

const ONE_ROW: Batch = { schema: [], columns: [], numRows: 1 };

/** Evaluates `e` once when every argument is a constant; keeps `e` when that raises. */
function foldIfConstant(e: PhysicalExpr, args: readonly PhysicalExpr[]): PhysicalExpr {
  if (e instanceof ConstantExpr) return e;
  for (const a of args) if (!isConstant(a)) return e;
  try {
    const c = e.evaluate(ONE_ROW);
    return new ConstantExpr(valueAt(c, 0) as Scalar, e.type);
  } catch {
    return e;
  }
}

/** Casts a compiled branch to `type` when the binder left its type different (NULL literals, …). */
function coerceTo(e: PhysicalExpr, type: DataType): PhysicalExpr {
  if (typesEqual(e.type, type) || e.type.kind === 'null') return e;
  return foldIfConstant(compileCast(e, type), [e]);
}

/** Input positions an expression reads (to gather only those columns for a CASE branch). */
function positionsOf(expr: Expr, input: readonly Field[]): number[] {
  const ids = columnsOf(expr);
  const out: number[] = [];
  input.forEach((f, i) => { if (f.id !== undefined && ids.has(f.id)) out.push(i); });
  return out;
}

/**
 * Evaluates `e` on the rows `rows` of `batch` (all rows when null): constants and column
 * references without gathering the batch, anything else on a batch holding the gathered
 * columns it reads (other positions keep the ungathered column and are never read).
 */
function evaluateOn(e: PhysicalExpr, used: readonly number[], batch: Batch, rows: Int32Array | null): Column {
  if (rows === null) return e.evaluate(batch);
  if (e instanceof ConstantExpr) return constantColumn(e.value, e.type, rows.length);
  if (e instanceof ColumnRef) return takeColumn(batch.columns[e.index], rows);
  const cols = batch.columns.slice();
  for (const p of used) cols[p] = takeColumn(batch.columns[p], rows);
  return e.evaluate({ schema: batch.schema, columns: cols, numRows: rows.length });
}

/**
 * `CASE WHEN cond THEN a ELSE b END` where a and b are non-NULL numeric constants or plain column
 * references of the CASE's type (the medallion's `SUM(CASE WHEN status = 'APPROVED' THEN 1 ELSE 0
 * END)` and `… THEN amount ELSE 0.00 END`): one pass choosing per row. Neither side can raise an
 * error, so evaluating both on every row is safe (the general path evaluates the first condition
 * on every row too).
 */
function constantSelect(live: readonly Branch[], tail: PhysicalExpr | null, type: DataType, label: string): PhysicalExpr | null {
  if (live.length !== 1 || tail === null || type.kind === 'utf8' || type.kind === 'null') return null;
  const side = (e: PhysicalExpr): { constant: number } | { ref: PhysicalExpr } | null => {
    if (e instanceof ConstantExpr) {
      if (typeof e.value !== 'number' && typeof e.value !== 'boolean') return null;
      return { constant: constantColumn(e.value, type, 1).values[0]! };
    }
    if (e instanceof ColumnRef && typesEqual(e.type, type)) return { ref: e };
    return null;
  };
  const a = side(live[0]!.then);
  const b = side(tail);
  if (a === null || b === null) return null;
  const when = live[0]!.when;
  return {
    type,
    toString: () => label,
    evaluate(batch: Batch): Column {
      const n = batch.numRows;
      const cond = when.evaluate(batch);
      const out = allocValues(type, n);
      const ca = 'ref' in a ? a.ref.evaluate(batch) : null;
      const cb = 'ref' in b ? b.ref.evaluate(batch) : null;
      const va = ca?.values;
      const vb = cb?.values;
      const ka = 'constant' in a ? a.constant : 0;
      const kb = 'constant' in b ? b.constant : 0;
      const cv = cond.values;
      const valid = cond.type.kind === 'null' ? new Uint8Array(n) : cond.validity;
      let validity: Uint8Array | null = null;
      const taken = (i: number) => cv[i] !== 0 && (valid === null || valid[i] !== 0);
      if (va === undefined && vb === undefined) {
        for (let i = 0; i < n; i++) out[i] = taken(i) ? ka : kb;
      } else {
        for (let i = 0; i < n; i++) out[i] = taken(i) ? (va === undefined ? ka : va[i]!) : vb === undefined ? kb : vb[i]!;
        const na = ca?.validity ?? null;
        const nb = cb?.validity ?? null;
        if (na !== null || nb !== null) {
          validity = new Uint8Array(n);
          for (let i = 0; i < n; i++) validity[i] = taken(i) ? (na === null ? 1 : na[i]!) : nb === null ? 1 : nb[i]!;
        }
      }
      return makeColumn(type, out, validity);
    },
  };
}

/** Comparison codes of a threshold CASE: subject OP literal. */
const THRESHOLD_OPS: Record<string, number> = { lt: 0, lte: 1, gt: 2, gte: 3, eq: 4, neq: 5 };
const FLIPPED: Record<string, string> = { lt: 'gt', lte: 'gte', gt: 'lt', gte: 'lte', eq: 'eq', neq: 'neq' };
/** Types whose storage values compare exactly as the SQL values do (no NaN, no collation). */
export const EXACT_ORDER: ReadonlySet<string> = new Set(['int32', 'int64', 'date', 'timestamp', 'decimal']);

interface Thresholds {
  readonly subject: PhysicalExpr;
  readonly ops: Int32Array;
  readonly limits: Float64Array;
}

/**
 * Whether every condition compares one subject with a literal (`2024 - birth_year < 20`, `… < 30`,
 * …: the charts' age buckets): then the subject is evaluated once and each row walks the
 * thresholds in one loop, instead of one vector comparison per condition.
 */
function thresholds(live: readonly Branch[], input: readonly Field[]): Thresholds | null {
  let subject: Expr | null = null;
  let key = '';
  const ops: number[] = [];
  const limits: number[] = [];
  for (const b of live) {
    const w = b.logicalWhen;
    if (w.kind !== 'call' || !(w.fn in THRESHOLD_OPS) || w.args.length !== 2) return null;
    let [x, lit] = w.args as [Expr, Expr];
    let fn = w.fn;
    if (x.kind === 'literal') { [x, lit] = [lit, x]; fn = FLIPPED[fn]!; }
    if (lit.kind !== 'literal' || typeof lit.value !== 'number' || !EXACT_ORDER.has(x.type.kind) || !typesEqual(x.type, lit.type)) return null;
    const k = JSON.stringify(x);
    if (subject === null) { subject = x; key = k; } else if (k !== key) return null;
    ops.push(THRESHOLD_OPS[fn]!);
    limits.push(lit.value);
  }
  if (subject === null) return null;
  return { subject: compileExpr(subject, input), ops: Int32Array.from(ops), limits: Float64Array.from(limits) };
}

/** Index of the first threshold value `a` passes, or k (the ELSE) when none. */
function firstPassed(ops: Int32Array, limits: Float64Array, a: number): number {
  const k = ops.length;
  for (let b = 0; b < k; b++) {
    const l = limits[b]!;
    switch (ops[b]) {
      case 0: if (a < l) return b; break;
      case 1: if (a <= l) return b; break;
      case 2: if (a > l) return b; break;
      case 3: if (a >= l) return b; break;
      case 4: if (a === l) return b; break;
      default: if (a !== l) return b; break;
    }
  }
  return k;
}

/** Subject spans up to this many values: the choice is looked up in a table built per batch. */
const THRESHOLD_TABLE_MAX = 4096;

/**
 * choice[i] = the first threshold row i passes (choice is pre-filled with the ELSE index; a NULL
 * subject passes none). Storage values of EXACT_ORDER types are integers, so over a narrow span
 * (2024 - birth_year: about 80 values) the choice of every value is tabulated once per batch and
 * each row is one lookup; otherwise each row walks the thresholds.
 */
function chooseByThresholds(t: Thresholds, x: Column, choice: Int32Array, n: number): void {
  const v = x.values;
  const valid = x.validity;
  const { ops, limits } = t;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const a = v[i]!;
    if (a < min) min = a;
    if (a > max) max = a;
  }
  if (min > max) return;
  if (max - min < THRESHOLD_TABLE_MAX) {
    const table = new Int32Array(max - min + 1);
    for (let a = min; a <= max; a++) table[a - min] = firstPassed(ops, limits, a);
    if (v instanceof Int32Array) lookupI32(v, valid, min, table, choice, n);
    else lookupF64(v as Float64Array, valid, min, table, choice, n);
    return;
  }
  for (let i = 0; i < n; i++) if (valid === null || valid[i] !== 0) choice[i] = firstPassed(ops, limits, v[i]!);
}

function lookupI32(v: Int32Array, valid: Uint8Array | null, min: number, table: Int32Array, choice: Int32Array, n: number): void {
  if (valid === null) for (let i = 0; i < n; i++) choice[i] = table[v[i]! - min]!;
  else for (let i = 0; i < n; i++) if (valid[i] !== 0) choice[i] = table[v[i]! - min]!;
}

function lookupF64(v: Float64Array, valid: Uint8Array | null, min: number, table: Int32Array, choice: Int32Array, n: number): void {
  if (valid === null) for (let i = 0; i < n; i++) choice[i] = table[v[i]! - min]!;
  else for (let i = 0; i < n; i++) if (valid[i] !== 0) choice[i] = table[v[i]! - min]!;
}

/**
 * `CASE WHEN c1 THEN k1 WHEN c2 THEN k2 … [ELSE k] END` with constant results (NULL, numbers,
 * strings — the charts' age buckets) whose later conditions are safe to evaluate on every row:
 * every condition runs on the whole batch, no gathers of the remaining rows, and each row takes
 * the first that holds. A string result is a dictionary column over the constants.
 */
function constantChoice(live: readonly Branch[], tail: PhysicalExpr | null, type: DataType, label: string, input: readonly Field[]): PhysicalExpr | null {
  if (live.length < 2 || type.kind === 'null') return null;
  const results = [...live.map((b) => b.then), tail];
  if (!results.every((r) => r === null || r instanceof ConstantExpr)) return null;
  const consts = results.map((r) => (r === null ? null : (r as ConstantExpr).value));
  if (type.kind === 'utf8' ? !consts.every((v) => v === null || typeof v === 'string') : !consts.every((v) => v === null || typeof v === 'number' || typeof v === 'boolean')) return null;
  const first = new Set<string>();
  subexpressions(live[0]!.logicalWhen, first);
  if (!live.slice(1).every((b) => cannotRaise(b.logicalWhen, first))) return null;
  const k = live.length;
  const isNull = Uint8Array.from(consts, (v) => (v === null ? 1 : 0));
  const anyNull = isNull.some((x) => x === 1);
  const dict = type.kind === 'utf8' ? consts.map((v) => (v === null ? '' : (v as string))) : undefined;
  const nums = type.kind === 'utf8' ? null : consts.map((v) => (v === null ? 0 : constantColumn(v, type, 1).values[0]!));
  const whens = live.map((b) => b.when);
  const ranges = thresholds(live, input);
  return {
    type,
    toString: () => label,
    evaluate(batch: Batch): Column {
      const n = batch.numRows;
      const choice = new Int32Array(n).fill(k);
      if (ranges !== null) {
        chooseByThresholds(ranges, ranges.subject.evaluate(batch), choice, n);
      } else {
        // last condition first, so an earlier one that also holds overwrites it
        for (let b = k - 1; b >= 0; b--) {
          const cond = whens[b]!.evaluate(batch);
          if (cond.type.kind === 'null') continue;
          const cv = cond.values;
          const valid = cond.validity;
          if (valid === null) { for (let i = 0; i < n; i++) if (cv[i] !== 0) choice[i] = b; }
          else for (let i = 0; i < n; i++) if (cv[i] !== 0 && valid[i] !== 0) choice[i] = b;
        }
      }
      let validity: Uint8Array | null = null;
      if (anyNull) {
        validity = new Uint8Array(n);
        for (let i = 0; i < n; i++) validity[i] = 1 - isNull[choice[i]!]!;
      }
      if (dict !== undefined) return makeColumn(type, choice, validity, dict);
      const out = allocValues(type, n);
      for (let i = 0; i < n; i++) out[i] = nums![choice[i]!]!;
      return makeColumn(type, out, validity);
    },
  };
}

/** Calls that cannot raise on any input (comparisons, logic, NULL and truth tests); also the base of optimizer/cannot-fail.ts. */
export const NEVER_RAISING: ReadonlySet<string> = new Set(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'and', 'or', 'not', 'is_null', 'is_not_null', 'is_true', 'is_false']);

/**
 * True when evaluating `e` on any row cannot raise an error: comparisons, logic, NULL tests and IN
 * lists over columns and literals, and any subexpression in `evaluatedAnyway` (already evaluated on
 * every row, e.g. inside a CASE's first condition). Scans combine such conjuncts into one
 * selection; CASE evaluates such later conditions on every row.
 */
export function cannotRaise(e: Expr, evaluatedAnyway: ReadonlySet<string> = new Set()): boolean {
  if (evaluatedAnyway.size > 0 && evaluatedAnyway.has(JSON.stringify(e))) return true;
  switch (e.kind) {
    case 'column':
    case 'literal':
      return true;
    case 'in_list':
      return cannotRaise(e.expr, evaluatedAnyway) && e.list.every((a) => cannotRaise(a, evaluatedAnyway));
    case 'call':
      return NEVER_RAISING.has(e.fn) && e.args.every((a) => cannotRaise(a, evaluatedAnyway));
    default:
      return false;
  }
}

function subexpressions(e: Expr, out: Set<string>): void {
  visitSubtrees(e, (x) => out.add(JSON.stringify(x)));
}

interface Branch { readonly logicalWhen: Expr; readonly when: PhysicalExpr; readonly whenUsed: number[]; readonly then: PhysicalExpr; readonly thenUsed: number[] }

/**
 * Searched CASE. Each WHEN is evaluated only on rows no earlier WHEN took, and each THEN/ELSE
 * only on the rows that reach it, so `CASE WHEN x = 0 THEN 0 ELSE 1 / x END` never divides by zero.
 */
function compileCase(expr: CaseExpr, input: readonly Field[]): PhysicalExpr {
  const type = expr.type;
  const branches: Branch[] = expr.whens.map((w) => ({
    logicalWhen: w.when,
    when: compileExpr(w.when, input),
    whenUsed: positionsOf(w.when, input),
    then: coerceTo(compileExpr(w.then, input), type),
    thenUsed: positionsOf(w.then, input),
  }));
  const otherwise = expr.otherwise ? coerceTo(compileExpr(expr.otherwise, input), type) : null;
  const otherUsed = expr.otherwise ? positionsOf(expr.otherwise, input) : [];
  // Drop WHENs that are constant false/NULL; a constant-true WHEN ends the list.
  const live: Branch[] = [];
  let tail: PhysicalExpr | null = otherwise;
  let tailUsed = otherUsed;
  for (const b of branches) {
    if (b.when instanceof ConstantExpr) {
      if (b.when.value === true) { tail = b.then; tailUsed = b.thenUsed; break; }
      continue;
    }
    live.push(b);
  }
  const label = `CASE ${branches.map((b) => `WHEN ${b.when} THEN ${b.then}`).join(' ')}${otherwise ? ` ELSE ${otherwise}` : ''} END`;
  if (live.length === 0) {
    if (tail === null) return new ConstantExpr(null, type);
    return tail;
  }
  const select = constantSelect(live, tail, type, label) ?? constantChoice(live, tail, type, label, input);
  if (select !== null) return select;
  return {
    type,
    toString: () => label,
    evaluate(batch: Batch): Column {
      const n = batch.numRows;
      const sc = new Scatter(type, n);
      let remaining: Int32Array | null = null; // null = all rows
      let remainingCount = n;
      for (const b of live) {
        if (remainingCount === 0) break;
        const cond = evaluateOn(b.when, b.whenUsed, batch, remaining);
        const cv = cond.values;
        const cvalid = cond.validity;
        const m = cond.length;
        const taken = new Int32Array(m);
        const rest = new Int32Array(m);
        let nt = 0;
        let nr = 0;
        for (let j = 0; j < m; j++) {
          const r = remaining === null ? j : remaining[j];
          if (cv[j] !== 0 && (cvalid === null || cvalid[j] !== 0) && cond.type.kind !== 'null') taken[nt++] = r;
          else rest[nr++] = r;
        }
        if (nt > 0) {
          const rows = nt === n ? null : taken.subarray(0, nt);
          sc.put(evaluateOn(b.then, b.thenUsed, batch, rows), rows);
        }
        remaining = rest.subarray(0, nr);
        remainingCount = nr;
      }
      if (tail !== null && remainingCount > 0) {
        const rows = remainingCount === n ? null : remaining;
        sc.put(evaluateOn(tail, tailUsed, batch, rows), rows);
      }
      return sc.finish();
    },
  };
}

/** Collects partial results (rows → values) of CASE/COALESCE into one column; unset rows are NULL. */
class Scatter {
  private readonly out: ReturnType<typeof allocValues>;
  private readonly validity: Uint8Array;
  private readonly dicts: string[][] = [];
  private dictSize = 0;
  constructor(private readonly type: DataType, private readonly n: number) {
    this.out = allocValues(type, n);
    this.validity = new Uint8Array(n);
  }
  /** res row j goes to batch row rows[j] (rows null = identity). */
  put(res: Column, rows: Int32Array | null): void {
    if (res.type.kind === 'null') return;
    const m = res.length;
    const rv = res.values;
    const valid = res.validity;
    const out = this.out;
    const validity = this.validity;
    let offset = 0;
    if (this.type.kind === 'utf8') {
      offset = this.dictSize;
      this.dicts.push(res.dict!);
      this.dictSize += res.dict!.length;
    }
    if (rows === null && valid === null && offset === 0) {
      out.set(rv);
      validity.fill(1);
      return;
    }
    for (let j = 0; j < m; j++) {
      if (valid !== null && valid[j] === 0) continue;
      const r = rows === null ? j : rows[j];
      out[r] = rv[j] + offset;
      validity[r] = 1;
    }
  }
  finish(): Column {
    const n = this.n;
    let allValid = true;
    for (let i = 0; i < n; i++) if (this.validity[i] === 0) { allValid = false; break; }
    const dict = this.type.kind === 'utf8' ? (this.dicts.length === 1 ? this.dicts[0] : ([] as string[]).concat(...this.dicts)) : undefined;
    return makeColumn(this.type, this.out, allValid ? null : this.validity, dict);
  }
}

const RAISING = new Set(['div', 'mod', 'substring', 'date_trunc', 'extract', 'date_part', 'like', 'not_like', 'ilike', 'not_ilike']);

/** Whether evaluating e may raise on some rows (division, casts that parse or narrow…). */
function mayRaise(e: Expr): boolean {
  switch (e.kind) {
    case 'column':
    case 'literal':
      return false;
    case 'call':
      return RAISING.has(e.fn) || e.args.some(mayRaise);
    case 'cast': {
      const from = e.expr.type.kind;
      const to = e.type.kind;
      const safe = to === 'utf8' || from === to && to !== 'decimal' || from === 'null'
        || (to === 'float64' && from !== 'utf8') || (to === 'int64' && from === 'int32') || (to === 'timestamp' && from === 'date');
      return !safe || mayRaise(e.expr);
    }
    case 'case':
      return e.whens.some((w) => mayRaise(w.when) || mayRaise(w.then)) || (e.otherwise !== null && mayRaise(e.otherwise));
    case 'in_list':
      return mayRaise(e.expr) || e.list.some(mayRaise);
  }
}

/**
 * `a AND b` / `a OR b` where b may raise: b is evaluated only on rows where a does not already
 * decide the result (as PostgreSQL's left-to-right short-circuit: `x <> 0 AND 1 / x > 1`).
 */
function compileLazyAndOr(isAnd: boolean, left: Expr, right: Expr, input: readonly Field[]): PhysicalExpr {
  const a = compileExpr(left, input);
  const b = compileExpr(right, input);
  const bUsed = positionsOf(right, input);
  const decided = isAnd ? 0 : 1; // left value that decides the result
  return {
    type: BOOL,
    toString: () => `${a} ${isAnd ? 'AND' : 'OR'} ${b}`,
    evaluate(batch: Batch): Column {
      const ac = a.evaluate(batch);
      const n = batch.numRows;
      const av = ac.values, avalid = ac.validity;
      const rows = new Int32Array(n);
      let k = 0;
      if (ac.type.kind === 'null') for (let i = 0; i < n; i++) rows[k++] = i;
      else for (let i = 0; i < n; i++) if (av[i] !== decided || (avalid !== null && avalid[i] === 0)) rows[k++] = i;
      if (k === 0) return ac;
      const sub = k === n ? null : rows.subarray(0, k);
      const bc = evaluateOn(b, bUsed, batch, sub);
      let full: Column = bc;
      if (sub !== null) {
        // rows not evaluated are decided by a: give b the same (dominating) value there
        const vals = new Uint8Array(n).fill(decided);
        const valid = new Uint8Array(n).fill(1);
        const bv = bc.values, bvalid = bc.validity;
        const isNull = bc.type.kind === 'null';
        for (let j = 0; j < k; j++) {
          const r = sub[j];
          vals[r] = isNull ? 0 : bv[j];
          valid[r] = isNull ? 0 : bvalid === null ? 1 : bvalid[j];
        }
        full = makeColumn(BOOL, vals, valid);
      }
      return andOrColumns(ac, full, isAnd);
    },
  };
}

/** coalesce(a, b, …): each argument is evaluated only on the rows still NULL. */
function compileCoalesce(argExprs: readonly Expr[], type: DataType, input: readonly Field[]): PhysicalExpr {
  const args = argExprs.map((e) => coerceTo(compileExpr(e, input), type));
  const used = argExprs.map((e) => positionsOf(e, input));
  // drop everything after the first non-NULL constant; drop NULL constants
  const live: number[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a instanceof ConstantExpr && a.value === null) continue;
    live.push(i);
    if (a instanceof ConstantExpr) break;
  }
  const label = `coalesce(${args.map((a) => a.toString()).join(', ')})`;
  if (live.length === 0) return new ConstantExpr(null, type);
  if (live.length === 1) return args[live[0]];
  return {
    type,
    toString: () => label,
    evaluate(batch: Batch): Column {
      const n = batch.numRows;
      const first = args[live[0]].evaluate(batch);
      if (first.validity === null && first.type.kind !== 'null') return first;
      const sc = new Scatter(type, n);
      sc.put(first, null);
      let remaining: Int32Array | null = null;
      let prev = first;
      for (let t = 1; t < live.length; t++) {
        // rows of `prev` that are NULL
        const m = prev.length;
        const next = new Int32Array(m);
        let k = 0;
        const pv = prev.type.kind === 'null' ? null : prev.validity;
        for (let j = 0; j < m; j++) {
          if (pv !== null && pv[j] !== 0) continue;
          if (prev.type.kind !== 'null' && pv === null) continue;
          next[k++] = remaining === null ? j : remaining[j];
        }
        if (k === 0) break;
        remaining = next.subarray(0, k);
        const i = live[t];
        prev = evaluateOn(args[i], used[i], batch, remaining);
        sc.put(prev, remaining);
      }
      return sc.finish();
    },
  };
}

/**
 * `x [NOT] IN (list)`. A list of constants becomes a hash set (for strings, membership is
 * decided once per dictionary entry); otherwise it is evaluated as `x = a OR x = b …`.
 * Three-valued: NULL when x is NULL, or when x is not found and the list holds a NULL.
 */
function compileInList(expr: InListExpr, input: readonly Field[]): PhysicalExpr {
  const allConst = expr.list.every((e) => e.kind === 'literal' || columnsOf(e).size === 0);
  if (!allConst) {
    const ors = expr.list.map((item) => call('eq', [expr.expr, item], BOOL));
    let pred: Expr = ors.reduce((a, b) => call('or', [a, b], BOOL));
    if (expr.negated) pred = call('not', [pred], BOOL);
    return compileExpr(pred, input);
  }
  const x = compileExpr(expr.expr, input);
  const xt = x.type;
  let hasNull = false;
  const values: Scalar[] = [];
  for (const item of expr.list) {
    const c = coerceTo(compileExpr(item, input), xt).evaluate(ONE_ROW);
    const v = valueAt(c, 0);
    if (v === null) hasNull = true;
    else values.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
  }
  const set = new Set<Scalar>(values);
  const negated = expr.negated;
  const label = `${x} ${negated ? 'NOT IN' : 'IN'} (${expr.list.map((e) => compileExpr(e, input).toString()).join(', ')})`;
  const hit = negated ? 0 : 1;
  const miss = hasNull ? -1 : negated ? 1 : 0; // -1 = NULL
  const result: PhysicalExpr = {
    type: BOOL,
    toString: () => label,
    evaluate(batch: Batch): Column {
      const col = x.evaluate(batch);
      const n = col.length;
      const out = new Uint8Array(n);
      const inValid = col.validity;
      if (col.type.kind === 'null') return makeColumn(BOOL, out, new Uint8Array(n));
      let validity: Uint8Array | null = null;
      if (col.dict !== undefined) {
        const dict = col.dict;
        const per = new Int8Array(dict.length);
        for (let k = 0; k < dict.length; k++) per[k] = set.has(dict[k]) ? hit : miss;
        const codes = col.values as Int32Array;
        if (miss === -1 || inValid !== null) validity = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const r = per[codes[i]];
          if (validity !== null) validity[i] = r === -1 || (inValid !== null && inValid[i] === 0) ? 0 : 1;
          out[i] = r === 1 ? 1 : 0;
        }
      } else {
        const vals = col.values;
        if (miss === -1 || inValid !== null) validity = new Uint8Array(n);
        if (validity === null) {
          for (let i = 0; i < n; i++) out[i] = set.has(vals[i]) ? hit : miss;
        } else {
          for (let i = 0; i < n; i++) {
            const r = set.has(vals[i]) ? hit : miss;
            out[i] = r === 1 ? 1 : 0;
            validity[i] = r === -1 || (inValid !== null && inValid[i] === 0) ? 0 : 1;
          }
        }
      }
      return makeColumn(BOOL, out, validity);
    },
  };
  return foldIfConstant(result, [x]);
}
