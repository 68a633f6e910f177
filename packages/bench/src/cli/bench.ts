/**
 * `npm run --silent bench -- --suite groupby --rows 10000000 [--engines engine,duckdb] [--runs 5] [--modes cold,hot] [--out FILE.json]`
 * Runs every query of a suite on every engine, warm-up then K measured runs, and prints medians
 * (with min and max) and each peer's time as a ratio to the engine's. Results of all engines are
 * compared; a mismatch is flagged in the table and the JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { diffRows, type Rows } from './compare.js';
import { DuckDbEngine, PhaselabEngine, type BenchEngine } from './engines.js';
import { ensureSalesParquet } from './sales-data.js';
import { SUITES } from './suites.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CACHE = path.resolve(here, '../../../.cache/bench');

interface Measurement {
  query: string;
  engine: string;
  mode: 'cold' | 'hot';
  runsMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  mismatch: string | null;
  error: string | null;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function makeEngine(name: string, mode: 'cold' | 'hot'): BenchEngine {
  switch (name) {
    case 'engine': return new PhaselabEngine(mode);
    case 'duckdb': return new DuckDbEngine(mode);
    default: throw new Error(`unknown engine "${name}" (this harness knows engine, duckdb)`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      suite: { type: 'string', default: 'groupby' },
      rows: { type: 'string', default: '1000000' },
      engines: { type: 'string', default: 'engine,duckdb' },
      modes: { type: 'string', default: 'cold,hot' },
      runs: { type: 'string', default: '5' },
      out: { type: 'string' },
    },
  });
  const suite = SUITES[values.suite!];
  if (!suite) throw new Error(`unknown suite "${values.suite}" (known: ${Object.keys(SUITES).join(', ')})`);
  const rows = Number(values.rows);
  const runs = Math.max(1, Number(values.runs));
  const engines = values.engines!.split(',').map((s) => s.trim());
  const modes = values.modes!.split(',').map((s) => s.trim()) as ('cold' | 'hot')[];

  const t0 = performance.now();
  const file = await ensureSalesParquet(CACHE, rows);
  log(`data: ${file} (${(fs.statSync(file).size / 1048576).toFixed(1)} MiB, ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  const results: Measurement[] = [];
  const versions: Record<string, string> = {};
  const prepareMs: Record<string, number> = {};
  for (const mode of modes) {
    const reference = new Map<string, Rows>();
    for (const name of engines) {
      const engine = makeEngine(name, mode);
      const tp = performance.now();
      await engine.prepare(suite.table, file);
      prepareMs[`${name}/${mode}`] = performance.now() - tp;
      versions[name] = engine.version;
      for (const q of suite.queries) {
        const m: Measurement = { query: q.id, engine: name, mode, runsMs: [], medianMs: NaN, minMs: NaN, maxMs: NaN, mismatch: null, error: null };
        try {
          const first = await engine.run(q.sql); // warm-up (JIT, file cache), also the result to check
          const ref = reference.get(q.id);
          if (ref) m.mismatch = diffRows(ref, first);
          else reference.set(q.id, first);
          for (let i = 0; i < runs; i++) {
            const ts = performance.now();
            await engine.run(q.sql);
            m.runsMs.push(performance.now() - ts);
          }
          m.medianMs = median(m.runsMs);
          m.minMs = Math.min(...m.runsMs);
          m.maxMs = Math.max(...m.runsMs);
        } catch (e) {
          m.error = e instanceof Error ? e.message : String(e);
        }
        results.push(m);
        log(`${mode} ${name.padEnd(7)} ${q.id.padEnd(28)} ${m.error ? 'ERROR ' + m.error : `${m.medianMs.toFixed(1)} ms`}${m.mismatch ? '  MISMATCH ' + m.mismatch : ''}`);
      }
      await engine.close();
    }
  }

  printTable(suite.queries.map((q) => q.id), engines, modes, results);
  const report = {
    suite: suite.name,
    rows,
    runs,
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryBytes: os.totalmem(), platform: `${os.platform()} ${os.release()}`, node: process.version },
    versions,
    prepareMs,
    results,
  };
  if (values.out) {
    fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    fs.writeFileSync(values.out, JSON.stringify(report, null, 2));
    log(`wrote ${values.out}`);
  }
  if (results.some((r) => r.mismatch || r.error)) process.exitCode = 1;
}

function printTable(queries: string[], engines: string[], modes: ('cold' | 'hot')[], results: Measurement[]): void {
  const find = (q: string, e: string, m: string) => results.find((r) => r.query === q && r.engine === e && r.mode === m);
  const header = ['query'];
  for (const m of modes) for (const e of engines) header.push(`${e} ${m} ms`, ...(e === 'engine' ? [] : [`${e}/engine`]));
  const lines = [header];
  for (const q of queries) {
    const row = [q];
    for (const m of modes) {
      const base = find(q, 'engine', m);
      for (const e of engines) {
        const r = find(q, e, m);
        const cell = !r ? '-' : r.error ? 'error' : `${r.medianMs.toFixed(1)} [${r.minMs.toFixed(0)}-${r.maxMs.toFixed(0)}]${r.mismatch ? ' !' : ''}`;
        row.push(cell);
        if (e !== 'engine') row.push(r && base && !r.error && !base.error ? (r.medianMs / base.medianMs).toFixed(2) : '-');
      }
    }
    lines.push(row);
  }
  const widths = header.map((_, j) => Math.max(...lines.map((l) => l[j].length)));
  for (const l of lines) console.log(l.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  '));
  console.log('ratio > 1: the peer is slower than the engine. ! marks a result that differs from the first engine\'s.');
}

function log(s: string): void {
  process.stderr.write(s + '\n');
}

main().catch((e) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
