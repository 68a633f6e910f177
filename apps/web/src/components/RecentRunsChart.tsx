'use client';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Backend, RunSummary } from '@/lib/api-types';
import { ms, msTick, oneLine, shortId } from '@/lib/format';

export const BACKEND_COLORS: Record<Backend, string> = { engine: '#6366f1', duckdb: '#f59e0b', polars: '#8b5cf6', postgres: '#0ea5e9', pgstrom: '#10b981' };

/** Wall time of the latest runs, oldest on the left, coloured by backend. */
export function RecentRunsChart({ runs }: { runs: RunSummary[] }) {
  const data = [...runs].reverse().map((r) => ({ name: shortId(r.id), wall: r.metrics.wallMs, backend: r.backend, sql: oneLine(r.sql, 60) }));
  return (
    <figure className="chart plain" data-testid="chart-recent-runs">
      <ResponsiveContainer width="100%" height={160}>
        <BarChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e5e7eb" />
          <XAxis dataKey="name" tick={{ fontSize: 10 }} interval="preserveStartEnd" />
          <YAxis tickFormatter={msTick} tick={{ fontSize: 11 }} width={52} />
          <Tooltip
            formatter={(v) => [typeof v === 'number' ? ms(v) : String(v), 'wall']}
            labelFormatter={(_, payload) => {
              const p = payload?.[0]?.payload as { backend: string; sql: string } | undefined;
              return p ? `${p.backend}: ${p.sql}` : '';
            }}
          />
          <Bar dataKey="wall" radius={[3, 3, 0, 0]} maxBarSize={56} isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.name} fill={BACKEND_COLORS[d.backend]} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
