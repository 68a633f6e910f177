'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { QueryState } from '@/components/QueryState';
import { SqlEditor } from '@/components/SqlEditor';
import { BACKEND_LABELS, BACKENDS, type Backend } from '@/lib/api-types';
import { useTRPC } from '@/lib/trpc';

export function NewJob({ initialDataset }: { initialDataset: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const datasets = useQuery(trpc.dataset.list.queryOptions());
  const phases = useQuery(trpc.phase.list.queryOptions({}));
  const [chosenDataset, setDataset] = useState<string | null>(initialDataset);
  const [backend, setBackend] = useState<Backend>('engine');
  const [sqlText, setSql] = useState('');
  // '' = the engine's default (one worker thread per core); a number pins it (parallel-scaling runs)
  const [partitions, setPartitions] = useState('');
  const submit = useMutation(trpc.job.submit.mutationOptions({ onSuccess: (job) => router.push(`/jobs/${job.id}`) }));

  const ready = (datasets.data ?? []).filter((d) => d.status === 'ready');
  const datasetName = chosenDataset ?? ready[0]?.name ?? '';
  const dataset = ready.find((d) => d.name === datasetName);
  const schema = useMemo(() => Object.fromEntries((dataset?.tables ?? []).map((t) => [t.name, t.columns.map((c) => c.name)])), [dataset]);
  // Example queries: the catalog's phases whose tables this dataset has.
  const examples = (phases.data ?? []).filter((p) => p.sql && dataset?.tables.some((t) => p.sql!.includes(t.name)));

  const run = () => {
    if (!sqlText.trim() || submit.isPending) return;
    submit.mutate({
      sql: sqlText,
      backend,
      ...(datasetName ? { dataset: datasetName } : {}),
      ...(backend === 'engine' && partitions ? { params: { partitions: Number(partitions) } } : {}),
    });
  };

  return (
    <>
      <div className="page-head">
        <h1>New job</h1>
      </div>
      <QueryState isPending={datasets.isPending} error={datasets.error} what="datasets">
        {() => (
          <form
            className="card job-form"
            onSubmit={(e) => {
              e.preventDefault();
              run();
            }}
          >
            <div className="form-row">
              <label className="field">
                <span>Dataset</span>
                <select name="dataset" value={datasetName} onChange={(e) => setDataset(e.target.value)}>
                  {ready.length === 0 && <option value="">(no dataset ready)</option>}
                  {ready.map((d) => (
                    <option key={d.id} value={d.name}>
                      {d.name} ({d.generator}, {d.rows.toLocaleString('en-US')} rows)
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Backend</span>
                <select name="backend" value={backend} onChange={(e) => setBackend(e.target.value as Backend)}>
                  {BACKENDS.map((b) => (
                    <option key={b} value={b}>
                      {BACKEND_LABELS[b]}
                    </option>
                  ))}
                </select>
              </label>
              {backend === 'engine' && (
                <label className="field">
                  <span>Partitions</span>
                  <select name="partitions" value={partitions} onChange={(e) => setPartitions(e.target.value)}>
                    <option value="">default (one per core)</option>
                    {[1, 2, 4, 8].map((n) => (
                      <option key={n} value={String(n)}>
                        {n}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              {examples.length > 0 && (
                <label className="field">
                  <span>Example</span>
                  <select name="example" value="" onChange={(e) => e.target.value && setSql(e.target.value)}>
                    <option value="">Load a workload phase…</option>
                    {examples.map((p) => (
                      <option key={p.id} value={p.sql!}>
                        {p.workload}: {p.name}
                      </option>
                    ))}
                  </select>
                </label>
              )}
            </div>
            {dataset && (
              <p className="muted small">
                Tables:{' '}
                {dataset.tables.map((t, i) => (
                  <span key={t.name}>
                    {i > 0 && ', '}
                    <code>{t.name}</code> ({t.columns.length} columns)
                  </span>
                ))}{' '}
                · <Link href="/datasets">columns</Link> · completion knows them (Ctrl-Space)
              </p>
            )}
            <div className="editor" data-testid="editor">
              <SqlEditor value={sqlText} onChange={setSql} schema={schema} onRun={run} />
            </div>
            {submit.error && (
              <p className="error" role="alert">
                {submit.error.message}
              </p>
            )}
            <div className="form-actions">
              <span className="muted small">Ctrl/⌘-Enter runs</span>
              <button type="submit" className="primary" disabled={!sqlText.trim() || submit.isPending}>
                {submit.isPending ? 'Submitting…' : 'Run'}
              </button>
            </div>
          </form>
        )}
      </QueryState>
    </>
  );
}
