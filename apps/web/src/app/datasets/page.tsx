import { Datasets } from './Datasets';

export const metadata = { title: 'Datasets · Phaselab' };

export default function DatasetsPage() {
  return <Datasets />;
}
