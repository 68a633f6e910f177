/** PG-Strom plan parsing on synthetic EXPLAIN JSON (see fixtures/README.md: shaped from PG-Strom's docs, not captured). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blockersFromNotices, classifyPlan } from '../src/plan/classify.js';
import { planToOperators } from '../src/plan/operators.js';
import { planSummaryText } from '../src/plan/summary-text.js';
import { buildReport } from '../src/report.js';
import { asFallbackError, type QueryRunResult } from '../src/run/query.js';
import { GpuError } from '../src/errors.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(here, 'fixtures', name), 'utf8')) as unknown;

describe('classifyPlan (synthetic PG-Strom documents)', () => {
  it('finds GpuPreAgg and GpuScan custom scans under a CPU HashAggregate, with their PG-Strom lines', () => {
    const s = classifyPlan(fixture('explain-gpupreagg.synthetic.json'));
    expect(s.nodes.map((n) => [n.label, n.device])).toEqual([
      ['HashAggregate', 'CPU'],
      ['Custom Scan (GpuPreAgg)', 'GPU'],
      ['Custom Scan (GpuScan)', 'GPU'],
    ]);
    expect(s.gpuNodes).toBe(2);
    expect(s.cpuNodes).toBe(1);
    expect(s.gpuProviders).toEqual(['GpuPreAgg', 'GpuScan']);
    expect(s.usesGpu).toBe(true);
    expect(s.fallback.detected).toBe(false);
    const preagg = s.nodes[1];
    expect(preagg.relation).toBe('lineorder');
    expect(preagg.pgStrom['Scan-Engine']).toBe('GPU-Direct with 2 GPUs <0,1>');
    expect(preagg.pgStrom['GPU Join Quals [1]']).toMatch(/lo_partkey = p_partkey/);
    expect(preagg.pgStrom['GPU Group Key']).toBe('d_year, p_brand1');
    expect(preagg.gpuSort).toEqual([]);
    // self time: 801.6 inclusive minus the GpuScan child's 95.3
    expect(preagg.selfTimeMs).toBeCloseTo(801.6 - 95.3, 6);
    expect(s.planningMs).toBe(3.21);
    expect(s.executionMs).toBe(815.77);
    expect(s.relations).toEqual(['lineorder', 'supplier']);
  });

  it('reads GPU-Sort lines inside a parallel GpuScan (there is no GpuSort node) and the Fallback-stats', () => {
    const s = classifyPlan(fixture('explain-gpusort-fallback.synthetic.json'));
    const scan = s.nodes.find((n) => n.device === 'GPU')!;
    expect(scan.label).toBe('Parallel Custom Scan (GpuScan)');
    expect(scan.gpuSort).toEqual([
      'GPU-Sort keys: amount DESC',
      'GPU-Sort Limit: 10',
      'Window-Rank Filter: rank() over(PARTITION BY category ORDER BY amount DESC) < 5',
    ]);
    expect(scan.actualRows).toBe(12); // 4 rows × 3 loops (leader + 2 workers)
    expect(s.fallback).toEqual({ detected: true, nodes: [{ path: '0.0.0', label: 'Parallel Custom Scan (GpuScan)', text: 'depth[0]=120 depth[1]=0' }] });
    expect(s.nodes.filter((n) => n.device === 'CPU').map((n) => n.label)).toEqual(['Limit', 'Gather Merge']);
    const text = planSummaryText(s, { backend: 'pgstrom', mode: 'on → on' });
    expect(text.split('\n')[0]).toBe('backend: pgstrom | gpu: on → on | 1 GPU node, 2 CPU nodes | fallback: Parallel Custom Scan (GpuScan) (depth[0]=120 depth[1]=0)');
    expect(text).toMatch(/\n    \[GPU\] Parallel Custom Scan \(GpuScan\) on l40s_sales_large/);
    expect(text).toMatch(/GPU-Sort keys: amount DESC/);
  });

  it('a Custom Scan of another provider is not GPU work', () => {
    const s = classifyPlan({ Plan: { 'Node Type': 'Custom Scan', 'Custom Plan Provider': 'DpuScan', 'Actual Rows': 1, 'Actual Loops': 1 } });
    expect(s.nodes[0].device).toBe('CPU');
    expect(() => classifyPlan([{ nope: 1 }])).toThrow(/no "Plan"/);
  });

  it('converts to the engine operator shape with the device and PG-Strom lines in extra', () => {
    const op = planToOperators(classifyPlan(fixture('explain-gpupreagg.synthetic.json')))!;
    expect(op.name).toBe('HashAggregate');
    expect(op.metrics.peakMemoryBytes).toBe(217 * 1024);
    const gpu = op.children[0];
    expect(gpu.name).toBe('Custom Scan (GpuPreAgg)');
    expect(gpu.metrics.extra).toMatchObject({ device: 'GPU', provider: 'GpuPreAgg', 'Scan-Engine': 'GPU-Direct with 2 GPUs <0,1>' });
    expect(gpu.children[0].metrics.outputRows).toBe(203767);
  });
});

describe('blockersFromNotices', () => {
  it('names the functions PG-Strom says keep the plan off the GPU (message shapes from its source)', () => {
    const notices = [
      'function textcat(text,text) is not supported on the target device',
      'Aggregate function is not device executable: percentile_cont(double precision)',
      'unrelated planner chatter',
    ];
    expect(blockersFromNotices(notices)).toEqual(['textcat(text,text)', 'percentile_cont(double precision)']);
    expect(blockersFromNotices(['nothing here'])).toEqual([]);
  });
});

/** A QueryRunResult around a plan document, for the report rules. */
function fakeRun(over: Partial<QueryRunResult> & { doc?: unknown; ms: number }): QueryRunResult {
  const plan = over.doc ? classifyPlan(over.doc) : null;
  return {
    sql: 'SELECT …',
    schema: 's',
    backend: 'pgstrom',
    pgStromInstalled: true,
    gpu: { requested: 'on', applied: 'on', note: 'pg_strom.enabled = on' },
    columns: [],
    rows: [['1']],
    rowCount: 1,
    rowsTruncated: false,
    timings: { warmupMs: [], runsMs: [over.ms], medianMs: over.ms, minMs: over.ms, maxMs: over.ms },
    explain: over.doc ?? null,
    plan,
    notices: [],
    gpuBlockers: [],
    fallback: plan?.fallback.detected ? { detected: true, source: 'fallback-stats', details: plan.fallback.nodes.map((f) => f.text) } : { detected: false, source: null, details: [] },
    monitor: { available: false, host: 'h', reason: 'nvidia-smi is not installed' },
    settings: {},
    server: { version: '16.4' },
    ...over,
  } as QueryRunResult;
}

