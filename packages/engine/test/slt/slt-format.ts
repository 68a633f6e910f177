/**
 * Parser and cell codec of the .slt files (format documented in ./README.md and slt.test.ts).
 */
import type { Cell } from '../differential/compare.js';
import type { ColumnDef } from '../differential/oracle.js';

export type SortMode = 'nosort' | 'rowsort';

interface Base {
  /** 1-based line of the record's header. */
  line: number;
  /** Reason from a preceding `skip <reason>` line: the test is registered as skipped. */
  skip?: string;
}
export interface LoadRecord extends Base {
  kind: 'load';
  name: string;
  path: string;
  schema?: ColumnDef[];
}
export interface StatementOkRecord extends Base {
  kind: 'statement_ok';
  sql: string;
}
export interface ErrorRecord extends Base {
  kind: 'error';
  /** `statement error` or `query error` (same behaviour). */
  header: string;
  sql: string;
  /** Regex source matched against EngineError.message; '' = any EngineError. */
  pattern: string;
  /** Expected 0-based EngineError.position (`error@N`). */
  position?: number;
}
export interface QueryRecord extends Base {
  kind: 'query';
  types: string;
  sort: SortMode;
  sql: string;
  expected: Cell[][];
  /** 0-based index of the header line; of the `----` line (-1 when absent); end (exclusive) of the block. */
  headerIdx: number;
  sepIdx: number;
  endIdx: number;
}
export interface ExplainRecord extends Base {
  kind: 'explain';
  sql: string;
  /** Case-insensitive regex matched against the plan text (all rows joined with newlines). */
  pattern: string;
  negate: boolean;
}
export type SltRecord = LoadRecord | StatementOkRecord | ErrorRecord | QueryRecord | ExplainRecord;

const SEP = ' | ';

/** Encodes one cell: NULL, (empty), a JSON string when the text would be ambiguous, else raw text. */
export function encodeCell(v: Cell): string {
  if (v === null) return 'NULL';
  if (v === '') return '(empty)';
  if (v === 'NULL' || v === '(empty)' || v.startsWith('"') || v.startsWith('#') || v.includes('|') || /^\s|\s$|[\n\r\t\\]/.test(v)) {
    return JSON.stringify(v);
  }
  return v;
}

export function encodeRow(row: readonly Cell[]): string {
  return row.map(encodeCell).join(SEP);
}

/** Splits a result line into cells (quote-aware: a cell that starts with `"` is a JSON string). */
export function decodeRow(line: string): Cell[] {
  const cells: Cell[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      cells.push(JSON.parse(line.slice(i, j + 1)) as string);
      i = j + 1;
      if (i >= line.length) break;
      if (line.startsWith(SEP, i)) {
        i += SEP.length;
        continue;
      }
      throw new Error(`bad quoted cell in result line: ${line}`);
    }
    const next = line.indexOf(SEP, i);
    const raw = next < 0 ? line.slice(i) : line.slice(i, next);
    cells.push(raw === 'NULL' ? null : raw === '(empty)' ? '' : raw);
    if (next < 0) break;
    i = next + SEP.length;
  }
  return cells;
}

function parseSchema(text: string, where: string): ColumnDef[] {
  // "(a integer, b numeric(10,2), c text)": split on commas outside parentheses.
  const inner = text.trim().replace(/^\(/, '').replace(/\)$/, '');
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of inner) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => {
    const m = /^\s*(\w+)\s+(.+?)\s*$/.exec(p);
    if (!m) throw new Error(`${where}: bad column definition "${p}"`);
    return { name: m[1]!, type: m[2]! };
  });
}

export function parseSlt(text: string, fileName: string): SltRecord[] {
  const lines = text.split(/\r?\n/);
  const records: SltRecord[] = [];
  let skip: string | undefined;
  let i = 0;
  const where = (idx: number): string => `${fileName}:${idx + 1}`;
  /** Lines from `start` until a blank line / EOF (or `----` when stopAtSep). */
  const takeSql = (start: number, stopAtSep: boolean): { sql: string; end: number } => {
    let j = start;
    const out: string[] = [];
    while (j < lines.length && lines[j]!.trim() !== '' && !(stopAtSep && lines[j]!.trim() === '----')) out.push(lines[j++]!);
    return { sql: out.join('\n'), end: j };
  };
  while (i < lines.length) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++;
      continue;
    }
    const line = i + 1;
    const base = (): Base => (skip !== undefined ? { line, skip } : { line });
    let m: RegExpExecArray | null;
    if ((m = /^skip(?:\s+(.*))?$/.exec(trimmed))) {
      skip = m[1] ?? 'skipped';
      i++;
      continue;
    }
    if ((m = /^load\s+(\w+)\s+(\S+)\s*(\(.*\))?\s*(?:#.*)?$/.exec(trimmed))) {
      const rec: LoadRecord = { kind: 'load', ...base(), name: m[1]!, path: m[2]! };
      if (m[3]) rec.schema = parseSchema(m[3], where(i));
      records.push(rec);
      i++;
    } else if (/^statement\s+ok\s*$/.test(trimmed)) {
      const { sql, end } = takeSql(i + 1, false);
      records.push({ kind: 'statement_ok', ...base(), sql });
      i = end;
    } else if ((m = /^(statement|query)\s+error(?:@(\d+))?(?:\s(.*))?$/.exec(raw.trimStart()))) {
      const { sql, end } = takeSql(i + 1, false);
      const rec: ErrorRecord = { kind: 'error', ...base(), header: m[1]!, sql, pattern: (m[3] ?? '').trim() };
      if (m[2] !== undefined) rec.position = Number(m[2]);
      records.push(rec);
      i = end;
    } else if ((m = /^explain(\s+not)?\s+(.+)$/.exec(trimmed))) {
      const { sql, end } = takeSql(i + 1, false);
      records.push({ kind: 'explain', ...base(), sql, pattern: m[2]!, negate: m[1] !== undefined });
      i = end;
    } else if ((m = /^query(?:\s+([TIRBD]+))?(?:\s+(rowsort|nosort))?\s*$/.exec(trimmed))) {
      const headerIdx = i;
      const { sql, end } = takeSql(i + 1, true);
      let sepIdx = -1;
      let j = end;
      const expected: Cell[][] = [];
      if (j < lines.length && lines[j]!.trim() === '----') {
        sepIdx = j;
        j++;
        while (j < lines.length && lines[j]!.trim() !== '') expected.push(decodeRow(lines[j++]!));
      }
      records.push({
        kind: 'query', ...base(), types: m[1] ?? '', sort: (m[2] as SortMode | undefined) ?? 'nosort',
        sql, expected, headerIdx, sepIdx, endIdx: j,
      });
      i = j;
    } else {
      throw new Error(`${where(i)}: unrecognised line: ${raw}`);
    }
    skip = undefined;
  }
  return records;
}
