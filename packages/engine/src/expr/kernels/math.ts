import { allocValues, makeColumn } from '../../types/column.js';
import { FLOAT64, type DataType } from '../../types/data-type.js';
import type { PhysicalExpr } from '../physical-expr.js';
import { ConstantExpr, POW10, andValidity } from '../util.js';
import { castExpr } from './cast.js';
import { genLoop } from './gen.js';
import { FnExpr, callLabel, type KernelBuilder } from './kernel.js';

/*
 * round / abs / floor / ceil. float8: round is rint (half to even), floor/ceil as Math.
 * numeric: round half away from zero; results at the resolved type's scale.
 */

// q = trunc(a / k1) with the remainder fixed up (exact for |a| < 2^53)
const TRUNC_DIV = `let q = Math.trunc(a / k1); let rem = a - q * k1;
  if (rem !== 0 && ((rem < 0) !== (a < 0))) { q += a < 0 ? 1 : -1; rem = a - q * k1; }
  if (rem >= k1 || rem <= -k1) { q += a < 0 ? -1 : 1; rem = a - q * k1; }`;

const ROUND_AWAY_BODY = `${TRUNC_DIV} if (2 * Math.abs(rem) >= k1) q += a < 0 ? -1 : 1;`;
const FLOOR = `${TRUNC_DIV} if (rem < 0) q -= 1;`;
const CEIL = `${TRUNC_DIV} if (rem > 0) q += 1;`;

function unary(type: DataType, arg: PhysicalExpr, label: string, body: string, k1 = 1, k2 = 1): PhysicalExpr {
  if (arg instanceof ConstantExpr && arg.value === null) return new ConstantExpr(null, type);
  const fast = genLoop(body, 'c', false);
  const slow = genLoop(body, 'c', true);
  return new FnExpr(type, label, (batch) => {
    const c = arg.evaluate(batch);
    const n = c.length;
    const out = allocValues(type, n);
    if (c.type.kind === 'null') return makeColumn(type, out, new Uint8Array(n));
    if (c.validity === null) fast(c.values, 0, out, n, null, k1, k2);
    else slow(c.values, 0, out, n, c.validity, k1, k2);
    return makeColumn(type, out, c.validity);
  });
}

const scaleOf = (t: DataType) => (t.kind === 'decimal' ? t.scale : 0);

export const abs: KernelBuilder = (args, type, fn) => {
  const a = args[0].type.kind === type.kind ? args[0] : castExpr(args[0], type);
  const label = callLabel(fn, args);
  switch (type.kind) {
    case 'int32': return unary(type, a, label, "if (a === -2147483648) fail('numeric_value_out_of_range', 'integer out of range'); out[i] = Math.abs(a);");
    case 'int64': return unary(type, a, label, "if (a <= -9223372036854775808) fail('numeric_value_out_of_range', 'bigint out of range'); out[i] = Math.abs(a);");
    default: return unary(type, a, label, 'out[i] = Math.abs(a);');
  }
};

/** floor / ceil: float8 → float8; numeric(p,s) → numeric(·,0). */
export const floorCeil: KernelBuilder = (args, type, fn) => {
  const label = callLabel(fn, args);
  const isFloor = fn === 'floor';
  if (type.kind !== 'decimal') {
    const a = args[0].type.kind === 'float64' ? args[0] : castExpr(args[0], FLOAT64);
    return unary(type, a, label, isFloor ? 'out[i] = Math.floor(a);' : 'out[i] = Math.ceil(a) + 0;');
  }
  const a = args[0];
  const s = scaleOf(a.type);
  const out = type.scale;
  const body = `${isFloor ? FLOOR : CEIL} out[i] = q * k2 + 0;`;
  return unary(type, a, label, body, POW10[s], POW10[Math.max(0, out)]);
};

