'use client';
/**
 * A cost model on log-log axes (scales run 10k → 10M and beyond): the measured runs, the fitted line,
 * its prediction band, runs recorded after the fit, and predictions. Log axes cannot show zero or
 * negative values, so those (a band's lower edge near small scales) are clipped to the chart's floor.
 */
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import type { Outputs } from '@/lib/api-types';
import { bytes, count, ms, msTick } from '@/lib/format';
import { rowsShort } from './SeriesPicker';

type Model = Outputs['costModel']['get'];

export function valueFormat(unit: string | undefined): (v: number) => string {
  return unit === 'bytes' ? bytes : ms;
}

export function ScalingChart({ model }: { model: Model }) {
  const unit = model.fit?.unit;
  const fmt = valueFormat(unit);
  const tick = unit === 'bytes' ? bytes : msTick;
  const ys = [...model.points.map((p) => p.y), ...model.band.map((b) => b.fitted), ...model.predictions.map((p) => p.predicted), ...model.newRuns.map((r) => r.y)].filter((y) => y > 0);
  const xs = [...model.points.map((p) => p.x), ...model.band.map((b) => b.x)].filter((x) => x > 0);
  if (!ys.length || !xs.length) return null;
  const floor = Math.min(...ys) / 2;
  const band = model.band.map((b) => ({ x: b.x, fitted: Math.max(b.fitted, floor), range: [Math.max(b.lower ?? b.fitted, floor), Math.max(b.upper ?? b.fitted, floor)] }));
  const measured = model.points.filter((p) => p.y > 0 && !p.flagged).map((p) => ({ x: p.x, y: p.y }));
  const flagged = model.points.filter((p) => p.y > 0 && p.flagged).map((p) => ({ x: p.x, y: p.y }));
  const later = model.newRuns.filter((r) => r.y > 0).map((r) => ({ x: r.x, y: r.y }));
  const predicted = model.predictions.map((p) => ({ x: p.rows, y: Math.max(p.predicted, floor) }));
  return (
    <figure className="chart" data-testid="chart-scaling">
      <figcaption>Scaling: {model.measure ?? 'value'} by rows (log-log), fitted line and 95 % prediction band</figcaption>
      <ResponsiveContainer width="100%" height={320}>
        <ComposedChart margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="x" type="number" scale="log" domain={[Math.min(...xs) / 1.5, Math.max(...xs) * 1.5]} tickFormatter={rowsShort} tick={{ fontSize: 11 }} allowDuplicatedCategory={false} />
          <YAxis dataKey="y" type="number" scale="log" domain={[floor, Math.max(...ys, ...band.map((b) => b.range[1])) * 1.2]} tickFormatter={tick} tick={{ fontSize: 11 }} width={70} allowDataOverflow />
          <Tooltip formatter={(v, name) => (Array.isArray(v) ? v.map((x) => fmt(Number(x))).join(' – ') : typeof v === 'number' ? (name === 'x' ? count(v) : fmt(v)) : String(v))} labelFormatter={(x) => `${count(Number(x))} rows`} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Area data={band} dataKey="range" name="prediction band" stroke="none" fill="#c7d2fe" fillOpacity={0.55} isAnimationActive={false} />
          <Line data={band} dataKey="fitted" name="fitted" stroke="#4f46e5" dot={false} strokeWidth={2} isAnimationActive={false} />
          <Scatter data={measured} dataKey="y" name="runs" fill="#0f172a" isAnimationActive={false} />
          {flagged.length > 0 && <Scatter data={flagged} dataKey="y" name="flagged" fill="#ef4444" shape="diamond" isAnimationActive={false} />}
          {later.length > 0 && <Scatter data={later} dataKey="y" name="runs after the fit" fill="#10b981" isAnimationActive={false} />}
          {predicted.length > 0 && <Scatter data={predicted} dataKey="y" name="predictions" fill="#f59e0b" shape="star" isAnimationActive={false} />}
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
