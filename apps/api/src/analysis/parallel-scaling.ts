/**
 * Parallel scaling: runs grouped by partition count, with speedup against the smallest count and
 * efficiency (speedup / partition ratio; 1 = perfect scaling, below 1 = overhead or contention).
 */
import { median } from './stats.js';

export interface ScalingRow {
  partitions: number;
  runs: number;
  medianMs: number;
  speedup: number;
  efficiency: number;
}

export function parallelScaling(points: readonly { partitions: number; wallMs: number }[]): ScalingRow[] {
  const groups = new Map<number, number[]>();
  for (const p of points) groups.set(p.partitions, [...(groups.get(p.partitions) ?? []), p.wallMs]);
  const keys = [...groups.keys()].sort((a, b) => a - b);
  if (keys.length === 0) return [];
  const base = median(groups.get(keys[0])!);
  return keys.map((k) => {
    const m = median(groups.get(k)!);
    const speedup = base / m;
    return { partitions: k, runs: groups.get(k)!.length, medianMs: m, speedup, efficiency: speedup / (k / keys[0]) };
  });
}
