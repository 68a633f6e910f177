/** The plan summary `gpu run --analyze` prints on stderr: one line per node, device first. */
import type { PlanSummary } from './classify.js';

const ms = (v: number | null) => (v === null ? '?' : v < 10 ? v.toFixed(3) : v.toFixed(1));

export function planSummaryText(s: PlanSummary, extra: { mode?: string; backend?: string; note?: string; wallMedianMs?: number | null; runs?: number } = {}): string {
  const lines: string[] = [];
  const head = [
    extra.backend ? `backend: ${extra.backend}` : null,
    extra.mode ? `gpu: ${extra.mode}` : null,
    `${s.gpuNodes} GPU node${s.gpuNodes === 1 ? '' : 's'}, ${s.cpuNodes} CPU node${s.cpuNodes === 1 ? '' : 's'}`,
    `fallback: ${s.fallback.detected ? s.fallback.nodes.map((f) => `${f.label} (${f.text})`).join('; ') : 'none'}`,
  ].filter(Boolean);
  lines.push(head.join(' | '));
  if (extra.note) lines.push(`note: ${extra.note}`);
  for (const n of s.nodes) {
    const metrics = `rows=${n.actualRows ?? '?'} time=${ms(n.totalTimeMs)}ms self=${ms(n.selfTimeMs)}ms`;
    lines.push(`${'  '.repeat(n.depth)}[${n.device}] ${n.label}${n.description ? ` ${n.description}` : ''}  (${metrics})`);
    for (const g of n.gpuSort) lines.push(`${'  '.repeat(n.depth + 1)}${g}`);
    if (n.pgStrom['Scan-Engine']) lines.push(`${'  '.repeat(n.depth + 1)}Scan-Engine: ${n.pgStrom['Scan-Engine']}`);
  }
  const t = [`planning ${ms(s.planningMs)} ms`, `execution ${ms(s.executionMs)} ms (EXPLAIN ANALYZE)`];
  if (extra.wallMedianMs !== undefined && extra.wallMedianMs !== null) t.push(`median wall ${ms(extra.wallMedianMs)} ms over ${extra.runs ?? '?'} run(s)`);
  lines.push(`timings: ${t.join(', ')}`);
  return lines.join('\n');
}
