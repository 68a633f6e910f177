/**
 * CSV source (schema inferred from a sample, streamed with csv-parse) and RFC 4180 writer.
 *
 * Inference per column over the first SAMPLE_ROWS data rows, first type that accepts every
 * non-empty value: int32 → int64 → decimal(p, max scale seen) → float64 → date (YYYY-MM-DD) →
 * timestamp (YYYY-MM-DD HH:MM:SS[.f], date-only values allowed) → bool (true/false/t/f) → utf8.
 * An unquoted empty field is NULL; a quoted empty field ("") is the empty string for utf8 columns
 * (and NULL for the others), as PostgreSQL's COPY … CSV.
 */
import fs from 'node:fs';
import { parse, type Parser } from 'csv-parse';
import type { ScanOptions, TableSource } from '../catalog.js';
import { EngineError, isEngineError, scanCancelled } from '../errors.js';
import type { Batch, Field } from '../types/batch.js';
import type { Column } from '../types/column.js';
import { BOOL, DATE, FLOAT64, INT32, INT64, TIMESTAMP, UTF8, decimal, typeName, type DataType } from '../types/data-type.js';
import { formatColumn } from './format.js';

export const CSV_SAMPLE_ROWS = 1000;
const DEFAULT_BATCH_ROWS = 65536;

export interface CsvOptions {
  readonly delimiter?: string;
  /** The first line holds column names (default). false: columns are named column0, column1, … */
  readonly header?: boolean;
}

/** Marks a quoted empty field (csv-parse's cast hook), distinct from an unquoted one (NULL). */
const QUOTED_EMPTY = '\u0000"\u0000';

const INT_RE = /^[+-]?\d+$/;
const DEC_RE = /^[+-]?(\d+\.\d*|\.\d+)$/;
const FLOAT_RE = /^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|nan|inf|infinity)$/i;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TS_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/;
const BOOL_RE = /^(true|false|t|f)$/i;

function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = m === 2 ? (leap ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= dim;
}

/** Days since epoch of 'YYYY-MM-DD', or NaN. */
export function parseDate(s: string): number {
  const m = DATE_RE.exec(s);
  if (!m) return NaN;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  return validDate(y, mo, d) ? daysFromCivil(y, mo, d) : NaN;
}

/** Microseconds since epoch of 'YYYY-MM-DD[ HH:MM[:SS[.ffffff]]]', or NaN. */
export function parseTimestamp(s: string): number {
  const m = TS_RE.exec(s);
  if (!m) return NaN;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  if (!validDate(y, mo, d)) return NaN;
  const h = m[4] ? +m[4] : 0;
  const mi = m[5] ? +m[5] : 0;
  const sec = m[6] ? +m[6] : 0;
  if (h > 23 || mi > 59 || sec > 59) return NaN; // (24:00:00 is not accepted)
  const frac = m[7] ? +m[7].padEnd(6, '0') : 0;
  return ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60_000_000 + sec * 1_000_000 + frac;
}

/** Unscaled integer of a decimal literal at `scale` (half away from zero), or NaN. */
export function parseDecimal(s: string, scale: number): number {
  if (!INT_RE.test(s) && !DEC_RE.test(s)) return NaN;
  let neg = false;
  let i = 0;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    i = 1;
  }
  const dot = s.indexOf('.');
  const intPart = dot < 0 ? s.slice(i) : s.slice(i, dot);
  const frac = dot < 0 ? '' : s.slice(dot + 1);
  let digits = intPart + (frac.length >= scale ? frac.slice(0, scale) : frac.padEnd(scale, '0'));
  if (digits === '') digits = '0';
  let v = Number(digits);
  if (frac.length > scale && frac.charCodeAt(scale) >= 53) v += 1;
  return neg ? -v : v;
}

/** Type inference state of one column over the sample. */
class Inference {
  int32 = true;
  int64 = true;
  dec = true;
  float = true;
  date = true;
  ts = true;
  bool = true;
  maxScale = 0;
  maxIntDigits = 1;
  seen = false;

