'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Empty, QueryState } from '@/components/QueryState';
import { StatusBadge } from '@/components/StatusBadge';
import { BACKENDS, JOB_STATUSES, type Backend, type JobStatus, type JobSummary, type RunSummary } from '@/lib/api-types';
import { bytes, count, ms, oneLine, shortId, when } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

/** One line of the list: a run (its job succeeded) or a job that has no run (queued, running, failed, cancelled). */
type Row = { kind: 'run'; run: RunSummary } | { kind: 'job'; job: JobSummary };

const LIMIT = 200;

type Filters = { backend: string; dataset: string; status: string };

export function RunsList() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  // The filters live in state (changes apply at once, several in a row included) and are mirrored
  // into the URL, which is where a reload or a shared link reads them from.
  const [filters, setFilters] = useState<Filters>(() => ({ backend: params.get('backend') ?? '', dataset: params.get('dataset') ?? '', status: params.get('status') ?? '' }));
  const backend = (filters.backend as Backend) || undefined;
  const dataset = filters.dataset || undefined;
  const status = (filters.status as JobStatus) || undefined;
  const [selected, setSelected] = useState<string[]>([]);
  useEffect(() => {
    const next = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    if (next.toString() !== new URLSearchParams(window.location.search).toString()) router.replace(`${pathname}${next.size ? `?${next}` : ''}`, { scroll: false });
  }, [filters, pathname, router]);

  const datasets = useQuery(trpc.dataset.list.queryOptions());
  // Runs exist only for succeeded jobs; other states come from the job list, filtered here the same way.
  const wantRuns = !status || status === 'succeeded';
  const wantJobs = status !== 'succeeded';
  const runs = useQuery({ ...trpc.run.list.queryOptions({ backend, dataset, limit: LIMIT }), enabled: wantRuns, refetchInterval: 5_000 });
  const jobs = useQuery({ ...trpc.job.list.queryOptions({ status, limit: LIMIT }), enabled: wantJobs, refetchInterval: 5_000 });

  const rows: Row[] = [
    ...(wantRuns ? (runs.data ?? []).map((run) => ({ kind: 'run' as const, run })) : []),
    ...(wantJobs
      ? (jobs.data ?? [])
          .filter((j) => j.status !== 'succeeded' && (!backend || j.backend === backend) && (!dataset || j.dataset === dataset))
          .map((job) => ({ kind: 'job' as const, job }))
      : []),
  ].sort((a, b) => (a.kind === 'run' ? a.run.createdAt : a.job.createdAt) < (b.kind === 'run' ? b.run.createdAt : b.job.createdAt) ? 1 : -1);

  const setFilter = (name: keyof Filters, value: string) => setFilters((f) => ({ ...f, [name]: value }));
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id].slice(-10)));

  return (
    <>
      <div className="page-head">
        <h1>Runs</h1>
        <button type="button" className="primary" disabled={selected.length < 2} onClick={() => router.push(`/compare?ids=${selected.join(',')}`)} data-testid="compare-selected">
          Compare {selected.length >= 2 ? selected.length : ''} selected
        </button>
      </div>
      <form className="filters card" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span>Backend</span>
          <select name="backend" value={backend ?? ''} onChange={(e) => setFilter('backend', e.target.value)}>
            <option value="">all</option>
            {BACKENDS.map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Dataset</span>
          <select name="dataset" value={dataset ?? ''} onChange={(e) => setFilter('dataset', e.target.value)}>
            <option value="">all</option>
            {(datasets.data ?? []).map((d) => (
              <option key={d.id}>{d.name}</option>
            ))}
            {dataset && !(datasets.data ?? []).some((d) => d.name === dataset) && <option>{dataset}</option>}
          </select>
        </label>
        <label className="field">
          <span>Status</span>
          <select name="status" value={status ?? ''} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">all</option>
            {JOB_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </form>
      <QueryState isPending={(wantRuns && runs.isPending) || (wantJobs && jobs.isPending)} error={runs.error ?? jobs.error} what="runs">
        {() =>
          rows.length === 0 ? (
            <Empty>No runs match these filters.</Empty>
          ) : (
            <div className="table-wrap card flush">
              <table className="data runs stack" data-testid="runs-table">
                <thead>
                  <tr>
                    <th aria-label="select" />
                    <th>status</th>
                    <th>SQL</th>
                    <th>backend</th>
                    <th>dataset</th>
                    <th className="num">wall</th>
                    <th className="num">CPU</th>
                    <th className="num">peak mem</th>
                    <th className="num">rows</th>
                    <th>when</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) =>
                    row.kind === 'run' ? (
                      <tr key={row.run.id} data-testid="run-row" data-backend={row.run.backend} data-dataset={row.run.dataset ?? ''} data-status="succeeded">
                        <td className="select">
                          <input type="checkbox" aria-label={`select run ${shortId(row.run.id)}`} checked={selected.includes(row.run.id)} onChange={() => toggle(row.run.id)} />
                        </td>
                        <td className="status">
                          <StatusBadge status="succeeded" />
                        </td>
                        <td className="sql">
                          <Link href={`/runs/${row.run.id}`}>
                            <code className="sql-line">{oneLine(row.run.sql, 64)}</code>
                          </Link>
                        </td>
                        <td data-label="backend">{row.run.backend}</td>
                        <td data-label="dataset">{row.run.dataset ?? '—'}</td>
                        <td className="num" data-label="wall">{ms(row.run.metrics.wallMs)}</td>
                        <td className="num" data-label="CPU">{ms(row.run.metrics.cpuMs)}</td>
                        <td className="num" data-label="peak">{bytes(row.run.metrics.peakMemoryBytes)}</td>
                        <td className="num" data-label="rows">{count(row.run.metrics.resultRows)}</td>
                        <td className="nowrap">{when(row.run.createdAt)}</td>
                      </tr>
                    ) : (
                      <tr key={row.job.id} data-testid="run-row" data-backend={row.job.backend} data-dataset={row.job.dataset ?? ''} data-status={row.job.status}>
                        <td className="select" />
                        <td className="status">
                          <StatusBadge status={row.job.status} />
                        </td>
                        <td className="sql">
                          <Link href={`/jobs/${row.job.id}`}>
                            <code className="sql-line">{oneLine(row.job.sql, 64)}</code>
                          </Link>
                          {row.job.error && <div className="row-error">{oneLine(row.job.error, 120)}</div>}
                        </td>
                        <td data-label="backend">{row.job.backend}</td>
                        <td data-label="dataset">{row.job.dataset ?? '—'}</td>
                        <td className="num" colSpan={4}>
                          <span className="muted">{row.job.status === 'running' && row.job.progress ? row.job.progress.stage : 'no run'}</span>
                        </td>
                        <td className="nowrap">{when(row.job.createdAt)}</td>
                      </tr>
                    ),
                  )}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>
    </>
  );
}