/**
 * round(x): float8 → rint; numeric → scale 0, half away from zero.
 * round(numeric, n): rounds to n digits (n may be negative); the result is expressed at the
 * type's scale (n when the binder used resolveScalarCall, else the input scale).
 */
export const round: KernelBuilder = (args, type, fn) => {
  const label = callLabel(fn, args);
  const truncate = fn === 'trunc';
  if (type.kind !== 'decimal') {
    const a = args[0].type.kind === 'float64' ? args[0] : castExpr(args[0], FLOAT64);
    if (truncate) return unary(type, a, label, 'out[i] = Math.trunc(a);');
    return unary(type, a, label, 'let r = Math.round(a); if (r - a === 0.5 && r % 2 !== 0) r -= 1; out[i] = r;');
  }
  const x = args[0].type.kind === 'decimal' ? args[0] : castExpr(args[0], type);
  const s = scaleOf(x.type);
  const ts = type.scale;
  const digits = args.length > 1 ? args[1] : new ConstantExpr(0, type);
  if (digits instanceof ConstantExpr) {
    if (digits.value === null) return new ConstantExpr(null, type);
    const d = Math.trunc(Number(digits.value));
    const spec = roundBody(s, d, ts, truncate);
    return unary(type, x, label, spec.body, spec.k1, spec.k2);
  }
  // per-row digit count (slow path)
  return new FnExpr(type, label, (batch) => {
    const c = x.evaluate(batch);
    const dc = digits.evaluate(batch);
    const n = c.length;
    const out = new Float64Array(n);
    const validity = new Uint8Array(n);
    const tmp = new Float64Array(1);
    for (let i = 0; i < n; i++) {
      if ((c.validity !== null && c.validity[i] === 0) || (dc.validity !== null && dc.validity[i] === 0) || dc.type.kind === 'null') continue;
      const spec = roundBody(s, Math.trunc(dc.values[i]), ts, truncate);
      genLoop(spec.body, 'c', false)(c.values.subarray(i, i + 1), 0, tmp, 1, null, spec.k1, spec.k2);
      out[i] = tmp[0];
      validity[i] = 1;
    }
    return makeColumn(type, out, validity);
  });
};

/** Loop body rounding (or truncating) an unscaled value at scale s to d digits, expressed at scale ts. */
function roundBody(s: number, d: number, ts: number, truncate = false): { body: string; k1: number; k2: number } {
  d = Math.max(-38, Math.min(38, d));
  const ROUND_AWAY = truncate ? TRUNC_DIV : ROUND_AWAY_BODY;
  if (d >= s) {
    // nothing to round: rescale only
    return ts >= s ? { body: 'out[i] = a * k2 + 0;', k1: 1, k2: POW10[ts - s] } : { body: `${ROUND_AWAY} out[i] = q + 0;`, k1: POW10[s - ts], k2: 1 };
  }
  // q = value rounded at scale d; result = q × 10^(ts − d)
  const k1 = POW10[s - d];
  if (ts >= d) return { body: `${ROUND_AWAY} out[i] = q * k2 + 0;`, k1, k2: POW10[ts - d] };
  return { body: `${ROUND_AWAY} out[i] = Math.round(q / k2) + 0;`, k1, k2: POW10[d - ts] };
}

/* ---------------- float8 functions: sqrt cbrt exp ln log10 log(b, x) power sign pi ---------------- */

const FLOAT_OVF = "fail('numeric_value_out_of_range', 'value out of range: overflow')";
const FLOAT_UNF = "fail('numeric_value_out_of_range', 'value out of range: underflow')";
const LOG_CHECK = `if (a === 0) fail('invalid_parameter_value', 'cannot take logarithm of zero');
  if (a < 0) fail('invalid_parameter_value', 'cannot take logarithm of a negative number');`;

