import type { JobStatus, Progress } from '@/lib/api-types';
import { count } from '@/lib/format';

/** A job's progress: a filled bar when the worker knows the total, a moving stripe when it does not. */
export function ProgressBar({ status, progress }: { status: JobStatus; progress: Progress | null }) {
  const percent =
    status === 'succeeded' ? 100 : progress?.percent ?? (progress?.totalRows ? Math.min(100, (100 * progress.rowsProcessed) / progress.totalRows) : null);
  const active = status === 'running' || status === 'queued';
  return (
    <div className="progress" data-testid="progress">
      <div
        className={`progress-track ${active && percent === null ? 'indeterminate' : ''} status-${status}`}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent === null ? undefined : Math.round(percent)}
      >
        <div className="progress-fill" style={{ width: percent === null ? undefined : `${percent}%` }} />
      </div>
      <div className="progress-label">
        <span data-testid="progress-stage">{progress?.stage ?? status}</span>
        <span>
          {progress ? `${count(progress.rowsProcessed)}${progress.totalRows ? ` / ${count(progress.totalRows)}` : ''} rows` : ''}
          {percent !== null ? ` · ${Math.round(percent)}%` : ''}
        </span>
      </div>
    </div>
  );
}
