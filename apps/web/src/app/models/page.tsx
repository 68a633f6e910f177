import { Suspense } from 'react';
import { CostModels } from './CostModels';

export const metadata = { title: 'Cost models · Phaselab' };

export default function ModelsPage() {
  return (
    <Suspense fallback={<p className="muted">Loading cost models…</p>}>
      <CostModels />
    </Suspense>
  );
}
