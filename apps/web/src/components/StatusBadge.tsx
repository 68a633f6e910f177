import type { JobStatus } from '@/lib/api-types';

export function StatusBadge({ status }: { status: JobStatus }) {
  return (
    <span className={`badge status-${status}`} data-testid="status">
      {status}
    </span>
  );
}
