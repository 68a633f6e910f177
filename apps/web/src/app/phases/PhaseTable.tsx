'use client';
import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { PhaseEvolutionChart } from '@/components/PhaseEvolutionChart';
import { Empty, QueryState } from '@/components/QueryState';
import { BackendSelect, ScaleSelect, WorkloadSelect, useWorkloads } from '@/components/SeriesPicker';
import type { Backend } from '@/lib/api-types';
import { bytes, count, ms, ratio } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

/** Seed 000's hand-kept table, computed from stored runs: per phase the median time and what it bought. */
export function PhaseTable() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const workloads = useWorkloads();
  const [workload, setWorkload] = useState(params.get('workload') ?? '');
  const [backend, setBackend] = useState<Backend>((params.get('backend') as Backend) || 'engine');
  const [rows, setRows] = useState<number | undefined>(params.get('rows') ? Number(params.get('rows')) : undefined);
  // Until the user picks, the first workload of the catalog is shown.
  const chosen = workload || workloads.data?.[0]?.key || '';
  useEffect(() => {
    const next = new URLSearchParams(Object.entries({ workload, backend: backend === 'engine' ? '' : backend, rows: rows ? String(rows) : '' }).filter(([, v]) => v));
    if (next.toString() !== new URLSearchParams(window.location.search).toString()) router.replace(`${pathname}${next.size ? `?${next}` : ''}`, { scroll: false });
  }, [workload, backend, rows, pathname, router]);

  const table = useQuery({ ...trpc.phase.table.queryOptions({ workload: chosen, backend, rows }), enabled: chosen !== '' });

  return (
    <>
      <div className="page-head">
        <h1>Phases</h1>
      </div>
      <form className="filters card" aria-label="Series" onSubmit={(e) => e.preventDefault()}>
        <WorkloadSelect value={chosen} onChange={(w) => { setWorkload(w); setRows(undefined); }} />
        <BackendSelect value={backend} onChange={(b) => { setBackend(b); setRows(undefined); }} />
        <ScaleSelect value={rows} scales={table.data?.scales ?? []} onChange={setRows} />
      </form>
      <QueryState isPending={workloads.isPending || (chosen !== '' && table.isPending)} error={workloads.error ?? table.error} what="the phase table">
        {() =>
          !table.data ? (
            <Empty>The catalog has no workloads.</Empty>
          ) : table.data.rows === null ? (
            <Empty>No runs of {table.data.workload} on {table.data.backend} yet. Record some (npm run regress, npm run bench -- --post, or a schedule).</Empty>
          ) : (
            <>
              <p className="muted small" data-testid="phase-scale">
                {table.data.workload} on {table.data.backend} at {count(table.data.rows)} rows · speedups against phase {table.data.phases[0]?.order ?? 1}
              </p>
              <div className="table-wrap card flush">
                <table className="data stack" data-testid="phase-table">
                  <thead>
                    <tr>
                      <th>phase</th>
                      <th className="num">runs</th>
                      <th className="num">median</th>
                      <th className="num">min – max</th>
                      <th className="num">peak mem</th>
                      <th className="num">vs baseline</th>
                      <th className="num">vs previous</th>
                      <th>what changed</th>
                    </tr>
                  </thead>
                  <tbody>
                    {table.data.phases.map((p) => (
                      <tr key={p.phaseId} data-testid="phase-row">
                        <td className="sql">
                          <strong>{p.order}. {p.phase}</strong>
                        </td>
                        <td className="num" data-label="runs">{p.runs}</td>
                        <td className="num" data-label="median">{ms(p.medianMs)}</td>
                        <td className="num" data-label="range">{p.runs ? `${ms(p.minMs)} – ${ms(p.maxMs)}` : '—'}</td>
                        <td className="num" data-label="peak">{bytes(p.medianPeakMemoryBytes)}</td>
                        <td className="num" data-label="vs baseline" data-testid="speedup-baseline">{ratio(p.speedupVsBaseline)}</td>
                        <td className="num" data-label="vs previous">{ratio(p.speedupVsPrevious)}</td>
                        <td className="small wrap-cell">{p.optimization || '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <PhaseEvolutionChart phases={table.data.phases} />
            </>
          )
        }
      </QueryState>
    </>
  );
}
