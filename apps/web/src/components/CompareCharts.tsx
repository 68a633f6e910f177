'use client';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Comparison } from '@/lib/api-types';
import { bytes, ms, msTick } from '@/lib/format';

export const RUN_COLORS = ['#6366f1', '#f59e0b', '#10b981', '#ef4444', '#0ea5e9', '#8b5cf6', '#14b8a6', '#f97316', '#64748b', '#ec4899'];
export const runLabel = (i: number) => String.fromCharCode(65 + i);

function Chart({ title, data, bars, format, tick = format, testId }: { title: string; data: Record<string, string | number | null>[]; bars: { key: string; color: string }[]; format: (v: number) => string; tick?: (v: number) => string; testId: string }) {
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e5e7eb" />
          <XAxis dataKey="name" tick={{ fontSize: 12 }} />
          <YAxis tickFormatter={(v: number) => tick(v)} tick={{ fontSize: 11 }} width={64} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? format(v) : String(v))} />
          {bars.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
          {bars.map((b) => (
            <Bar key={b.key} dataKey={b.key} fill={b.color} radius={[3, 3, 0, 0]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** The comparison as bar charts: time and memory per run, and each stage's time per run. */
export function CompareCharts({ comparison }: { comparison: Comparison }) {
  const runs = comparison.runs;
  const perRun = runs.map((r, i) => ({ name: `${runLabel(i)} · ${r.backend}`, wall: r.metrics.wallMs, cpu: r.metrics.cpuMs, memory: r.metrics.peakMemoryBytes }));
  const stages = comparison.stages.map((s) => Object.fromEntries([['name', s.stage], ...s.wallMs.map((v, i) => [runLabel(i), v])]));
  const runBars = runs.map((_, i) => ({ key: runLabel(i), color: RUN_COLORS[i % RUN_COLORS.length] }));
  return (
    <div className="grid charts">
      <Chart
        title="Wall and CPU time"
        testId="chart-time"
        data={perRun}
        bars={[
          { key: 'wall', color: '#6366f1' },
          { key: 'cpu', color: '#a5b4fc' },
        ]}
        format={ms}
        tick={msTick}
      />
      <Chart title="Peak memory" testId="chart-memory" data={perRun} bars={[{ key: 'memory', color: '#10b981' }]} format={bytes} />
      <Chart title="Time per stage" testId="chart-stages" data={stages} bars={runBars} format={ms} tick={msTick} />
    </div>
  );
}
