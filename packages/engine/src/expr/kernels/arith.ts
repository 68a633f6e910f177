import type { Batch } from '../../types/batch.js';
import { allocValues, makeColumn, type Column } from '../../types/column.js';
import type { DataType } from '../../types/data-type.js';
import type { PhysicalExpr } from '../physical-expr.js';
import { integerAsDecimal } from '../resolve.js';
import { ConstantExpr, andValidity, POW10, scalarNumber } from '../util.js';
import { castExpr } from './cast.js';
import { genLoop, type Shape } from './gen.js';
import { FnExpr, callLabel, type KernelBuilder } from './kernel.js';

/*
 * Arithmetic (add sub mul div mod neg) with PostgreSQL semantics:
 *   int4/int8: overflow → numeric_value_out_of_range ("integer out of range" / "bigint out of
 *   range"); `/` truncates toward zero; `%` takes the sign of the dividend; x/0 and x%0 →
 *   division_by_zero. float8: IEEE, but x/0 → division_by_zero and an infinite result from
 *   finite inputs → "value out of range: overflow" as PostgreSQL. numeric: unscaled integers,
 *   operands aligned to the result scale, division rounded half away from zero.
 */

const INT32_OVF = "fail('numeric_value_out_of_range', 'integer out of range')";
const INT64_OVF = "fail('numeric_value_out_of_range', 'bigint out of range')";
const DIV0 = "fail('division_by_zero', 'division by zero')";
const FLOAT_OVF = "fail('numeric_value_out_of_range', 'value out of range: overflow')";
const FLOAT_UNF = "fail('numeric_value_out_of_range', 'value out of range: underflow')";

const I32_CHECK = `if (r > 2147483647 || r < -2147483648) ${INT32_OVF};`;
const I64_CHECK = `if (r >= 9223372036854775808 || r < -9223372036854775808) ${INT64_OVF};`;

