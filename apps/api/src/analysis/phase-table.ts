/**
 * The phase table of seed 000 computed from runs: per phase its median time, the speedup against the
 * baseline phase and against the previous one, and what the phase changed.
 */
import { median } from './stats.js';

export interface PhaseInfo {
  id: string;
  order: number;
  name: string;
  optimization: string;
}

export interface PhaseRunPoint {
  phaseId: string;
  wallMs: number;
  peakMemoryBytes: number;
}

export interface PhaseRow {
  phaseId: string;
  order: number;
  phase: string;
  optimization: string;
  runs: number;
  medianMs: number | null;
  minMs: number | null;
  maxMs: number | null;
  medianPeakMemoryBytes: number | null;
  /** baseline median / this median (2 = twice as fast); null without runs on either side. */
  speedupVsBaseline: number | null;
  speedupVsPrevious: number | null;
}

export function phaseTable(phases: readonly PhaseInfo[], runs: readonly PhaseRunPoint[], baselineOrder?: number): PhaseRow[] {
  const sorted = [...phases].sort((a, b) => a.order - b.order);
  const rows = sorted.map((p) => {
    const mine = runs.filter((r) => r.phaseId === p.id);
    const ms = mine.map((r) => r.wallMs);
    return {
      phaseId: p.id,
      order: p.order,
      phase: p.name,
      optimization: p.optimization,
      runs: mine.length,
      medianMs: ms.length ? median(ms) : null,
      minMs: ms.length ? Math.min(...ms) : null,
      maxMs: ms.length ? Math.max(...ms) : null,
      medianPeakMemoryBytes: mine.length ? median(mine.map((r) => r.peakMemoryBytes)) : null,
      speedupVsBaseline: null as number | null,
      speedupVsPrevious: null as number | null,
    };
  });
  const base = rows.find((r) => r.order === (baselineOrder ?? sorted[0]?.order))?.medianMs ?? null;
  rows.forEach((r, i) => {
    if (r.medianMs && base) r.speedupVsBaseline = base / r.medianMs;
    const prev = i > 0 ? rows[i - 1].medianMs : null;
    if (r.medianMs && prev) r.speedupVsPrevious = prev / r.medianMs;
  });
  return rows;
}
