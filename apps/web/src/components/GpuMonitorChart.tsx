'use client';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Run } from '@/lib/api-types';

type Monitor = Run['gpuMonitor'];
type Sample = Extract<Monitor, { available: true }>['samples'][number];

const GPU_COLORS = ['#10b981', '#6366f1', '#f59e0b', '#ef4444', '#0ea5e9', '#8b5cf6', '#14b8a6', '#64748b'];
const fmt = (v: number | null | undefined, unit: string, digits = 0) => (v === null || v === undefined ? '?' : `${v.toFixed(digits)}${unit}`);

/**
 * nvidia-smi during a postgres / pgstrom run: utilization per GPU over the run (a line per GPU;
 * memory and temperature in the tooltip and the summary), or the plain reason there is none.
 */
export function GpuMonitor({ monitor }: { monitor: Monitor }) {
  if (!monitor.available || monitor.samples.length === 0) {
    return (
      <p className="muted" data-testid="gpu-monitor-none">
        no GPU monitor: {monitor.available ? 'nvidia-smi gave no sample' : monitor.reason}
      </p>
    );
  }
  const byGpu = new Map<number, (Sample & { t: number })[]>();
  for (const s of monitor.samples) byGpu.set(s.gpu, [...(byGpu.get(s.gpu) ?? []), { ...s, t: s.tMs / 1000 }]);
  const gpus = [...byGpu.keys()].sort((a, b) => a - b);
  return (
    <div data-testid="gpu-monitor">
      <figure className="chart plain" data-testid="chart-gpu-monitor">
        <ResponsiveContainer width="100%" height={170}>
          <LineChart margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis type="number" dataKey="t" domain={['dataMin', 'dataMax']} tickFormatter={(v: number) => `${v.toFixed(1)} s`} tick={{ fontSize: 10 }} allowDuplicatedCategory={false} />
            <YAxis domain={[0, 100]} tickFormatter={(v: number) => `${v}%`} tick={{ fontSize: 11 }} width={40} />
            <Tooltip
              labelFormatter={(v) => `${Number(v).toFixed(2)} s`}
              formatter={(value, name, item) => {
                const p = item?.payload as Sample | undefined;
                return [`${fmt(typeof value === 'number' ? value : null, '%')} · ${fmt(p?.memoryUsedMiB, '')}/${fmt(p?.memoryTotalMiB, ' MiB')} · ${fmt(p?.temperatureC, ' °C')}`, String(name)];
              }}
            />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            {gpus.map((g, i) => (
              <Line key={g} data={byGpu.get(g)} dataKey="utilizationPct" name={`GPU${g}`} stroke={GPU_COLORS[i % GPU_COLORS.length]} dot={false} strokeWidth={1.6} isAnimationActive={false} connectNulls />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <ul className="gpu-stats small">
        {monitor.perGpu.map((g) => (
          <li key={g.gpu} data-testid="gpu-stat">
            <strong>GPU{g.gpu}</strong> utilization avg {fmt(g.avgUtilizationPct, '%', 1)}, max {fmt(g.maxUtilizationPct, '%')} · memory max {fmt(g.maxMemoryUsedMiB, '')}/{fmt(g.memoryTotalMiB, ' MiB')}
            {g.maxMemoryPct !== null ? ` (${g.maxMemoryPct.toFixed(0)}%)` : ''} · {fmt(g.maxTemperatureC, ' °C')} max · {g.samples} samples
          </li>
        ))}
      </ul>
      <p className="muted small">
        Sampled on {monitor.host} every {monitor.intervalMs} ms{monitor.sampleStep > 1 ? ` (every ${monitor.sampleStep}th sample kept)` : ''}: the database&apos;s GPUs only when
        PostgreSQL runs on that host.{monitor.marks.length ? ` Marks: ${monitor.marks.map((m) => `${m.label} at ${(m.tMs / 1000).toFixed(2)} s`).join(', ')}.` : ''}
      </p>
    </div>
  );
}
