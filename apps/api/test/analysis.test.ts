/** The analysis modules on their own: least squares, t and U statistics, the regression rule, cost scenarios. */
import { describe, expect, it } from 'vitest';
import { DAILY_RUNS_PER_MONTH, billedSeconds, priceScenario } from '../src/analysis/cost.js';
import { fitLinear, predict } from '../src/analysis/least-squares.js';
import { parallelScaling } from '../src/analysis/parallel-scaling.js';
import { phaseTable } from '../src/analysis/phase-table.js';
import { compareWithBaseline, DEFAULT_RULE } from '../src/analysis/regression-detect.js';
import { mannWhitneyU, median, studentTQuantile } from '../src/analysis/stats.js';

/** Deterministic noise: mulberry32 + Box-Muller. */
function rng(seed: number) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { uniform, normal: () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()) };
}

describe('least squares', () => {
  it('recovers the coefficients of exact points, R² = 1', () => {
    const pts = [1e4, 1e5, 1e6, 1e7].map((x) => ({ x, y: 100_000 + 0.08 * x }));
    const f = fitLinear(pts);
    expect(f.fixed).toBeCloseTo(100_000, 6);
    expect(f.perUnit).toBeCloseTo(0.08, 12);
    expect(f.r2).toBeCloseTo(1, 12);
    expect(f.scales).toEqual([1e4, 1e5, 1e6, 1e7]);
  });

  it('recovers them within their standard errors under noise, and the interval covers new points', () => {
    const r = rng(7);
    const pts = [];
    for (const x of [1e4, 1e5, 1e6, 1e7]) for (let k = 0; k < 5; k++) pts.push({ x, y: 50 + 0.0004 * x + 5 * r.normal() });
    const f = fitLinear(pts);
    expect(Math.abs(f.fixed - 50)).toBeLessThan(4 * f.fixedStdError!);
    expect(Math.abs(f.perUnit - 0.0004)).toBeLessThan(4 * f.perUnitStdError!);
    expect(f.r2).toBeGreaterThan(0.999);
    expect(f.sigma).toBeGreaterThan(2);
    expect(f.sigma).toBeLessThan(10);
    const p = predict(f, 2e7);
    expect(p.value).toBeCloseTo(f.fixed + f.perUnit * 2e7, 6);
    expect(p.lower!).toBeLessThan(50 + 0.0004 * 2e7);
    expect(p.upper!).toBeGreaterThan(50 + 0.0004 * 2e7);
    // farther from the data → wider
    expect(predict(f, 1e8).upper! - predict(f, 1e8).lower!).toBeGreaterThan(p.upper! - p.lower!);
  });

  it('refuses a single scale', () => {
    expect(() => fitLinear([{ x: 5, y: 1 }, { x: 5, y: 2 }])).toThrow(/2 or more scales/);
  });
});

describe('statistics', () => {
  it('t quantiles match the tables', () => {
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228, 3);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.303, 3);
    expect(studentTQuantile(0.95, 30)).toBeCloseTo(1.697, 3);
  });

  it('Mann-Whitney U: exact one-sided p for separated samples, and a large p for shuffled ones', () => {
    const r = mannWhitneyU([4, 5, 6], [1, 2, 3]);
    expect(r.u).toBe(9);
    expect(r.method).toBe('exact');
    expect(r.pGreater).toBeCloseTo(1 / 20, 12); // one arrangement of C(6,3) = 20
    expect(mannWhitneyU([1, 4, 5], [2, 3, 6]).pGreater).toBeGreaterThan(0.3);
    expect(mannWhitneyU([2, 2, 3], [1, 2, 2]).method).toBe('normal');
  });
});

describe('regression rule', () => {
  const series = (seed: number, batches: number, k: number, level: number, cv: number) => {
    const r = rng(seed);
    return Array.from({ length: batches }, () => Array.from({ length: k }, () => level * (1 + cv * r.normal())));
  };

  it('flags a planted slowdown of 40 % with its size, z and p', () => {
    const baseline = series(1, 10, 3, 100, 0.05);
    const contender = series(2, 1, 3, 140, 0.05)[0];
    const c = compareWithBaseline(baseline, contender);
    expect(c.verdict).toBe('regression');
    expect(c.severity).toBe('major');
    expect(c.changePct!).toBeGreaterThan(25);
    expect(c.z!).toBeGreaterThan(DEFAULT_RULE.zThreshold);
    expect(c.pValue!).toBeLessThan(DEFAULT_RULE.alpha);
  });

  it('does not flag a noisy but unchanged series (200 trials at 8 % noise)', () => {
    let flagged = 0;
    for (let seed = 0; seed < 200; seed++) {
      const all = series(1000 + seed, 11, 3, 100, 0.08);
      if (compareWithBaseline(all.slice(0, 10), all[10]).verdict === 'regression') flagged++;
    }
    expect(flagged).toBe(0);
  });

  it('a single noisy run that is slower is not confirmed without repeats (no U test, z alone is noise-floored)', () => {
    const baseline = series(3, 10, 3, 100, 0.08);
    const c = compareWithBaseline(baseline, [108]);
    expect(c.verdict).toBe('unchanged');
    expect(c.pValue).toBeNull();
  });

  it('needs a baseline, and sees improvements', () => {
    expect(compareWithBaseline([[100, 101, 99]], [200, 201, 202]).verdict).toBe('insufficient-baseline');
    expect(compareWithBaseline(series(4, 10, 3, 100, 0.03), [60, 61, 59]).verdict).toBe('improvement');
  });
});

