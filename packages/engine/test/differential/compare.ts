/**
 * Result comparison shared by the SLT runner and the differential suite.
 *
 * Cells are PostgreSQL text output (string) or null. Columns flagged `float` are compared
 * numerically with relative tolerance 1e-9 (absolute 1e-9 near zero); every other cell must be
 * textually identical. Unordered results are compared as multisets: both sides are sorted by a
 * key in which float cells are rounded to 8 significant digits, so that rows whose floats differ
 * in the last bits still line up.
 */
export type Cell = string | null;
export type Row = Cell[];

export const REL_TOL = 1e-9;

/**
 * The engine has no `timestamp with time zone`: where PostgreSQL returns timestamptz (e.g.
 * date_trunc on a date, which PostgreSQL resolves to date_trunc(text, timestamptz)), the oracle
 * session runs with TimeZone=UTC so its text is the timestamp text plus '+00'. Where the engine
 * column is a timestamp, that suffix is dropped from the expected cells before comparing.
 * (Documented deviation; see test/slt/README.md.)
 */
export function stripUtcSuffix(rows: readonly Row[], cols: readonly boolean[]): Row[] {
  if (!cols.some(Boolean)) return rows as Row[];
  return rows.map((r) => r.map((c, i) => (cols[i] && c !== null && /^\d{4,}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00$/.test(c) ? c.slice(0, -3) : c)));
}
export const ABS_TOL = 1e-9;

function parseFloatText(s: string): number {
  if (s === 'NaN') return NaN;
  if (s === 'Infinity') return Infinity;
  if (s === '-Infinity') return -Infinity;
  return Number(s);
}

export function floatsClose(a: string, b: string): boolean {
  if (a === b) return true;
  const x = parseFloatText(a);
  const y = parseFloatText(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y) && a.trim() !== '' && b.trim() !== '';
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
  const diff = Math.abs(x - y);
  if (diff <= ABS_TOL) return true;
  return diff <= REL_TOL * Math.max(Math.abs(x), Math.abs(y));
}

/** '12.500' → '12.5', '-0.00' → '0', '7.' → '7': a numeric's value without its display scale. */
function normalizeNumeric(s: string): string {
  let t = s.trim();
  if (t.includes('.')) t = t.replace(/0+$/, '').replace(/\.$/, '');
  if (/^-0*$/.test(t)) t = '0';
  return t;
}

const significantDigits = (s: string): number => s.replace(/[-.]/g, '').replace(/^0+/, '').length;

/**
 * PostgreSQL's numeric carries a scale per value ('0' next to '12.50' in one column); the engine's
 * decimal has one scale per column. Values must be equal exactly; only where a value needs more
 * than 15 significant digits (beyond what the engine's float64-held unscaled integers represent
 * exactly, a documented deviation) a relative 1e-14 is allowed.
 */
export function numericsEqual(expected: string, actual: string): boolean {
  const e = normalizeNumeric(expected);
  const a = normalizeNumeric(actual);
  if (e === a) return true;
  if (Math.max(significantDigits(e), significantDigits(a)) <= 15) return false;
  const x = Number(e);
  const y = Number(a);
  return Math.abs(x - y) <= 1e-14 * Math.max(Math.abs(x), Math.abs(y));
}

export type CellKind = 'exact' | 'float' | 'numeric';

export function cellsEqual(expected: Cell, actual: Cell, kind: CellKind | boolean): boolean {
  if (expected === null || actual === null) return expected === actual;
  if (expected === actual) return true;
  if (kind === true || kind === 'float') return floatsClose(expected, actual);
  if (kind === 'numeric') return numericsEqual(expected, actual);
  return false;
}

function sortKey(row: Row, floatCols: readonly boolean[], numericCols?: readonly boolean[]): string {
  return row
    .map((c, i) => {
      if (c === null) return '\u0000N';
      if (floatCols[i] || numericCols?.[i]) {
        const n = parseFloatText(c);
        return Number.isFinite(n) ? '\u0001' + n.toPrecision(8) : '\u0001' + c;
      }
      return '\u0002' + c;
    })
    .join('\u0003');
}

export function sortRows(rows: readonly Row[], floatCols: readonly boolean[], numericCols?: readonly boolean[]): Row[] {
  const keyed = rows.map((r) => ({ r, k: sortKey(r, floatCols, numericCols) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((x) => x.r);
}

export interface CompareOptions {
  ordered: boolean;
  floatCols: readonly boolean[];
  /** Columns compared as exact numerics whatever their display scale (see numericsEqual). */
  numericCols?: readonly boolean[];
  /** Rows of context printed on mismatch. */
  maxDiffRows?: number;
}

const showRow = (r: Row | undefined): string =>
  r === undefined ? '(no row)' : r.map((c) => (c === null ? 'NULL' : JSON.stringify(c))).join(' | ');

/** Returns null when equal, else a human-readable description of the first differences. */
export function compareRows(expected: readonly Row[], actual: readonly Row[], opts: CompareOptions): string | null {
  const exp = opts.ordered ? expected : sortRows(expected, opts.floatCols, opts.numericCols);
  const act = opts.ordered ? actual : sortRows(actual, opts.floatCols, opts.numericCols);
  const maxDiff = opts.maxDiffRows ?? 5;
  const lines: string[] = [];
  if (exp.length !== act.length) lines.push(`row count: expected ${exp.length}, got ${act.length}`);
  let shown = 0;
  const n = Math.max(exp.length, act.length);
  for (let i = 0; i < n && shown < maxDiff; i++) {
    const e = exp[i];
    const a = act[i];
    let same = e !== undefined && a !== undefined && e.length === a.length;
    if (same) {
      for (let j = 0; j < e!.length; j++) {
        const kind: CellKind = opts.floatCols[j] ? 'float' : opts.numericCols?.[j] ? 'numeric' : 'exact';
        if (!cellsEqual(e![j]!, a![j]!, kind)) {
          same = false;
          break;
        }
      }
    }
    if (!same) {
      lines.push(`${opts.ordered ? 'row' : 'sorted row'} ${i}:\n    expected (PostgreSQL): ${showRow(e)}\n    actual   (engine)    : ${showRow(a)}`);
      shown++;
    }
  }
  if (lines.length === 0) return null;
  return lines.join('\n');
}

/**
 * True when the statement's outermost query has an ORDER BY (a paren-depth-0 `ORDER BY` that is
 * not inside a window's OVER (...)). String literals and comments are skipped.
 */
export function hasTopLevelOrderBy(sql: string): boolean {
  let depth = 0;
  const s = sql;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === "'") {
      i++;
      while (i < s.length) {
        if (s[i] === "'") {
          if (s[i + 1] === "'") i += 2;
          else break;
        } else i++;
      }
      continue;
    }
    if (ch === '"') {
      i++;
      while (i < s.length && s[i] !== '"') i++;
      continue;
    }
    if (ch === '-' && s[i + 1] === '-') {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && (ch === 'o' || ch === 'O')) {
      const m = /^order\s+by\b/i.exec(s.slice(i, i + 20));
      if (m && (i === 0 || /[\s)]/.test(s[i - 1]!))) return true;
    }
  }
  return false;
}
