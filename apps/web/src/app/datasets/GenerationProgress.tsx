'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useState } from 'react';
import { count } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

interface Progress {
  stage: string;
  rowsWritten: number;
  totalRows?: number;
  percent?: number;
  table?: string;
  tableIndex?: number;
  tableCount?: number;
}

const DONE = ['ready', 'failed'];

/** A generation in flight, live over SSE (dataset.progress); the last event refreshes the list. */
export function GenerationProgress({ name, initial }: { name: string; initial: Progress | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [state, setState] = useState<{ status: string; progress: Progress | null; error: string | null } | null>(null);
  const sub = useSubscription(
    trpc.dataset.progress.subscriptionOptions(
      { name },
      {
        onData: ({ data }) => {
          setState({ status: data.status, progress: (data.progress as Progress | null) ?? null, error: data.error });
          if (DONE.includes(data.status)) void queryClient.invalidateQueries({ queryKey: trpc.dataset.list.queryKey() });
        },
      },
    ),
  );
  const p = state?.progress ?? initial;
  const percent = p?.percent ?? (p?.totalRows ? (100 * p.rowsWritten) / p.totalRows : null);
  return (
    <div className="progress" data-testid="generation-progress">
      <div className={`progress-track ${percent === null ? 'indeterminate' : ''}`} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent === null ? undefined : Math.round(percent)}>
        <div className="progress-fill" style={{ width: percent === null ? undefined : `${percent}%` }} />
      </div>
      <div className="progress-label">
        <span data-testid="generation-stage">
          {p?.stage ?? state?.status ?? 'queued'}
          {p?.table ? ` · ${p.table}${p.tableCount ? ` (${(p.tableIndex ?? 0) + 1}/${p.tableCount})` : ''}` : ''}
        </span>
        <span>
          {p ? `${count(p.rowsWritten)}${p.totalRows ? ` / ${count(p.totalRows)}` : ''} rows` : ''}
          {percent !== null ? ` · ${Math.round(percent)}%` : ''}
          {sub.status === 'error' ? ' · stream lost' : ''}
        </span>
      </div>
      {state?.error && <p className="error">{state.error}</p>}
    </div>
  );
}
