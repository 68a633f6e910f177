'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { Empty, QueryState } from '@/components/QueryState';
import { BackendSelect, WorkloadSelect, useWorkloads } from '@/components/SeriesPicker';
import type { Backend } from '@/lib/api-types';
import { when } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { ModelDetail } from './ModelDetail';

const MEASURES = [
  { value: 'wall_ms', label: 'time' },
  { value: 'rss_bytes', label: 'process memory (RSS)' },
  { value: 'peak_memory_bytes', label: 'engine memory' },
] as const;
const SUMMARIES = [
  { value: 'median', label: 'median per scale' },
  { value: 'min', label: 'best per scale' },
  { value: 'runs', label: 'every run' },
] as const;

/** Models list, the fit form, and the chosen model (kept in ?id= so a link shows it). */
export function CostModels() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const selected = params.get('id');
  const workloads = useWorkloads();
  const list = useQuery(trpc.costModel.list.queryOptions());
  const [workload, setWorkload] = useState('');
  const [backend, setBackend] = useState<Backend>('engine');
  const [phase, setPhase] = useState('');
  const [measure, setMeasure] = useState<(typeof MEASURES)[number]['value']>('wall_ms');
  const [summary, setSummary] = useState<(typeof SUMMARIES)[number]['value']>('median');
  const chosen = workload || workloads.data?.[0]?.key || '';
  const phases = workloads.data?.find((w) => w.key === chosen)?.phases ?? [];
  const fit = useMutation(
    trpc.costModel.fit.mutationOptions({
      onSuccess: (m) => {
        qc.setQueryData(trpc.costModel.get.queryKey({ id: m.id }), m);
        void qc.invalidateQueries({ queryKey: trpc.costModel.list.queryKey() });
        router.replace(`${pathname}?id=${m.id}`, { scroll: false });
      },
    }),
  );

  return (
    <>
      <div className="page-head">
        <h1>Cost models</h1>
      </div>
      <div className="grid two">
        <section className="card">
          <h2>Fit a model</h2>
          <p className="muted small">measure = fixed + per-row × rows, least squares over the stored runs of the series at two or more scales.</p>
          <form
            aria-label="Fit a model"
            onSubmit={(e) => {
              e.preventDefault();
              fit.mutate({ workload: chosen, backend, phase: phase ? Number(phase) : undefined, measure, summary });
            }}
          >
            <div className="form-row">
              <WorkloadSelect value={chosen} onChange={(w) => { setWorkload(w); setPhase(''); }} />
              <BackendSelect value={backend} onChange={setBackend} />
            </div>
            <div className="form-row">
              <label className="field">
                <span>Phase</span>
                <select name="phase" value={phase} onChange={(e) => setPhase(e.target.value)}>
                  <option value="">whole workload</option>
                  {phases.map((p) => (
                    <option key={p.id} value={p.order}>
                      {p.order}. {p.name}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Measure</span>
                <select name="measure" value={measure} onChange={(e) => setMeasure(e.target.value as typeof measure)}>
                  {MEASURES.map((m) => (
                    <option key={m.value} value={m.value}>{m.label}</option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Summary</span>
                <select name="summary" value={summary} onChange={(e) => setSummary(e.target.value as typeof summary)}>
                  {SUMMARIES.map((m) => (
                    <option key={m.value} value={m.value}>{m.label}</option>
                  ))}
                </select>
              </label>
            </div>
            <div className="form-actions">
              {fit.error ? <p className="error" role="alert">{fit.error.message}</p> : <span />}
              <button type="submit" className="primary" disabled={!chosen || fit.isPending}>
                {fit.isPending ? 'Fitting…' : 'Fit'}
              </button>
            </div>
          </form>
        </section>
        <section className="card">
          <h2>
            Models <span className="count">{list.data?.length ?? 0}</span>
          </h2>
          <QueryState isPending={list.isPending} error={list.error} what="cost models">
            {() =>
              list.data!.length === 0 ? (
                <Empty>No models yet: fit one.</Empty>
              ) : (
                <ul className="rows" data-testid="model-list">
                  {list.data!.map((m) => (
                    <li key={m.id}>
                      <a className="row-link" href={`${pathname}?id=${m.id}`} aria-current={m.id === selected ? 'true' : undefined} onClick={(e) => { e.preventDefault(); router.replace(`${pathname}?id=${m.id}`, { scroll: false }); }}>
                        <span className="row-main">
                          <strong className="sql-line">{m.name}</strong>
                          {m.builtIn && <span className="chip">built-in</span>}
                        </span>
                        <span className="row-meta">
                          {m.r2 !== null ? `R² ${m.r2.toFixed(3)} · n ${m.n} · ` : ''}
                          {m.kind} · {when(m.updatedAt)}
                        </span>
                      </a>
                    </li>
                  ))}
                </ul>
              )
            }
          </QueryState>
        </section>
      </div>
      {selected && <ModelDetail id={selected} />}
    </>
  );
}
