'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { JobList } from '@/components/JobList';
import { Empty, QueryState } from '@/components/QueryState';
import { RecentRunsChart } from '@/components/RecentRunsChart';
import { useTRPC } from '@/lib/trpc';
import { ms, oneLine, when } from '@/lib/format';

const LIVE = { refetchInterval: 3_000 };

export function Overview() {
  const trpc = useTRPC();
  const running = useQuery({ ...trpc.job.list.queryOptions({ status: 'running', limit: 20 }), ...LIVE });
  const queued = useQuery({ ...trpc.job.list.queryOptions({ status: 'queued', limit: 20 }), ...LIVE });
  const failed = useQuery({ ...trpc.job.list.queryOptions({ status: 'failed', limit: 8 }), ...LIVE });
  const runs = useQuery({ ...trpc.run.list.queryOptions({ limit: 12 }), ...LIVE });
  const active = [...(running.data ?? []), ...(queued.data ?? [])];

  return (
    <>
      <div className="page-head">
        <h1>Overview</h1>
        <Link href="/jobs/new" className="button primary">
          New job
        </Link>
      </div>
      <div className="grid two">
        <section className="card" aria-labelledby="active-h">
          <h2 id="active-h">
            Queued and running <span className="count">{active.length}</span>
          </h2>
          <QueryState isPending={running.isPending || queued.isPending} error={running.error ?? queued.error} what="jobs">
            {() => (active.length ? <JobList jobs={active} testId="active-jobs" /> : <Empty>Nothing queued or running.</Empty>)}
          </QueryState>
        </section>
        <section className="card" aria-labelledby="failed-h">
          <h2 id="failed-h">Recent failures</h2>
          <QueryState isPending={failed.isPending} error={failed.error} what="failures">
            {() => (failed.data!.length ? <JobList jobs={failed.data!} testId="failed-jobs" /> : <Empty>No failed jobs.</Empty>)}
          </QueryState>
        </section>
      </div>
      <section className="card" aria-labelledby="runs-h">
        <div className="card-head">
          <h2 id="runs-h">Recent runs</h2>
          <Link href="/runs">All runs →</Link>
        </div>
        <QueryState isPending={runs.isPending} error={runs.error} what="runs">
          {() =>
            runs.data!.length ? (
              <>
                <RecentRunsChart runs={runs.data!} />
                <div className="table-wrap">
                  <table className="data stack" data-testid="recent-runs">
                    <thead>
                      <tr>
                        <th>SQL</th>
                        <th>backend</th>
                        <th>dataset</th>
                        <th className="num">wall</th>
                        <th className="num">rows</th>
                        <th>when</th>
                      </tr>
                    </thead>
                    <tbody>
                      {runs.data!.map((r) => (
                        <tr key={r.id}>
                          <td className="sql">
                            <Link href={`/runs/${r.id}`}>
                              <code className="sql-line">{oneLine(r.sql, 70)}</code>
                            </Link>
                          </td>
                          <td data-label="backend">{r.backend}</td>
                          <td data-label="dataset">{r.dataset ?? '—'}</td>
                          <td className="num" data-label="wall">{ms(r.metrics.wallMs)}</td>
                          <td className="num" data-label="rows">{r.metrics.resultRows}</td>
                          <td className="nowrap">{when(r.createdAt)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            ) : (
              <Empty>
                No runs yet. <Link href="/jobs/new">Submit a job</Link>.
              </Empty>
            )
          }
        </QueryState>
      </section>
    </>
  );
}