describe('buildReport rules', () => {
  const cpuPlan = { Plan: { 'Node Type': 'Aggregate', Strategy: 'Hashed', 'Actual Rows': 1, 'Actual Loops': 1, Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 't', 'Actual Rows': 10, 'Actual Loops': 1 }] } };

  it('GPU plan, faster, busy GPU: use the GPU', () => {
    const monitor = { available: true as const, host: 'h', intervalMs: 500, command: 'nvidia-smi', samples: [], marks: [], perGpu: [{ gpu: 0, samples: 4, avgUtilizationPct: 60, maxUtilizationPct: 90, maxMemoryUsedMiB: 2000, memoryTotalMiB: 46068, maxMemoryPct: 4.3, maxTemperatureC: 50 }] };
    const r = buildReport(fakeRun({ ms: 300, doc: cpuPlan, gpu: { requested: 'off', applied: 'off', note: '' } }), fakeRun({ ms: 100, doc: fixture('explain-gpupreagg.synthetic.json'), monitor }));
    expect(r.ranOnGpu).toBe(true);
    expect(r.speedup).toBe(3);
    expect(r.recommendations.map((x) => x.code)).toEqual(['use-gpu']);
    expect(r.summary).toMatch(/GPU on used GpuPreAgg, GpuScan/);
  });

  it('GPU plan but utilization under 5% and memory over 80%: keep it on the CPU, and name the query and tables', () => {
    const monitor = { available: true as const, host: 'h', intervalMs: 500, command: 'nvidia-smi', samples: [], marks: [], perGpu: [{ gpu: 1, samples: 4, avgUtilizationPct: 2, maxUtilizationPct: 4, maxMemoryUsedMiB: 40000, memoryTotalMiB: 46068, maxMemoryPct: 86.8, maxTemperatureC: 50 }] };
    const r = buildReport(fakeRun({ ms: 100, doc: cpuPlan }), fakeRun({ ms: 90, doc: fixture('explain-gpupreagg.synthetic.json'), monitor }), 'q7');
    const codes = r.recommendations.map((x) => x.code);
    expect(codes).toEqual(['low-gpu-utilization', 'gpu-memory-high']);
    expect(r.recommendations[0].action).toBe('keep it on the CPU or the engine');
    expect(r.recommendations[1].reason).toMatch(/GPU 1 memory peaked at 86\.8% .* while running q7 over lineorder, supplier/);
  });

  it('PG-Strom on but no GPU node: names the function from the DEBUG2 notices', () => {
    const r = buildReport(fakeRun({ ms: 100, doc: cpuPlan }), fakeRun({ ms: 100, doc: cpuPlan, gpuBlockers: ['textcat(text,text)'] }));
    expect(r.ranOnGpu).toBe(false);
    expect(r.recommendations[0]).toMatchObject({ code: 'plan-off-gpu', action: expect.stringMatching(/without textcat\(text,text\)/) });
    expect(r.summary).toMatch(/^both runs on the CPU: with pg_strom.enabled = on the planner chose no GPU node/);
  });

  it('fallback and different rows are reported', () => {
    const r = buildReport(fakeRun({ ms: 100, doc: cpuPlan }), fakeRun({ ms: 50, doc: fixture('explain-gpusort-fallback.synthetic.json'), rows: [['2']] }));
    expect(r.recommendations.map((x) => x.code)).toEqual(['cpu-fallback', 'gpu-utilization-unknown', 'results-differ']);
    expect(r.fallback.details).toEqual(['depth[0]=120 depth[1]=0']);
  });
});

describe('fallback errors (cpu_fallback = off)', () => {
  it('an error mentioning a fallback, on a GPU run with cpu_fallback off, is a fallback error; others stay query errors', () => {
    const e = new GpuError('query', 'CPU fallback is not allowed here', 'XX000');
    expect(asFallbackError(e, 'on', 'off')).toMatchObject({ code: 'fallback', message: expect.stringMatching(/^CPU fallback refused \(pg_strom.cpu_fallback = off\)/) });
    expect(asFallbackError(e, 'on', 'notice').code).toBe('query');
    expect(asFallbackError(e, 'off', 'off').code).toBe('query');
    expect(asFallbackError(new GpuError('query', 'division by zero'), 'on', 'off').code).toBe('query');
  });
});
