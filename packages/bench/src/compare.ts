/**
 * Result equality across engines: rows as text cells, order-insensitive, numbers compared with a
 * relative tolerance (engines differ in float summation order and in avg's type).
 */
export type Rows = (string | null)[][];

const NUM = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function cellsEqual(a: string | null, b: string | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (NUM.test(a) && NUM.test(b)) {
    const x = Number(a);
    const y = Number(b);
    return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  }
  // Timestamps vs dates: DuckDB prints date_trunc on a date as a timestamp at midnight, PostgreSQL
  // as a timestamptz at midnight UTC (the server's zone here).
  const day = (s: string) => s.replace(/ 00:00:00(\+00)?$/, '');
  return day(a) === day(b);
}

const sortKey = (r: (string | null)[]) => r.map((c) => (c === null ? '\u0000' : NUM.test(c) ? Number(c).toPrecision(12) : c)).join('\u0001');

/** null when equal, else a short description of the first difference. */
export function diffRows(expected: Rows, actual: Rows): string | null {
  if (expected.length !== actual.length) return `row count ${actual.length} vs ${expected.length}`;
  const e = [...expected].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
  const a = [...actual].sort((x, y) => (sortKey(x) < sortKey(y) ? -1 : 1));
  for (let i = 0; i < e.length; i++) {
    if (e[i].length !== a[i].length) return `column count ${a[i].length} vs ${e[i].length}`;
    for (let j = 0; j < e[i].length; j++) {
      if (!cellsEqual(e[i][j], a[i][j])) return `row ${i}: ${JSON.stringify(a[i])} vs ${JSON.stringify(e[i])}`;
    }
  }
  return null;
}
