/** Summary of K measured runs: median (what the tables report), min and max (the spread). */
export interface RunStats {
  readonly runsMs: readonly number[];
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function summarize(runsMs: readonly number[]): RunStats {
  return {
    runsMs: [...runsMs],
    medianMs: median(runsMs),
    minMs: runsMs.length ? Math.min(...runsMs) : NaN,
    maxMs: runsMs.length ? Math.max(...runsMs) : NaN,
  };
}

/** A peer's median over the engine's (> 1: the peer is slower); null when either is missing. */
export function ratio(peerMs: number | undefined, engineMs: number | undefined): number | null {
  if (peerMs === undefined || engineMs === undefined || !Number.isFinite(peerMs) || !Number.isFinite(engineMs) || engineMs <= 0) return null;
  return peerMs / engineMs;
}
