'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import Link from 'next/link';
import { useState } from 'react';
import { ProgressBar } from '@/components/ProgressBar';
import { QueryState } from '@/components/QueryState';
import { RunDetails } from '@/components/RunDetails';
import { StatusBadge } from '@/components/StatusBadge';
import { TERMINAL, type JobStatus, type Progress } from '@/lib/api-types';
import { ms, shortId, when } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

interface Live {
  status: JobStatus;
  progress: Progress | null;
  error: string | null;
}

export function JobView({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Set when the SSE stream fails (API restarted, proxy gone): the page then polls instead.
  const [streamBroken, setStreamBroken] = useState(false);
  const job = useQuery({
    ...trpc.job.get.queryOptions({ id }),
    refetchInterval: (q) => (streamBroken && q.state.data && !TERMINAL.includes(q.state.data.status) ? 3_000 : false),
  });
  const [liveState, setLive] = useState<Live | null>(null);
  const live = streamBroken ? null : liveState;
  const status = live?.status ?? job.data?.status;
  const ended = status !== undefined && TERMINAL.includes(status);

  // Progress arrives over SSE while the job is queued or running; the final event triggers one
  // refetch for the run (metrics, rows, plan), which the event itself does not carry.
  const sub = useSubscription(
    trpc.job.progress.subscriptionOptions(
      { id },
      {
        enabled: job.data !== undefined && !TERMINAL.includes(job.data.status),
        onError: () => setStreamBroken(true),
        onData: (event) => {
          const e = event.data;
          setStreamBroken(false);
          setLive({ status: e.status, progress: (e.progress as Progress | null) ?? null, error: e.error });
          if (TERMINAL.includes(e.status)) void queryClient.invalidateQueries({ queryKey: trpc.job.get.queryKey({ id }) });
        },
      },
    ),
  );
  const cancel = useMutation(trpc.job.cancel.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.job.get.queryKey({ id }) }) }));

  return (
    <QueryState isPending={job.isPending} error={job.error} what={`job ${shortId(id)}`}>
      {() => {
        const j = job.data!;
        const progress = live?.progress ?? j.progress;
        const error = live?.error ?? j.error;
        return (
          <>
            <div className="page-head">
              <h1>
                Job <code>{shortId(j.id)}</code> <StatusBadge status={status!} />
              </h1>
              <div className="head-actions">
                {!ended && (
                  <span className={`live live-${sub.status}`} data-testid="live-state" title="progress subscription">
                    {sub.status === 'pending' ? 'live' : sub.status}
                  </span>
                )}
                {!ended && (
                  <button type="button" onClick={() => cancel.mutate({ id })} disabled={cancel.isPending || j.cancelRequestedAt !== null}>
                    Cancel
                  </button>
                )}
                {j.runId && (
                  <Link className="button" href={`/runs/${j.runId}`}>
                    Run page
                  </Link>
                )}
                <Link className="button" href={`/jobs/new${j.dataset ? `?dataset=${encodeURIComponent(j.dataset)}` : ''}`}>
                  New job
                </Link>
              </div>
            </div>
            <p className="muted small">
              {j.backend}
              {j.dataset ? ` · ${j.dataset}` : ''} · attempt {j.attempts}/{j.maxAttempts} · created {when(j.createdAt)}
              {j.startedAt ? ` · started ${when(j.startedAt)}` : ''}
              {j.finishedAt && j.startedAt ? ` · took ${ms(new Date(j.finishedAt).getTime() - new Date(j.startedAt).getTime())}` : ''}
            </p>
            <section className="card">
              <pre className="sql" data-testid="job-sql">
                {j.sql}
              </pre>
              <ProgressBar status={status!} progress={progress} />
              {error && (
                <p className="error" role="alert" data-testid="job-error">
                  {error}
                </p>
              )}
              {cancel.error && <p className="error">{cancel.error.message}</p>}
            </section>
            {j.run ? <RunDetails run={j.run} /> : status === 'succeeded' ? <p className="muted loading">Loading the run…</p> : null}
          </>
        );
      }}
    </QueryState>
  );
}
