import { Suspense } from 'react';
import { PhaseTable } from './PhaseTable';

export const metadata = { title: 'Phases · Phaselab' };

export default function PhasesPage() {
  return (
    <Suspense fallback={<p className="muted">Loading phases…</p>}>
      <PhaseTable />
    </Suspense>
  );
}
