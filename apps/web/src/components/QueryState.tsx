'use client';
import { isTRPCClientError } from '@trpc/client';
import type { ReactNode } from 'react';

/** Loading and error states for a query, so each page only renders the data case. */
export function QueryState({ isPending, error, children, what }: { isPending: boolean; error: unknown; children: () => ReactNode; what: string }) {
  if (error) {
    const message = isTRPCClientError(error) ? error.message : error instanceof Error ? error.message : String(error);
    return (
      <p className="error" role="alert">
        Could not load {what}: {message}
      </p>
    );
  }
  if (isPending) return <p className="muted loading">Loading {what}…</p>;
  return <>{children()}</>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted empty">{children}</p>;
}
