import { Suspense } from 'react';
import { RunsList } from './RunsList';

export const metadata = { title: 'Runs · Phaselab' };

export default function RunsPage() {
  return (
    <Suspense fallback={<p className="muted">Loading runs…</p>}>
      <RunsList />
    </Suspense>
  );
}
