/** The report as a text table: per query and mode, each engine's median [min-max] and its ratio to the engine. */
import type { BenchReport, Measurement } from './run.js';
import { ratio } from './stats.js';

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

export function formatCell(m: Measurement | undefined): string {
  if (!m) return '-';
  if (m.error) return 'error';
  return `${ms(m.medianMs)} [${ms(m.minMs)}-${ms(m.maxMs)}]${m.mismatch ? ' !' : ''}`;
}

export function formatTable(report: BenchReport): string {
  const find = (q: string, e: string, mode: string) => report.results.find((r) => r.query === q && r.engine === e && r.mode === mode);
  const queries = [...new Set(report.results.map((r) => r.query))];
  const lines: string[] = [];
  const o = report.engineOptions;
  if (o && report.engines.includes('engine') && (o.partitions !== null || !o.skipPartial)) {
    lines.push(`engine settings: partitions=${o.partitions ?? 'default'}, skip_partial=${o.skipPartial ? 'on' : 'off'}`, '');
  }
  for (const mode of report.modes) {
    const header = ['query'];
    for (const e of report.engines) header.push(`${e} ms`, ...(e === 'engine' || !report.engines.includes('engine') ? [] : [`${e}/engine`]));
    const rows = [header];
    for (const q of queries) {
      const base = find(q, 'engine', mode);
      const row = [q];
      for (const e of report.engines) {
        const m = find(q, e, mode);
        row.push(formatCell(m));
        if (e !== 'engine' && report.engines.includes('engine')) {
          const r = m && base && !m.error && !base.error ? ratio(m.medianMs, base.medianMs) : null;
          row.push(r === null ? '-' : r.toFixed(2));
        }
      }
      rows.push(row);
    }
    const widths = header.map((_, j) => Math.max(...rows.map((l) => l[j].length)));
    lines.push(`${mode} (median [min-max] of ${report.runs} runs after ${report.warmup} warm-up, ms):`);
    for (const l of rows) lines.push(l.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  '));
    lines.push('');
  }
  lines.push('ratio > 1: the peer is slower than the engine. ! marks a result that differs from the reference engine\'s.');
  return lines.join('\n');
}
