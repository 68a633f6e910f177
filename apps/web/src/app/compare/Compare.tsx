'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { CompareCharts, RUN_COLORS, runLabel } from '@/components/CompareCharts';
import { PlanTree } from '@/components/PlanTree';
import { Empty, QueryState } from '@/components/QueryState';
import type { Comparison } from '@/lib/api-types';
import { bytes, count, ms, oneLine, ratio, shortId, when } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

function Picker() {
  const trpc = useTRPC();
  const router = useRouter();
  const runs = useQuery(trpc.run.list.queryOptions({ limit: 30 }));
  const [picked, setPicked] = useState<string[]>([]);
  return (
    <section className="card">
      <h2>Pick runs to compare</h2>
      <p className="muted small">Two to ten; the first is the baseline the others are measured against.</p>
      <QueryState isPending={runs.isPending} error={runs.error} what="runs">
        {() =>
          runs.data!.length < 2 ? (
            <Empty>Fewer than two runs so far.</Empty>
          ) : (
            <>
              <ul className="pick-list">
                {runs.data!.map((r) => (
                  <li key={r.id}>
                    <label>
                      <input type="checkbox" checked={picked.includes(r.id)} onChange={() => setPicked((p) => (p.includes(r.id) ? p.filter((x) => x !== r.id) : [...p, r.id].slice(-10)))} />
                      <code className="sql-line">{oneLine(r.sql, 60)}</code>
                      <span className="muted small">
                        {r.backend} · {r.dataset ?? '—'} · {ms(r.metrics.wallMs)} · {when(r.createdAt)}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
              <button type="button" className="primary" disabled={picked.length < 2} onClick={() => router.push(`/compare?ids=${picked.join(',')}`)}>
                Compare {picked.length || ''}
              </button>
            </>
          )
        }
      </QueryState>
    </section>
  );
}

function SideBySide({ c }: { c: Comparison }) {
  const rows: { label: string; value: (r: Comparison['runs'][number]) => string; ratio?: (r: Comparison['runs'][number]) => number | null }[] = [
    { label: 'backend', value: (r) => r.backend },
    { label: 'dataset', value: (r) => r.dataset ?? '—' },
    { label: 'wall time', value: (r) => ms(r.metrics.wallMs), ratio: (r) => r.ratioToBaseline.wallMs },
    { label: 'CPU time', value: (r) => ms(r.metrics.cpuMs), ratio: (r) => r.ratioToBaseline.cpuMs },
    { label: 'peak memory', value: (r) => bytes(r.metrics.peakMemoryBytes), ratio: (r) => r.ratioToBaseline.peakMemoryBytes },
    { label: 'result rows', value: (r) => count(r.metrics.resultRows) },
    { label: 'operators', value: (r) => String(r.operators.length) },
    { label: 'when', value: (r) => when(r.createdAt) },
  ];
  return (
    <div className="table-wrap card flush">
      <table className="data compare" data-testid="compare-table">
        <thead>
          <tr>
            <th />
            {c.runs.map((r, i) => (
              <th key={r.id}>
                <span className="swatch" style={{ background: RUN_COLORS[i % RUN_COLORS.length] }} /> {runLabel(i)}{' '}
                <Link href={`/runs/${r.id}`}>{shortId(r.id)}</Link>
                {i === 0 && <span className="muted small"> baseline</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th>SQL</th>
            {c.runs.map((r) => (
              <td key={r.id}>
                <code className="sql-cell">{r.sql}</code>
              </td>
            ))}
          </tr>
          {rows.map((row) => (
            <tr key={row.label}>
              <th>{row.label}</th>
              {c.runs.map((r, i) => (
                <td key={r.id} className={row.ratio ? 'num' : undefined}>
                  {row.value(r)}
                  {row.ratio && i > 0 && <span className="ratio"> {ratio(row.ratio(r))}</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Compare({ ids }: { ids: string[] }) {
  const trpc = useTRPC();
  const comparison = useQuery({ ...trpc.run.compare.queryOptions({ ids }), enabled: ids.length >= 2 });
  return (
    <>
      <div className="page-head">
        <h1>Compare runs</h1>
        {ids.length >= 2 && (
          <Link className="button" href="/compare">
            Pick others
          </Link>
        )}
      </div>
      {ids.length < 2 ? (
        <Picker />
      ) : (
        <QueryState isPending={comparison.isPending} error={comparison.error} what="the comparison">
          {() => {
            const c = comparison.data!;
            return (
              <>
                <SideBySide c={c} />
                <CompareCharts comparison={c} />
                <div className="grid plans" style={{ gridTemplateColumns: `repeat(auto-fit, minmax(min(100%, 320px), 1fr))` }}>
                  {c.runs.map((r, i) => (
                    <section key={r.id} className="card">
                      <h2>
                        <span className="swatch" style={{ background: RUN_COLORS[i % RUN_COLORS.length] }} /> {runLabel(i)} · plan
                      </h2>
                      <PlanTree operators={r.operators} />
                    </section>
                  ))}
                </div>
              </>
            );
          }}
        </QueryState>
      )}
    </>
  );
}
