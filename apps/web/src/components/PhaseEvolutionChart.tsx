'use client';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Outputs } from '@/lib/api-types';
import { ms, msTick } from '@/lib/format';

type PhaseRow = Outputs['phase']['table']['phases'][number];

/** Seed 000's story as bars: median time of each phase in order, so each optimization's gain is a drop. */
export function PhaseEvolutionChart({ phases }: { phases: PhaseRow[] }) {
  const data = phases.filter((p) => p.medianMs !== null).map((p) => ({ name: `${p.order}. ${p.phase}`, median: p.medianMs }));
  return (
    <figure className="chart" data-testid="chart-phase-evolution">
      <figcaption>Median time per phase</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e5e7eb" />
          <XAxis dataKey="name" tick={{ fontSize: 11 }} interval={0} />
          <YAxis tickFormatter={msTick} tick={{ fontSize: 11 }} width={64} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? ms(v) : String(v))} />
          <Bar dataKey="median" name="median" fill="#6366f1" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