  add(s: string): void {
    if (s === '' || s === QUOTED_EMPTY) return;
    this.seen = true;
    if (this.int64 || this.dec) {
      if (INT_RE.test(s)) {
        const v = Number(s);
        if (this.int32 && (v > 2147483647 || v < -2147483648)) this.int32 = false;
        if (this.int64 && (v > 9223372036854775807 || v < -9223372036854775808)) this.int64 = false;
        const d = s.replace(/^[+-]?0*/, '').length;
        if (d > this.maxIntDigits) this.maxIntDigits = d;
      } else {
        this.int32 = this.int64 = false;
        if (this.dec && DEC_RE.test(s)) {
          const dot = s.indexOf('.');
          const scale = s.length - dot - 1;
          if (scale > this.maxScale) this.maxScale = scale;
          const d = s.slice(0, dot).replace(/^[+-]?0*/, '').length;
          if (d > this.maxIntDigits) this.maxIntDigits = d;
        } else this.dec = false;
      }
    }
    if (this.float && !FLOAT_RE.test(s)) this.float = false;
    if (this.date && Number.isNaN(parseDate(s))) this.date = false;
    if (this.ts && Number.isNaN(parseTimestamp(s))) this.ts = false;
    if (this.bool && !BOOL_RE.test(s)) this.bool = false;
  }

  /** `sawEveryRow`: the sample was the whole file, so its magnitudes are the column's. */
  type(sawEveryRow: boolean): DataType {
    if (!this.seen) return UTF8;
    if (this.int32) return INT32;
    if (this.int64) return INT64;
    if (this.dec) {
      // A sample that is not the whole file fixes the scale but not the magnitude: a later row may
      // have more integer digits than any of the first CSV_SAMPLE_ROWS, so take the widest
      // precision the column's Float64 unscaled values hold exactly (18) rather than the sample's.
      const p = this.maxIntDigits + this.maxScale;
      if (p <= 18) return decimal(sawEveryRow ? Math.max(p, 1) : 18, this.maxScale);
    }
    if (this.float) return FLOAT64;
    if (this.date) return DATE;
    if (this.ts) return TIMESTAMP;
    if (this.bool) return BOOL;
    return UTF8;
  }
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

function makeParser(delimiter: string, skipEmptyLines = true): Parser {
  return parse({
    delimiter,
    info: true,
    bom: true,
    relax_column_count: true,
    // a single-column file writes NULL as an empty line: keep those lines there
    skip_empty_lines: skipEmptyLines,
    cast: (value: string, ctx: { quoting: boolean }) => (value === '' && ctx.quoting ? QUOTED_EMPTY : value),
  });
}

function csvError(path: string, line: number, msg: string): EngineError {
  return new EngineError('invalid_file', `file "${path}" line ${line}: ${msg}`);
}

export class CsvTable implements TableSource {
  readonly kind = 'csv' as const;
  readonly location: string;
  readonly schema: readonly Field[];
  private readonly delimiter: string;
  private readonly header: boolean;
  private readonly fileBytes: number;

  private constructor(path: string, schema: Field[], delimiter: string, header: boolean, bytes: number) {
    this.location = path;
    this.schema = schema;
    this.delimiter = delimiter;
    this.header = header;
    this.fileBytes = bytes;
  }

