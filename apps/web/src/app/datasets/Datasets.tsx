'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Empty, QueryState } from '@/components/QueryState';
import type { Dataset } from '@/lib/api-types';
import type { GeneratorChoices } from '@/lib/generators';
import { count, when } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { GenerateForm } from './GenerateForm';
import { GenerationProgress } from './GenerationProgress';

const BADGE: Record<string, string> = { ready: 'status-succeeded', failed: 'status-failed', generating: 'status-running' };

function DatasetCard({ d }: { d: Dataset }) {
  return (
    <section className="card" data-testid="dataset" data-name={d.name} aria-labelledby={`ds-${d.id}`}>
      <div className="card-head">
        <h2 id={`ds-${d.id}`}>{d.name}</h2>
        <span className={`badge ${BADGE[d.status] ?? 'status-queued'}`} data-testid="dataset-status">
          {d.status}
        </span>
      </div>
      <p className="muted small">
        generator <b>{d.generator}</b> · seed {d.seed} · {count(d.rows)} rows · {d.format} · {when(d.finishedAt ?? d.createdAt)}
        <br />
        <code>{d.directory}</code>
      </p>
      {d.status !== 'ready' && d.status !== 'failed' && <GenerationProgress name={d.name} initial={d.progress as Parameters<typeof GenerationProgress>[0]['initial']} />}
      {d.status === 'failed' && d.error && <p className="error">{d.error}</p>}
      {d.tables.map((t) => (
        <details key={t.name} className="table-def" open={d.tables.length <= 2}>
          <summary>
            <code>{t.name}</code> <span className="muted">· {count(t.rows)} rows · {t.columns.length} columns</span>
          </summary>
          <ul className="columns">
            {t.columns.map((c) => (
              <li key={c.name}>
                <code>{c.name}</code> <span className="coltype">{c.type}</span>
              </li>
            ))}
          </ul>
        </details>
      ))}
      {d.status === 'ready' && (
        <Link className="button" href={`/jobs/new?dataset=${encodeURIComponent(d.name)}`}>
          Query {d.name}
        </Link>
      )}
    </section>
  );
}

export function Datasets({ choices }: { choices: GeneratorChoices | null }) {
  const trpc = useTRPC();
  const datasets = useQuery(trpc.dataset.list.queryOptions());
  return (
    <>
      <div className="page-head">
        <h1>Datasets</h1>
      </div>
      {choices && <GenerateForm choices={choices} />}
      <QueryState isPending={datasets.isPending} error={datasets.error} what="datasets">
        {() =>
          datasets.data!.length ? (
            <div className="grid two">
              {datasets.data!.map((d) => (
                <DatasetCard key={d.id} d={d} />
              ))}
            </div>
          ) : (
            <Empty>No datasets in this workspace.</Empty>
          )
        }
      </QueryState>
    </>
  );
}