describe('cloud cost', () => {
  it("reproduces seed 002's monthly table: EMR m5.xlarge + r5.xlarge 6 min + ~4 min daily vs m6g.xlarge, one billed hour a day", () => {
    const hourly = { incrementSeconds: 3600, minimumSeconds: 3600 };
    const [emr, polars] = priceScenario(
      [
        {
          label: 'PySpark on EMR',
          startupSeconds: 360,
          jobSeconds: 245,
          nodes: [
            { label: 'EMR m5.xlarge master', instanceType: 'emr:m5.xlarge', count: 1, pricePerHour: 0.048 },
            { label: 'EMR r5.xlarge core', instanceType: 'emr:r5.xlarge', count: 1, pricePerHour: 0.063 },
            { label: 'EC2 m5.xlarge (master)', instanceType: 'm5.xlarge', count: 1, pricePerHour: 0.236 },
            { label: 'EC2 r5.xlarge (core)', instanceType: 'r5.xlarge', count: 1, pricePerHour: 0.304 },
          ],
        },
        { label: 'Polars', startupSeconds: 0, jobSeconds: 36.12, nodes: [{ label: 'EC2 m6g.xlarge', instanceType: 'm6g.xlarge', count: 1, pricePerHour: 0.188 }] },
      ],
      DAILY_RUNS_PER_MONTH,
      hourly,
    );
    expect(emr.lines.map((l) => l.monthly)).toEqual([1.46, 1.92, 7.18, 9.25]);
    expect(emr.monthly).toBe(19.81);
    expect(polars.monthly).toBe(5.72);
    expect(polars.savingPct).toBe(71.13);
  });

  it('bills in increments with a minimum', () => {
    expect(billedSeconds(36.12, { incrementSeconds: 1, minimumSeconds: 60 })).toBe(60);
    expect(billedSeconds(605, { incrementSeconds: 1, minimumSeconds: 60 })).toBe(605);
    expect(billedSeconds(605.2, { incrementSeconds: 1, minimumSeconds: 60 })).toBe(606);
    expect(billedSeconds(600, { incrementSeconds: 3600, minimumSeconds: 0 })).toBe(3600);
  });
});

describe('phase table and parallel scaling', () => {
  it('medians per phase, speedup against the baseline phase and the previous one', () => {
    const phases = [
      { id: 'a', order: 1, name: 'standard', optimization: 'baseline' },
      { id: 'b', order: 2, name: 'parallel', optimization: 'parallel stages' },
      { id: 'c', order: 3, name: 'one pass', optimization: 'one-pass DAG' },
    ];
    const runs = [686.5, 690, 680].map((s) => ({ phaseId: 'a', wallMs: s * 1000, peakMemoryBytes: 1 }))
      .concat([331, 330, 335].map((s) => ({ phaseId: 'b', wallMs: s * 1000, peakMemoryBytes: 1 })))
      .concat([200.5].map((s) => ({ phaseId: 'c', wallMs: s * 1000, peakMemoryBytes: 1 })));
    const t = phaseTable(phases, runs);
    expect(t.map((r) => r.medianMs)).toEqual([686_500, 331_000, 200_500]);
    expect(t[2].speedupVsBaseline).toBeCloseTo(686.5 / 200.5, 10);
    expect(t[2].speedupVsPrevious).toBeCloseTo(331 / 200.5, 10);
    expect(t[0].speedupVsBaseline).toBe(1);
  });

  it('speedup and efficiency by partition count', () => {
    const rows = parallelScaling([
      { partitions: 1, wallMs: 100 },
      { partitions: 1, wallMs: 104 },
      { partitions: 2, wallMs: 55 },
      { partitions: 4, wallMs: 40 },
    ]);
    expect(rows.map((r) => r.partitions)).toEqual([1, 2, 4]);
    expect(rows[1].speedup).toBeCloseTo(102 / 55, 10);
    expect(rows[2].efficiency).toBeCloseTo(102 / 40 / 4, 10);
    expect(median([3, 1, 2])).toBe(2);
  });
});