/** Loop body per (op, result kind). k1/k2: scale factors of a and b (decimal), k3: result factor. */
function body(op: string, kind: string): string {
  switch (kind) {
    case 'int32':
    case 'int64': {
      const check = kind === 'int32' ? I32_CHECK : I64_CHECK;
      const ovf = kind === 'int32' ? INT32_OVF : INT64_OVF;
      switch (op) {
        case 'add': return `const r = a + b; ${check} out[i] = r;`;
        case 'sub': return `const r = a - b; ${check} out[i] = r;`;
        case 'mul': return `const r = a * b; ${check} out[i] = r;`;
        case 'div':
          // Math.trunc(a / b) is exact for |a| < 2^53 except in rare rounding cases; fix up via the remainder.
          return `if (b === 0) ${DIV0};
            let r = Math.trunc(a / b);
            const rem = a - r * b;
            if (rem !== 0 && ((rem < 0) !== (a < 0))) r -= r > 0 ? 1 : -1;
            ${kind === 'int32' ? `if (r > 2147483647) ${ovf};` : `if (r >= 9223372036854775808) ${ovf};`}
            out[i] = r + 0;`;
        // int32 operands take V8's integer remainder; a double % is an fmod call (~10× slower)
        case 'mod': return `if (b === 0) ${DIV0}; out[i] = ((a | 0) === a && (b | 0) === b ? (a | 0) % (b | 0) : a % b) + 0;`;
      }
      break;
    }
    case 'float64':
      switch (op) {
        case 'add': return `const r = a + b; if (r === Infinity || r === -Infinity) { if (a - a === 0 && b - b === 0) ${FLOAT_OVF}; } out[i] = r;`;
        case 'sub': return `const r = a - b; if (r === Infinity || r === -Infinity) { if (a - a === 0 && b - b === 0) ${FLOAT_OVF}; } out[i] = r;`;
        case 'mul': return `const r = a * b;
          if (r === Infinity || r === -Infinity) { if (a - a === 0 && b - b === 0) ${FLOAT_OVF}; }
          else if (r === 0 && a !== 0 && b !== 0) ${FLOAT_UNF};
          out[i] = r;`;
        case 'div': return `if (b === 0) ${DIV0}; const r = a / b;
          if (r === Infinity || r === -Infinity) { if (a - a === 0) ${FLOAT_OVF}; }
          else if (r === 0 && a !== 0 && b - b === 0) ${FLOAT_UNF};
          out[i] = r;`;
        case 'mod': return `if (b === 0) ${DIV0}; out[i] = a % b;`;
      }
      break;
    case 'decimal':
      switch (op) {
        case 'add': return `out[i] = a * k1 + b * k2;`;
        case 'sub': return `out[i] = a * k1 - b * k2 + 0;`;
        // product has scale sa+sb; k3 = 10^(sa+sb-s) ≥ 1 divides it back when the result scale was capped
        case 'mul': return `const r = a * b; out[i] = k3 === 1 ? r + 0 : (r < 0 ? -Math.round(-r / k3) : Math.round(r / k3)) + 0;`;
        // q = a * 10^(s - sa + sb) / b; k1 = 10^(s-sa+sb) when ≥ 0 (k2 = 1), else k2 = 10^-(…)
        // Exact long division (8 digits per step) when |b| < ~2^53/1e8, else float64.
        // k3 = number of decimal digits to shift (s - sa + sb) when ≥ 0.
        case 'div': return `if (b === 0) ${DIV0};
          const ab = b < 0 ? -b : b;
          const aa = a < 0 ? -a : a;
          let r = 0;
          if (k2 === 1 && ab < 90071992) {
            let q = Math.trunc(aa / ab); let rr = aa - q * ab;
            if (rr < 0) { q -= 1; rr += ab; } else if (rr >= ab) { q += 1; rr -= ab; }
            if (e0 > 0) {
              const t = rr * m0;
              let d = Math.trunc(t / ab); let r2 = t - d * ab;
              if (r2 < 0) { d -= 1; r2 += ab; } else if (r2 >= ab) { d += 1; r2 -= ab; }
              q = q * m0 + d; rr = r2;
            }
            for (let s = 0; s < nf; s++) {
              const t = rr * 1e8;
              let d = Math.trunc(t / ab); let r2 = t - d * ab;
              if (r2 < 0) { d -= 1; r2 += ab; } else if (r2 >= ab) { d += 1; r2 -= ab; }
              q = q * 1e8 + d; rr = r2;
            }
            if (2 * rr >= ab) q += 1;
            r = q;
          } else {
            const q = k2 === 1 ? (aa * k1) / ab : aa / (ab * k2);
            r = Math.round(q);
          }
          out[i] = ((a < 0) !== (b < 0) ? -r : r) + 0;`;
        case 'mod': return `if (b === 0) ${DIV0}; out[i] = ((a * k1) % (b * k2)) + 0;`;
      }
      break;
  }
  throw new Error(`no arithmetic kernel ${op} for ${kind}`);
}

/** Operand storage type the kernel needs for a result type (decimals keep their own scale). */
function operandTarget(arg: DataType, result: DataType): DataType {
  if (result.kind === 'decimal') {
    if (arg.kind === 'decimal') return arg;
    if (arg.kind === 'int32' || arg.kind === 'int64') return integerAsDecimal(arg);
    return result;
  }
  return result;
}

function castTo(e: PhysicalExpr, t: DataType): PhysicalExpr {
  if (e.type.kind === t.kind && (t.kind !== 'decimal' || e.type.kind === 'decimal')) return e;
  return castExpr(e, t);
}

const scaleOf = (t: DataType) => (t.kind === 'decimal' ? t.scale : 0);

