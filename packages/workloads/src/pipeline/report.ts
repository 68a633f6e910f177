/** The pipeline's report as text: stage table, data-quality counts, totals. */
import type { PipelineResult } from './medallion.js';

const n = (x: number) => x.toLocaleString('en-US');
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;

function table(rows: string[][], rightAligned: boolean[]): string[] {
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows.map((r) => r.map((c, j) => (rightAligned[j] ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join('  ').trimEnd());
}

export function formatPipelineReport(r: PipelineResult): string {
  const lines = [`medallion ${r.mode}: ${n(r.rawRows)} raw rows`, ''];
  lines.push(
    ...table(
      [['stage', 'time', 'rows in', 'rows out', 'output'], ...r.stages.map((st) => [st.name, s(st.ms), n(st.rowsIn), n(st.rowsOut), st.output ?? '-'])],
      [false, true, true, true, false],
    ),
  );
  lines.push('', `data quality (${r.dq.mode}, ${n(r.dq.rowsChecked)} rows checked):`);
  const dqRows = Object.entries(r.dq.counts).map(([rule, c]) => [rule, n(c), ...(r.dq.mode === 'sampled' ? [`≈ ${n(r.dq.estimated[rule])}`] : [])]);
  lines.push(...table([['rule', 'flagged', ...(r.dq.mode === 'sampled' ? ['estimated, all rows'] : [])], ...dqRows], [false, true, true]).map((l) => `  ${l}`));
  lines.push('', `gold: ${n(r.goldRows)} rows → ${r.goldFile}`, `total: ${s(r.totalMs)}, peak memory (RSS): ${mib(r.peakRssBytes)}`);
  return lines.join('\n');
}
