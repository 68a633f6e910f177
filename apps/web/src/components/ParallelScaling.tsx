'use client';
import { useQuery } from '@tanstack/react-query';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Backend } from '@/lib/api-types';
import { ms, ratio } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

/** Speedup and efficiency by partition count for one phase; shown only when runs vary the partitions. */
export function ParallelScaling({ workload, phase, backend }: { workload: string; phase: number; backend: Backend }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.costModel.scaling.queryOptions({ workload, phase, backend }));
  const rows = q.data?.rows ?? [];
  if (rows.length < 2) return null;
  return (
    <section className="card" data-testid="parallel-scaling">
      <h2>Parallel scaling · phase {phase}</h2>
      <div className="grid two">
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th className="num">partitions</th>
                <th className="num">runs</th>
                <th className="num">median</th>
                <th className="num">speedup</th>
                <th className="num">efficiency</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.partitions}>
                  <td className="num">{r.partitions}</td>
                  <td className="num">{r.runs}</td>
                  <td className="num">{ms(r.medianMs)}</td>
                  <td className="num">{ratio(r.speedup)}</td>
                  <td className="num">{Math.round(r.efficiency * 100)} %</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <figure className="chart plain">
          <ResponsiveContainer width="100%" height={220}>
            <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e5e7eb" />
              <XAxis dataKey="partitions" tick={{ fontSize: 11 }} />
              <YAxis yAxisId="s" tick={{ fontSize: 11 }} width={40} />
              <YAxis yAxisId="e" orientation="right" domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} tick={{ fontSize: 11 }} width={44} />
              <Tooltip />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Bar yAxisId="s" dataKey="speedup" fill="#6366f1" isAnimationActive={false} />
              <Line yAxisId="e" dataKey="efficiency" stroke="#10b981" isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        </figure>
      </div>
    </section>
  );
}
