'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { Empty, QueryState } from '@/components/QueryState';
import { SeriesHistoryChart } from '@/components/SeriesHistoryChart';
import type { Outputs } from '@/lib/api-types';
import { ms, shortId, when } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

type Regression = Outputs['regression']['list'][number];
type Show = 'false' | 'true' | 'all';

/** Regression alerts: open ones first; acknowledging one moves it out of the open list. */
export function Alerts() {
  const trpc = useTRPC();
  const [show, setShow] = useState<Show>('false');
  const list = useQuery({ ...trpc.regression.list.queryOptions({ acknowledged: show }), refetchInterval: 10_000 });
  return (
    <section className="card" data-testid="alerts">
      <div className="card-head">
        <h2>
          Regression alerts <span className="count" data-testid="alert-count">{list.data?.length ?? 0}</span>
        </h2>
        <label className="field inline">
          <span>Show</span>
          <select name="acknowledged" value={show} onChange={(e) => setShow(e.target.value as Show)}>
            <option value="false">open</option>
            <option value="true">acknowledged</option>
            <option value="all">all</option>
          </select>
        </label>
      </div>
      <QueryState isPending={list.isPending} error={list.error} what="regressions">
        {() =>
          list.data!.length === 0 ? (
            <Empty>{show === 'false' ? 'No open regressions.' : 'None.'}</Empty>
          ) : (
            <ul className="rows alerts">
              {list.data!.map((r) => (
                <Alert key={r.id} alert={r} />
              ))}
            </ul>
          )
        }
      </QueryState>
    </section>
  );
}

function Alert({ alert }: { alert: Regression }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const ack = useMutation(trpc.regression.acknowledge.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.regression.list.pathKey() }) }));
  return (
    <li className="alert" data-testid="alert" data-severity={alert.severity}>
      <div className="alert-head">
        <span className={`badge severity-${alert.severity}`}>{alert.severity}</span>
        <code className="sql-line" title={alert.seriesKey}>{alert.seriesKey}</code>
        <span className="muted small nowrap">{when(alert.detectedAt)}</span>
      </div>
      <dl className="alert-figures">
        <div><dt>baseline median</dt><dd>{ms(alert.baselineMedian)}</dd></div>
        <div><dt>contender median</dt><dd>{ms(alert.contenderMedian)}</dd></div>
        <div><dt>change</dt><dd className="bad-text" data-testid="alert-change">+{alert.changePct.toFixed(1)} %</dd></div>
        <div><dt>z</dt><dd>{alert.zScore.toFixed(1)}</dd></div>
        <div><dt>p (Mann-Whitney)</dt><dd>{alert.pValue === null ? '—' : alert.pValue < 0.001 ? alert.pValue.toExponential(1) : alert.pValue.toFixed(3)}</dd></div>
        <div><dt>baseline</dt><dd>{alert.baselineBatches} batches · {alert.baselineRunIds.length} runs</dd></div>
      </dl>
      <div className="small">
        contender runs:{' '}
        {alert.contenderRunIds.map((id) => (
          <Link key={id} href={`/runs/${id}`} className="run-ref">{shortId(id)}</Link>
        ))}
      </div>
      {alert.acknowledgedAt && (
        <p className="muted small">
          acknowledged {when(alert.acknowledgedAt)}
          {alert.acknowledgedNote ? `: ${alert.acknowledgedNote}` : ''}
        </p>
      )}
      <div className="head-actions">
        <button type="button" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
          {open ? 'Hide history' : 'History'}
        </button>
        {!alert.acknowledgedAt && (
          <form
            className="head-actions"
            onSubmit={(e) => {
              e.preventDefault();
              ack.mutate({ id: alert.id, note: note || undefined });
            }}
          >
            <input aria-label="note" placeholder="note (optional)" value={note} onChange={(e) => setNote(e.target.value)} className="note-input" />
            <button type="submit" className="primary" disabled={ack.isPending}>
              Acknowledge
            </button>
          </form>
        )}
      </div>
      {ack.error && <p className="error" role="alert">{ack.error.message}</p>}
      {open && <SeriesHistoryChart alert={alert} />}
    </li>
  );
}
