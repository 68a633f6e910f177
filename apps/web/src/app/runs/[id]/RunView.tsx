'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { QueryState } from '@/components/QueryState';
import { RunDetails } from '@/components/RunDetails';
import { shortId, when } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

export function RunView({ id }: { id: string }) {
  const trpc = useTRPC();
  const run = useQuery(trpc.run.get.queryOptions({ id }));
  return (
    <QueryState isPending={run.isPending} error={run.error} what={`run ${shortId(id)}`}>
      {() => {
        const r = run.data!;
        const machine = (r.machine ?? {}) as Record<string, unknown>;
        return (
          <>
            <div className="page-head">
              <h1>
                Run <code>{shortId(r.id)}</code>
              </h1>
              <div className="head-actions">
                {r.jobId && (
                  <Link className="button" href={`/jobs/${r.jobId}`}>
                    Job
                  </Link>
                )}
                <Link className="button" href={`/runs?backend=${r.backend}${r.dataset ? `&dataset=${encodeURIComponent(r.dataset)}` : ''}`}>
                  Similar runs
                </Link>
              </div>
            </div>
            <p className="muted small">
              {r.backend} ({r.backendVersion}){r.dataset ? ` · ${r.dataset}` : ''} · {when(r.createdAt)}
              {machine.cpus ? ` · ${String(machine.cpus)} CPUs${machine.cpuModel ? ` (${String(machine.cpuModel)})` : ''}` : ''}
              {machine.node ? ` · Node ${String(machine.node)}` : ''}
            </p>
            <section className="card">
              <pre className="sql" data-testid="run-sql">
                {r.sql}
              </pre>
            </section>
            <RunDetails run={r} />
          </>
        );
      }}
    </QueryState>
  );
}
