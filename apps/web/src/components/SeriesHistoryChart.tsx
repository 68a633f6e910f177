'use client';
/**
 * A regression's series over time: every stored run of the phase at that backend and scale, the
 * baseline window it was judged against (shaded) and the contender runs (red), with the baseline
 * median as a line, so an alert can be read at a glance.
 */
import { useQuery } from '@tanstack/react-query';
import { CartesianGrid, ComposedChart, Legend, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import { useWorkloads } from '@/components/SeriesPicker';
import type { Backend, Outputs } from '@/lib/api-types';
import { ms, msTick } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

type Regression = Outputs['regression']['list'][number];

/** "sales-aggregation/2:engine:1000000:host:wall_ms" → its parts. */
export function parseSeriesKey(key: string): { workload: string; phase: number; backend: string; rows: number } | null {
  const m = /^([^/]+)\/(\d+):([^:]+):(\d+):/.exec(key);
  return m ? { workload: m[1], phase: Number(m[2]), backend: m[3], rows: Number(m[4]) } : null;
}

export function SeriesHistoryChart({ alert }: { alert: Regression }) {
  const trpc = useTRPC();
  const workloads = useWorkloads();
  const series = parseSeriesKey(alert.seriesKey);
  const phaseId = workloads.data?.find((w) => w.key === series?.workload)?.phases.find((p) => p.order === series?.phase)?.id;
  const runs = useQuery({ ...trpc.run.list.queryOptions({ phaseId, backend: series?.backend as Backend, limit: 500 }), enabled: !!phaseId });
  if (!series || !runs.data) return <p className="muted small">{runs.error ? `Could not load the series: ${runs.error.message}` : 'Loading the series…'}</p>;
  const baseline = new Set(alert.baselineRunIds);
  const contender = new Set(alert.contenderRunIds);
  const points = runs.data
    .filter((r) => r.rowsScale === series.rows)
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))
    .map((r, i) => ({ i: i + 1, wall: r.metrics.wallMs, kind: contender.has(r.id) ? 'contender' : baseline.has(r.id) ? 'baseline' : 'other' }));
  if (points.length === 0) return null;
  const inBaseline = points.filter((p) => p.kind === 'baseline');
  return (
    <figure className="chart plain" data-testid="series-chart">
      <ResponsiveContainer width="100%" height={200}>
        <ComposedChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e5e7eb" />
          <XAxis dataKey="i" type="number" domain={[1, points.length]} tick={{ fontSize: 11 }} allowDecimals={false} />
          <YAxis tickFormatter={msTick} tick={{ fontSize: 11 }} width={60} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? ms(v) : String(v))} labelFormatter={(i) => `run ${i}`} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {inBaseline.length > 0 && <ReferenceArea x1={inBaseline[0].i} x2={inBaseline[inBaseline.length - 1].i} fill="#e0e7ff" fillOpacity={0.6} label={{ value: 'baseline window', fontSize: 11, position: 'insideTop' }} />}
          <ReferenceLine y={alert.baselineMedian} stroke="#4f46e5" strokeDasharray="4 3" />
          <Line dataKey="wall" name="wall time" stroke="#94a3b8" dot={false} isAnimationActive={false} />
          <Scatter data={points.filter((p) => p.kind !== 'contender')} dataKey="wall" name="runs" fill="#475569" isAnimationActive={false} />
          <Scatter data={points.filter((p) => p.kind === 'contender')} dataKey="wall" name="contender" fill="#ef4444" isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
