import { InstanceCatalog } from './InstanceCatalog';
import { ScenarioCompare } from './ScenarioCompare';

export const metadata = { title: 'Cloud cost · Phaselab' };

export default function CostPage() {
  return (
    <>
      <div className="page-head">
        <h1>Cloud cost</h1>
      </div>
      <ScenarioCompare />
      <InstanceCatalog />
    </>
  );
}