  static async open(path: string, options: CsvOptions = {}): Promise<CsvTable> {
    const delimiter = options.delimiter ?? ',';
    const header = options.header ?? true;
    let size: number;
    try {
      size = (await fs.promises.stat(path)).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException)?.code === 'ENOENT') throw new EngineError('io_error', `file "${path}" does not exist`);
      throw new EngineError('io_error', `could not open file "${path}": ${(e as Error).message}`);
    }
    let names: string[] | null = null;
    let inf: Inference[] = [];
    let rows = 0;
    let sawEveryRow = true;
    const input = fs.createReadStream(path);
    const parser = makeParser(delimiter);
    input.pipe(parser);
    try {
      for await (const r of parser as AsyncIterable<ParsedRecord>) {
        const rec = r.record;
        if (names === null) {
          if (header) {
            names = rec.map((s) => (s === QUOTED_EMPTY ? '' : s));
            inf = names.map(() => new Inference());
            continue;
          }
          names = rec.map((_, i) => `column${i}`);
          inf = names.map(() => new Inference());
        }
        if (rec.length !== names.length) {
          throw csvError(path, r.info.lines, `expected ${names.length} fields, found ${rec.length}`);
        }
        for (let j = 0; j < rec.length; j++) inf[j].add(rec[j]);
        if (++rows >= CSV_SAMPLE_ROWS) {
          sawEveryRow = false;
          break;
        }
      }
    } catch (e) {
      if (isEngineError(e)) throw e;
      throw new EngineError('invalid_file', `file "${path}" is not valid CSV: ${(e as Error).message}`);
    } finally {
      input.destroy();
      parser.destroy();
    }
    if (names === null) throw new EngineError('invalid_file', `file "${path}" is not valid CSV: the file is empty`);
    const fields: Field[] = names.map((name, j) => ({ name, type: inf[j].type(sawEveryRow), nullable: true }));
    return new CsvTable(path, fields, delimiter, header, size);
  }

  statistics(): { bytes: number } {
    return { bytes: this.fileBytes };
  }

  async *scan(options: ScanOptions): AsyncGenerator<Batch> {
    const names = this.schema.map((f) => f.name);
    const idx = options.columns.map((c) => {
      const i = names.indexOf(c);
      if (i < 0) throw new EngineError('undefined_column', `column "${c}" does not exist`);
      return i;
    });
    const fields = idx.map((i) => this.schema[i]);
    const width = this.schema.length;
    const max = Math.max(1, options.batchSize ?? DEFAULT_BATCH_ROWS);
    const input = fs.createReadStream(this.location);
    const parser = makeParser(this.delimiter, width > 1);
    input.pipe(parser);
    let cells: string[][] = idx.map(() => []);
    let lines: number[] = [];
    let skipHeader = this.header;
    let lastBytes = 0;
    const flush = (): Batch => {
      const n = lines.length;
      const cols = idx.map((src, k) => this.convert(cells[k], this.schema[src], lines));
      cells = idx.map(() => []);
      lines = [];
      return { schema: fields, columns: cols, numRows: n };
    };
    const reportBytes = () => {
      const b = input.bytesRead - lastBytes;
      lastBytes = input.bytesRead;
      return b;
    };
    try {
      for await (const r of parser as AsyncIterable<ParsedRecord>) {
        if (skipHeader) {
          skipHeader = false;
          continue;
        }
        const rec = r.record;
        if (rec.length !== width) throw csvError(this.location, r.info.lines, `expected ${width} fields, found ${rec.length}`);
        for (let k = 0; k < idx.length; k++) cells[k].push(rec[idx[k]]);
        lines.push(r.info.lines);
        if (lines.length >= max) {
          if (options.signal?.aborted) throw scanCancelled();
          const b = flush();
          options.onRead?.(b.numRows, reportBytes());
          yield b;
        }
      }
      if (lines.length > 0) {
        const b = flush();
        options.onRead?.(b.numRows, reportBytes());
        yield b;
      }
    } catch (e) {
      if (isEngineError(e)) throw e;
      throw new EngineError('invalid_file', `file "${this.location}" is not valid CSV: ${(e as Error).message}`);
    } finally {
      input.destroy();
      parser.destroy();
    }
  }

  /** Text cells → one column of the field's type; a value that does not parse fails with its line. */
  private convert(cells: string[], field: Field, lines: number[]): Column {
    const n = cells.length;
    const type = field.type;
    let validity: Uint8Array | null = null;
    const nullAt = (i: number) => {
      if (validity === null) validity = new Uint8Array(n).fill(1);
      validity[i] = 0;
    };
    const bad = (i: number, what = `invalid input syntax for type ${typeName(type)}`): never => {
      throw csvError(this.location, lines[i], `${what}: "${cells[i]}" (column "${field.name}")`);
    };
    switch (type.kind) {
      case 'utf8': {
        const codes = new Int32Array(n);
        const dict: string[] = [];
        const map = new Map<string, number>();
        for (let i = 0; i < n; i++) {
          let s = cells[i];
          if (s === '') {
            nullAt(i);
            continue;
          }
          if (s === QUOTED_EMPTY) s = '';
          let c = map.get(s);
          if (c === undefined) {
            c = dict.length;
            dict.push(s);
            map.set(s, c);
          }
          codes[i] = c;
        }
        return { type, length: n, values: codes, validity, dict };
      }
      case 'int32':
      case 'int64': {
        const out = type.kind === 'int32' ? new Int32Array(n) : new Float64Array(n);
        const lo = type.kind === 'int32' ? -2147483648 : -9223372036854775808;
        const hi = type.kind === 'int32' ? 2147483647 : 9223372036854775807;
        for (let i = 0; i < n; i++) {
          const s = cells[i];
          if (s === '' || s === QUOTED_EMPTY) {
            nullAt(i);
            continue;
          }
          if (!INT_RE.test(s)) bad(i);
          const v = Number(s);
          if (v < lo || v > hi) bad(i, `value out of range for type ${typeName(type)}`);
          out[i] = v;
        }
        return { type, length: n, values: out, validity };
      }
      case 'decimal': {
        const out = new Float64Array(n);
        const limit = 10 ** type.precision;
        for (let i = 0; i < n; i++) {
          const s = cells[i];
          if (s === '' || s === QUOTED_EMPTY) {
            nullAt(i);
            continue;
          }
          const v = parseDecimal(s, type.scale);
          if (v !== v) bad(i, 'invalid input syntax for type numeric');
          if (v >= limit || v <= -limit) bad(i, 'numeric field overflow');
          out[i] = v;
        }
        return { type, length: n, values: out, validity };
      }
      case 'float64': {
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const s = cells[i];
          if (s === '' || s === QUOTED_EMPTY) {
            nullAt(i);
            continue;
          }
          if (!FLOAT_RE.test(s)) bad(i);
          const l = s.toLowerCase();
          out[i] = l.endsWith('nan') ? NaN : l.endsWith('inf') || l.endsWith('infinity') ? (l[0] === '-' ? -Infinity : Infinity) : Number(s);
        }
        return { type, length: n, values: out, validity };
      }
      case 'date':
      case 'timestamp': {
        const isDate = type.kind === 'date';
        const out = isDate ? new Int32Array(n) : new Float64Array(n);
        const cache = new Map<string, number>();
        for (let i = 0; i < n; i++) {
          const s = cells[i];
          if (s === '' || s === QUOTED_EMPTY) {
            nullAt(i);
            continue;
          }
          let v = cache.get(s);
          if (v === undefined) {
            v = isDate ? parseDate(s) : parseTimestamp(s);
            if (v !== v) bad(i);
            cache.set(s, v);
          }
          out[i] = v;
        }
        return { type, length: n, values: out, validity };
      }
      case 'bool': {
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const s = cells[i];
          if (s === '' || s === QUOTED_EMPTY) {
            nullAt(i);
            continue;
          }
          if (!BOOL_RE.test(s)) bad(i);
          out[i] = s[0] === 't' || s[0] === 'T' ? 1 : 0;
        }
        return { type, length: n, values: out, validity };
      }
      default: {
        const v = new Uint8Array(n);
        return { type, length: n, values: new Uint8Array(n), validity: v };
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------------------------

const NEEDS_QUOTE = /[",\r\n]/;

/** One CSV field: quoted when it holds a comma, quote or newline (quotes doubled), or is empty. */
export function csvField(s: string, delimiter = ','): string {
  if (s === '') return '""';
  if (NEEDS_QUOTE.test(s) || (delimiter !== ',' && s.includes(delimiter))) return '"' + s.replace(/"/g, '""') + '"';
  return s;
}

/**
 * Writes batches as RFC 4180 CSV: header line, values as PostgreSQL prints them, NULL as an empty
 * field (an empty string is written as "" so it reads back as an empty string), CRLF-free ('\n').
 */
export async function writeCsv(
  target: string | NodeJS.WritableStream,
  fields: readonly Field[],
  batches: Iterable<Batch> | AsyncIterable<Batch>,
  options: { delimiter?: string; header?: boolean } = {},
): Promise<void> {
  const delim = options.delimiter ?? ',';
  const out: NodeJS.WritableStream = typeof target === 'string' ? fs.createWriteStream(target) : target;
  const write = (s: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.write(s)) resolve();
      else {
        // Each wait removes both of its listeners when either fires: left behind, one 'error'
        // listener per drained chunk piles up past the emitter's limit (MaxListenersExceededWarning).
        const onDrain = () => {
          out.removeListener('error', onError);
          resolve();
        };
        const onError = (e: Error) => {
          out.removeListener('drain', onDrain);
          reject(e);
        };
        out.once('drain', onDrain);
        out.once('error', onError);
      }
    });
  try {
    if (options.header !== false) await write(fields.map((f) => csvField(f.name, delim)).join(delim) + '\n');
    for await (const b of batches as AsyncIterable<Batch>) {
      const cols = b.columns.map((c) => {
        const f = formatColumn(c);
        // numeric text never needs quoting; strings (and their dictionary) do
        if (c.type.kind === 'utf8') for (let i = 0; i < f.length; i++) if (f[i] !== null) f[i] = csvField(f[i]!, delim);
        return f;
      });
      const w = cols.length;
      const CHUNK = 8192;
      for (let start = 0; start < b.numRows; start += CHUNK) {
        const end = Math.min(b.numRows, start + CHUNK);
        let s = '';
        for (let i = start; i < end; i++) {
          for (let j = 0; j < w; j++) {
            if (j > 0) s += delim;
            const v = cols[j][i];
            if (v !== null) s += v;
          }
          s += '\n';
        }
        await write(s);
      }
    }
  } finally {
    if (typeof target === 'string') {
      await new Promise<void>((resolve, reject) => {
        (out as fs.WriteStream).end(() => resolve());
        (out as fs.WriteStream).once('error', reject);
      });
    }
  }
}