export const arithmetic: KernelBuilder = (rawArgs, type, fn) => {
  const label = callLabel(fn, rawArgs);
  if (rawArgs.some((a) => a instanceof ConstantExpr && a.value === null)) return new ConstantExpr(null, type);
  const kind = type.kind;
  if (kind !== 'int32' && kind !== 'int64' && kind !== 'float64' && kind !== 'decimal') {
    throw new Error(`arithmetic ${fn} with result type ${kind}`);
  }
  const a = castTo(rawArgs[0], operandTarget(rawArgs[0].type, type));
  const b = castTo(rawArgs[1], operandTarget(rawArgs[1].type, type));
  let k1 = 1, k2 = 1, k3 = 1;
  if (kind === 'decimal') {
    const sa = scaleOf(a.type), sb = scaleOf(b.type), s = type.scale;
    switch (fn) {
      case 'add': case 'sub': k1 = POW10[s - sa] ?? 1; k2 = POW10[s - sb] ?? 1; break;
      case 'mul': k3 = POW10[Math.max(0, sa + sb - s)]; break;
      case 'div': {
        const e = s - sa + sb;
        if (e >= 0) { k1 = POW10[e]; k2 = 1; k3 = e; } else { k1 = 1; k2 = POW10[-e]; }
        break;
      }
      case 'mod': { const m = Math.max(sa, sb); k1 = POW10[m - sa]; k2 = POW10[m - sb]; break; }
    }
    // mod result scale = max(sa, sb) = type.scale by resolution
  }
  const code = body(fn, kind);
  const aConst = a instanceof ConstantExpr ? scalarNumber(a.value) : null;
  const bConst = b instanceof ConstantExpr ? scalarNumber(b.value) : null;
  const shape: Shape = aConst !== null && bConst === null ? 'sc' : bConst !== null && aConst === null ? 'cs' : 'cc';
  const pre = kind === 'decimal' && fn === 'div' ? 'const e0 = k3 % 8; const m0 = 10 ** e0; const nf = (k3 - e0) / 8;' : '';
  const fast = genLoop(code, shape, false, pre);
  const slow = genLoop(code, shape, true, pre);
  return new FnExpr(type, label, (batch: Batch): Column => {
    const n = batch.numRows;
    const out = allocValues(type, n);
    let av: ArrayLike<number> | number;
    let bv: ArrayLike<number> | number;
    let valid: Uint8Array | null;
    if (shape === 'sc') {
      const bc = b.evaluate(batch);
      av = aConst as number; bv = bc.values; valid = bc.validity;
    } else if (shape === 'cs') {
      const ac = a.evaluate(batch);
      av = ac.values; bv = bConst as number; valid = ac.validity;
    } else {
      const ac = a.evaluate(batch);
      const bc = b.evaluate(batch);
      av = ac.values; bv = bc.values; valid = andValidity(ac.validity, bc.validity, n);
    }
    if (valid === null) fast(av, bv, out, n, null, k1, k2, k3);
    else slow(av, bv, out, n, valid, k1, k2, k3);
    return makeColumn(type, out, valid);
  });
};

function negBody(kind: string): string {
  switch (kind) {
    case 'int32': return `if (a === -2147483648) ${INT32_OVF}; out[i] = -a + 0;`;
    case 'int64': return `if (a <= -9223372036854775808) ${INT64_OVF}; out[i] = -a + 0;`;
    case 'float64': return 'out[i] = -a;';
    default: return 'out[i] = -a + 0;';
  }
}

export const negate: KernelBuilder = (args, type, fn) => {
  const label = callLabel(fn, args);
  const a = args[0].type.kind === type.kind ? args[0] : castTo(args[0], type);
  if (a instanceof ConstantExpr && a.value === null) return new ConstantExpr(null, type);
  const fast = genLoop(negBody(type.kind), 'c', false);
  const slow = genLoop(negBody(type.kind), 'c', true);
  return new FnExpr(type, label, (batch) => {
    const c = a.evaluate(batch);
    const n = c.length;
    const out = allocValues(type, n);
    if (c.validity === null) fast(c.values, 0, out, n, null);
    else slow(c.values, 0, out, n, c.validity);
    return makeColumn(type, out, c.validity);
  });
};