/** Loop bodies of the unary float8 functions (errors as PostgreSQL's float.c). */
const FLOAT_UNARY: Record<string, string> = {
  sqrt: "if (a < 0) fail('invalid_parameter_value', 'cannot take square root of a negative number'); out[i] = Math.sqrt(a);",
  cbrt: 'out[i] = Math.cbrt(a);',
  exp: `const r = Math.exp(a); if (a - a === 0) { if (r === Infinity) ${FLOAT_OVF}; if (r === 0) ${FLOAT_UNF}; } out[i] = r;`,
  ln: `${LOG_CHECK} out[i] = Math.log(a);`,
  log10: `${LOG_CHECK} out[i] = Math.log10(a);`,
  sign: 'out[i] = a > 0 ? 1 : a < 0 ? -1 : 0;',
};

/** sqrt, cbrt, exp, ln, log10 (log with one argument) and sign over double precision. */
export const floatUnary: KernelBuilder = (args, type, fn) => {
  const label = callLabel(fn, args);
  if (type.kind === 'decimal') {
    // sign(numeric): exact, -1 / 0 / 1 at scale 0
    return unary(type, args[0], label, 'out[i] = a > 0 ? 1 : a < 0 ? -1 : 0;');
  }
  const a = args[0].type.kind === 'float64' ? args[0] : castExpr(args[0], FLOAT64);
  return unary(FLOAT64, a, label, FLOAT_UNARY[fn]);
};

const POWER = `let r;
  if (a === 0 && b < 0) fail('invalid_parameter_value', 'zero raised to a negative power is undefined');
  if (a < 0 && b - b === 0 && Math.floor(b) !== b) fail('invalid_parameter_value', 'a negative number raised to a non-integer power yields a complex result');
  if (a === 1 || b === 0) r = 1;
  else if (a === -1 && (b === Infinity || b === -Infinity)) r = 1;
  else r = Math.pow(a, b);
  if (a - a === 0 && b - b === 0) {
    if (r === Infinity || r === -Infinity) ${FLOAT_OVF};
    if (r === 0 && a !== 0) ${FLOAT_UNF};
  }
  out[i] = r;`;

// log(b, x): PostgreSQL has only the numeric variant; computed in double precision (documented deviation)
const LOG_BASE = `if (a === 0 || b === 0) fail('invalid_parameter_value', 'cannot take logarithm of zero');
  if (a < 0 || b < 0) fail('invalid_parameter_value', 'cannot take logarithm of a negative number');
  if (a === 1) fail('division_by_zero', 'division by zero');
  out[i] = a === 10 ? Math.log10(b) : a === 2 ? Math.log2(b) : Math.log(b) / Math.log(a);`;

/** power(a, b) and log(base, x) over double precision. */
export const floatBinary: KernelBuilder = (args, _type, fn) => {
  const label = callLabel(fn, args);
  if (args.some((x) => x instanceof ConstantExpr && x.value === null)) return new ConstantExpr(null, FLOAT64);
  const a = args[0].type.kind === 'float64' ? args[0] : castExpr(args[0], FLOAT64);
  const b = args[1].type.kind === 'float64' ? args[1] : castExpr(args[1], FLOAT64);
  const code = fn === 'power' ? POWER : LOG_BASE;
  const fast = genLoop(code, 'cc', false);
  const slow = genLoop(code, 'cc', true);
  return new FnExpr(FLOAT64, label, (batch) => {
    const ac = a.evaluate(batch);
    const bc = b.evaluate(batch);
    const n = batch.numRows;
    const out = new Float64Array(n);
    if (ac.type.kind === 'null' || bc.type.kind === 'null') return makeColumn(FLOAT64, out, new Uint8Array(n));
    const valid = andValidity(ac.validity, bc.validity, n);
    if (valid === null) fast(ac.values, bc.values, out, n, null);
    else slow(ac.values, bc.values, out, n, valid);
    return makeColumn(FLOAT64, out, valid);
  });
};

export const pi: KernelBuilder = () => new ConstantExpr(Math.PI, FLOAT64);
