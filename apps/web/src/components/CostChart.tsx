'use client';
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

const money = (v: number) => `$${v.toFixed(2)}`;

/** Monthly cost per deployment option, as the API priced it. */
export function CostChart({ options }: { options: { label: string; monthly: number }[] }) {
  return (
    <figure className="chart" data-testid="chart-cost">
      <figcaption>Monthly cost per option</figcaption>
      <ResponsiveContainer width="100%" height={Math.max(140, options.length * 56 + 40)}>
        <BarChart data={options} layout="vertical" margin={{ top: 4, right: 56, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="#e5e7eb" />
          <XAxis type="number" tickFormatter={money} tick={{ fontSize: 11 }} />
          <YAxis type="category" dataKey="label" width={120} tick={{ fontSize: 11 }} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? money(v) : String(v))} />
          <Bar dataKey="monthly" name="per month" fill="#6366f1" radius={[0, 3, 3, 0]} isAnimationActive={false}>
            <LabelList dataKey="monthly" position="right" formatter={(v) => (typeof v === 'number' ? money(v) : String(v))} style={{ fontSize: 12 }} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
