import Link from 'next/link';
import type { JobSummary } from '@/lib/api-types';
import { oneLine, shortId, when } from '@/lib/format';
import { StatusBadge } from './StatusBadge';

/** Jobs as compact rows: status, SQL, backend and dataset, age; failures show their error. */
export function JobList({ jobs, testId }: { jobs: JobSummary[]; testId: string }) {
  return (
    <ul className="rows" data-testid={testId}>
      {jobs.map((j) => (
        <li key={j.id}>
          <Link href={`/jobs/${j.id}`} className="row-link">
            <span className="row-main">
              <StatusBadge status={j.status} />
              <code className="sql-line">{oneLine(j.sql)}</code>
            </span>
            <span className="row-meta">
              {j.backend}
              {j.dataset ? ` · ${j.dataset}` : ''} · {shortId(j.id)} · {when(j.createdAt)}
              {j.status === 'running' && j.progress ? ` · ${j.progress.stage}` : ''}
            </span>
            {j.error && <span className="row-error">{oneLine(j.error, 160)}</span>}
          </Link>
        </li>
      ))}
    </ul>
  );
}
